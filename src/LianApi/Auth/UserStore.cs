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

    /// <summary>Many residents in one transaction (the demo-data verb): their ids, in the order of <paramref name="openIds"/>.</summary>
    public Task<IReadOnlyList<long>> UpsertManyAsync(string appId, IReadOnlyList<string> openIds, DateTime now, CancellationToken ct) =>
        db.WriteAsync<IReadOnlyList<long>>(async (c, tx) =>
        {
            var upsert = db.Dialect.Upsert("Users", ["AppId", "OpenId"], ["LastLoginAt"], insertOnly: ["CreatedAt"]);
            var ids = new List<long>(openIds.Count);
            foreach (var openId in openIds)
            {
                var user = new { AppId = appId, OpenId = openId, LastLoginAt = now, CreatedAt = now };
                await c.ExecuteAsync(new CommandDefinition(upsert, user, tx, cancellationToken: ct));
                ids.Add(await c.ExecuteScalarAsync<long>(new CommandDefinition(SelectIdByOpenId, user, tx, cancellationToken: ct)));
            }
            return ids;
        }, ct);

    private const string SelectOpenId = "SELECT OpenId FROM Users WHERE Id = @Id";

    /// <summary>The resident's openid, for WeChat calls about them (content checks); never sent to a client.</summary>
    public Task<string?> FindOpenIdAsync(long userId, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(SelectOpenId, new { Id = userId }, cancellationToken: ct)), ct);
}
