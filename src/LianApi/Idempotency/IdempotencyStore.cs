using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using LianApi.Data;

namespace LianApi.Idempotency;

/// <summary>A key as a resident's client sent it, scoped to that resident and to one endpoint.</summary>
public sealed record IdempotencyClaim(long UserId, string Endpoint, string Key, string RequestHash);

public sealed record IdempotencyRecord
{
    public string RequestHash { get; init; } = "";
    public int StatusCode { get; init; }
    public string? Location { get; init; }
    public string ResponseBody { get; init; } = "";
}

public static partial class IdempotencyKeys
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";

    /// <summary>A UUID or any other 8–64 characters of letters, digits, '-' and '_'.</summary>
    public static bool IsValid(string? key) => key is not null && KeyFormat().IsMatch(key);

    /// <summary>Fingerprint of the request as the server understood it, to tell a retry from a different request.</summary>
    public static string Fingerprint<T>(T request, JsonSerializerOptions json) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, json)));

    [GeneratedRegex("^[A-Za-z0-9_-]{8,64}$")]
    private static partial Regex KeyFormat();
}

/// <summary>
/// Idempotency keys live in the same database as the work they guard: the key is claimed in the transaction
/// that does the work, so a crash leaves either both or neither.
/// </summary>
public sealed class IdempotencyStore(Database db)
{
    private const string SelectRecord = """
        SELECT RequestHash, StatusCode, Location, ResponseBody FROM IdempotencyKeys
        WHERE UserId = @UserId AND Endpoint = @Endpoint AND IdempotencyKey = @Key
        """;

    public Task<IdempotencyRecord?> FindAsync(IdempotencyClaim claim, CancellationToken ct) =>
        db.ReadAsync(c => FindAsync(c, null, claim, ct), ct);

    public static Task<IdempotencyRecord?> FindAsync(DbConnection c, DbTransaction? tx, IdempotencyClaim claim, CancellationToken ct) =>
        c.QuerySingleOrDefaultAsync<IdempotencyRecord>(new CommandDefinition(SelectRecord, claim, tx, cancellationToken: ct));

    private const string InsertRecord = """
        INSERT INTO IdempotencyKeys (UserId, Endpoint, IdempotencyKey, RequestHash, StatusCode, Location, ResponseBody, CreatedAt)
        VALUES (@UserId, @Endpoint, @Key, @RequestHash, @StatusCode, @Location, @ResponseBody, @CreatedAt)
        """;

    public static Task SaveAsync(DbConnection c, DbTransaction tx, IdempotencyClaim claim, int statusCode, string? location,
        string responseBody, DateTime now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(InsertRecord, new
        {
            claim.UserId, claim.Endpoint, claim.Key, claim.RequestHash, StatusCode = statusCode, Location = location,
            ResponseBody = responseBody, CreatedAt = now,
        }, tx, cancellationToken: ct));

    private const string DeleteExpired = "DELETE FROM IdempotencyKeys WHERE CreatedAt < @Before";

    /// <summary>Keys are kept 72 h (Stripe keeps 24 h); later retries are still caught by each aggregate's own unique key.</summary>
    public Task<int> PruneAsync(DateTime before, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(DeleteExpired, new { Before = before }, tx, cancellationToken: ct)), ct);
}
