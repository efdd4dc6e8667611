using Dapper;
using LianApi.Data;

namespace LianApi.QrCodes;

public sealed record StoredWxaCode
{
    public byte[] Png { get; init; } = [];
    public bool IsEmulated { get; init; }
}

/// <summary>WeChat's codes are permanent, so each is fetched once and served from here ever after.</summary>
public sealed class WxaCodeStore(Database db)
{
    private const string SelectCode = "SELECT Png, IsEmulated FROM WxaCodes WHERE CommunityId = @CommunityId AND Page = @Page AND EnvVersion = @EnvVersion";

    public Task<StoredWxaCode?> FindAsync(long communityId, string page, string envVersion, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<StoredWxaCode>(new CommandDefinition(SelectCode,
            new { CommunityId = communityId, Page = page, EnvVersion = envVersion }, cancellationToken: ct)), ct);

    private const string InsertCode = """
        INSERT INTO WxaCodes (CommunityId, Page, EnvVersion, Png, IsEmulated, CreatedAt)
        VALUES (@CommunityId, @Page, @EnvVersion, @Png, @IsEmulated, @CreatedAt)
        """;

    /// <summary>Keeps the first code stored when two requests fetched one at the same time; both are equally valid.</summary>
    public async Task SaveAsync(long communityId, string page, string envVersion, byte[] png, bool isEmulated, DateTime now, CancellationToken ct)
    {
        try
        {
            await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(InsertCode, new
            {
                CommunityId = communityId, Page = page, EnvVersion = envVersion, Png = png, IsEmulated = isEmulated, CreatedAt = now,
            }, tx, cancellationToken: ct)), ct);
        }
        catch (Exception e) when (DuplicateKey.Is(e))
        {
        }
    }
}
