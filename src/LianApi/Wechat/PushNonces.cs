using System.Data.Common;
using Dapper;
using LianApi.Data;

namespace LianApi.Wechat;

/// <summary>
/// The (timestamp, nonce) pairs of accepted pushes, in the database so that every instance sees them: a signed query
/// string is accepted once while its timestamp is inside <see cref="PushApi.ReplayWindow"/>, not once per instance.
/// </summary>
public static class PushNonces
{
    /// <summary>WeChat's nonces are short digit strings; a longer one is no push of WeChat's.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// How long after its timestamp a pair is remembered: a timestamp is accepted up to the window either side of our
    /// clock, and the instances' clocks (one of which prunes) differ a little, so twice the window.
    /// </summary>
    public static readonly TimeSpan Lifetime = PushApi.ReplayWindow * 2;

    // Pushes are few (a handful a minute); a batch bounds the work one push does for the ones before it.
    private const int PruneBatch = 100;

    private const string InsertNonce = """
        INSERT INTO WechatPushNonces (SignedTimestamp, Nonce, ExpiresAt)
        SELECT @SignedTimestamp, @Nonce, @ExpiresAt
        WHERE NOT EXISTS (SELECT 1 FROM WechatPushNonces WHERE SignedTimestamp = @SignedTimestamp AND Nonce = @Nonce);
        """;

    /// <summary>
    /// Claims the pair in the caller's transaction (so a push that is not stored does not spend it) after forgetting
    /// pairs that expired; false when the pair was claimed before: a replay.
    /// </summary>
    public static async Task<bool> TryClaimAsync(DbConnection c, DbTransaction tx, SqlDialect dialect, long timestamp, string nonce, DateTime now,
        CancellationToken ct)
    {
        // One round trip: the expired pairs go, then the claim, whose row count is what the batch answers.
        var sql = dialect.DeleteAtMost("WechatPushNonces", ["SignedTimestamp", "Nonce"], "ExpiresAt < @Now") + ";\n" + InsertNonce + dialect.SelectRowsAffected;
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime + Lifetime;
        try
        {
            return await c.ExecuteScalarAsync<int>(new CommandDefinition(sql,
                new { Now = now, Limit = PruneBatch, SignedTimestamp = timestamp, Nonce = nonce, ExpiresAt = expiresAt }, tx, cancellationToken: ct)) == 1;
        }
        catch (Exception e) when (DuplicateKey.Is(e))
        {
            // Another instance claimed it at the same moment (SQL Server: both read before either committed). The failed
            // statement alone is undone; the transaction goes on and stores nothing.
            return false;
        }
    }
}
