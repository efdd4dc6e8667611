using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using LianApi.Data;

namespace LianApi.Idempotency;

/// <summary>A key as a resident's client sent it, scoped to that resident and to one endpoint.</summary>
public sealed record IdempotencyClaim(long UserId, string Endpoint, string Key, string RequestHash);

/// <summary>
/// What is remembered of a request: its fingerprint, to tell a retry from a different request with the same key.
/// The answer itself is not stored; a replay reads the resource the key created, so stored rows never go stale
/// when a response type changes.
/// </summary>
public sealed record IdempotencyRecord
{
    public string RequestHash { get; init; } = "";
}

public static partial class IdempotencyKeys
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";
    public const string Pattern = "^[A-Za-z0-9_-]{8,64}$";

    /// <summary>A UUID or any other 8–64 characters of letters, digits, '-' and '_'.</summary>
    public static bool IsValid(string? key) => key is not null && KeyFormat().IsMatch(key);

    /// <summary>Fingerprint of the request as the server understood it, to tell a retry from a different request.</summary>
    public static string Fingerprint<T>(T request, JsonSerializerOptions json) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, json)));

    [GeneratedRegex(Pattern)]
    private static partial Regex KeyFormat();
}

/// <summary>
/// Idempotency keys live in the same database as the work they guard: the key is claimed in the transaction
/// that does the work (<see cref="AppendClaim"/>), so a crash leaves either both or neither.
/// </summary>
public sealed class IdempotencyStore(Database db)
{
    private const string SelectRecord = """
        SELECT RequestHash FROM IdempotencyKeys
        WHERE UserId = @UserId AND Endpoint = @Endpoint AND IdempotencyKey = @Key
        """;

    public Task<IdempotencyRecord?> FindAsync(IdempotencyClaim claim, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<IdempotencyRecord>(new CommandDefinition(SelectRecord, claim, cancellationToken: ct)), ct);

    private const string InsertClaim = """
        INSERT INTO IdempotencyKeys (UserId, Endpoint, IdempotencyKey, RequestHash, StatusCode, Location, ResponseBody, CreatedAt)
        VALUES (@ClaimUserId, @ClaimEndpoint, @ClaimKey, @ClaimRequestHash, @ClaimStatusCode, NULL, '', @ClaimCreatedAt);
        """;

    /// <summary>
    /// Claims the key in the batch of the statements that create the resource, in their transaction and round trip; a
    /// second claim of a key is a duplicate key. No answer is stored: a replay reads the resource it created.
    /// </summary>
    public static void AppendClaim(WriteBatch batch, IdempotencyClaim claim, int statusCode, DateTime createdAt) =>
        batch.Append(InsertClaim, new
        {
            ClaimUserId = claim.UserId, ClaimEndpoint = claim.Endpoint, ClaimKey = claim.Key, ClaimRequestHash = claim.RequestHash,
            ClaimStatusCode = statusCode, ClaimCreatedAt = createdAt,
        });

    public const int PruneBatch = 1000;

    /// <summary>
    /// Keys are kept 72 h (Stripe keeps 24 h); later retries are still caught by each aggregate's own unique key. Deleted
    /// in batches of <see cref="PruneBatch"/>, each its own short transaction, through the index on CreatedAt.
    /// </summary>
    public async Task<int> PruneAsync(DateTime before, CancellationToken ct)
    {
        var sql = db.Dialect.DeleteAtMost("IdempotencyKeys", ["UserId", "Endpoint", "IdempotencyKey"], "CreatedAt < @Before") + ";\n" + db.Dialect.SelectRowsAffected;
        int deleted, total = 0;
        do
        {
            deleted = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<int>(new CommandDefinition(sql,
                new { Before = before, Limit = PruneBatch }, tx, cancellationToken: ct)), ct);
            total += deleted;
        }
        while (deleted == PruneBatch);
        return total;
    }
}
