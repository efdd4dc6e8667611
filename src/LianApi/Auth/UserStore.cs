using Dapper;
using LianApi.Data;

namespace LianApi.Auth;

/// <summary>Residents, keyed by (AppId, OpenId) because an openid means nothing outside its mini-program.</summary>
public sealed class UserStore(Database db)
{
    private const string SelectIdByOpenId = "SELECT Id FROM Users WHERE AppId = @AppId AND OpenId = @OpenId";

    public Task<long> UpsertAsync(string appId, string openId, DateTime now, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var user = new { AppId = appId, OpenId = openId, LastLoginAt = now, CreatedAt = now };
            await c.ExecuteAsync(new CommandDefinition(
                db.Dialect.Upsert("Users", ["AppId", "OpenId"], ["LastLoginAt"], insertOnly: ["CreatedAt"]), user, tx, cancellationToken: ct));
            return await c.ExecuteScalarAsync<long>(new CommandDefinition(SelectIdByOpenId, user, tx, cancellationToken: ct));
        }, ct);

    private const string SelectOpenId = "SELECT OpenId FROM Users WHERE Id = @Id";

    /// <summary>The resident's openid, for WeChat calls about them (content checks); never sent to a client.</summary>
    public Task<string?> FindOpenIdAsync(long userId, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(SelectOpenId, new { Id = userId }, cancellationToken: ct)), ct);
}
