using System.Security.Cryptography;
using System.Text;
using Dapper;
using LianApi.Data;

namespace LianApi.Open311;

/// <summary>A partner's Open311 key as ops list it: never the key itself, which is shown once when issued.</summary>
public sealed record Open311Key
{
    public long Id { get; init; }
    public string Partner { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime? RevokedAt { get; init; }
}

/// <summary>
/// Partner keys for POST requests (api_key): 256 random bits shown once by `open311 key add`, stored only as their
/// SHA-256 (a high-entropy secret needs no slow hash), looked up by that hash, revoked by id.
/// </summary>
public sealed class Open311KeyStore(Database db)
{
    /// <summary>Open311Keys.Partner: nvarchar(100) on SQL Server; checked before writing, since SQLite would store anything.</summary>
    public const int MaxPartnerLength = 100;

    private const string InsertKey = """
        INSERT INTO Open311Keys (Partner, KeyHash, CreatedAt, RevokedAt) VALUES (@Partner, @KeyHash, @CreatedAt, NULL);
        """;

    /// <summary>Issues a key for <paramref name="partner"/>: its id and the key, which exists nowhere else after this.</summary>
    public Task<(long Id, string Key)> AddAsync(string partner, DateTime now, CancellationToken ct)
    {
        var key = "o311_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return db.WriteAsync(async (c, tx) =>
        {
            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertKey + "\n" + db.Dialect.SelectInsertedId,
                new { Partner = partner, KeyHash = Hash(key), CreatedAt = now }, tx, cancellationToken: ct));
            return (id, key);
        }, ct);
    }

    private const string UpdateRevoked = "UPDATE Open311Keys SET RevokedAt = @Now WHERE Id = @Id AND RevokedAt IS NULL";

    /// <summary>True when the key was active and is now refused.</summary>
    public Task<bool> RevokeAsync(long id, DateTime now, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) => await c.ExecuteScalarAsync<int>(new CommandDefinition(UpdateRevoked + ";\n" + db.Dialect.SelectRowsAffected,
            new { Id = id, Now = now }, tx, cancellationToken: ct)) == 1, ct);

    private const string SelectKeys = "SELECT Id, Partner, CreatedAt, RevokedAt FROM Open311Keys ORDER BY Id";

    public Task<IReadOnlyList<Open311Key>> ListAsync(CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<Open311Key>>(async c => (await c.QueryAsync<Open311Key>(new CommandDefinition(SelectKeys, cancellationToken: ct))).AsList(), ct);

    private const string SelectActiveKey = "SELECT Id, Partner, CreatedAt, RevokedAt FROM Open311Keys WHERE KeyHash = @KeyHash AND RevokedAt IS NULL";

    /// <summary>The active key <paramref name="key"/> is, or null (unknown or revoked).</summary>
    public async Task<Open311Key?> FindActiveAsync(string key, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(key) || key.Length > 200 ? null
            : await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<Open311Key>(new CommandDefinition(SelectActiveKey,
                new { KeyHash = Hash(key.Trim()) }, cancellationToken: ct)), ct);

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
