using Dapper;
using LianApi.Communities;
using LianApi.Data;
using LianApi.QrCodes;
using LianApi.Tests.Data;
using Microsoft.Extensions.DependencyInjection;

namespace LianApi.Tests.QrCodes;

/// <summary>Stored drawings on each provider: found only under the key they were drawn for, one row per community and variant.</summary>
[TestFixture(typeof(SqliteTestDatabase), Category = "Sqlite")]
[TestFixture(typeof(SqlServerTestDatabase), Category = "SqlServer")]
public sealed class RenderedImageStoreTests<TDatabase> where TDatabase : TestDatabase, new()
{
    private static readonly DateTime Now = new(2026, 11, 28, 8, 0, 0, DateTimeKind.Utc);

    private TDatabase? database;
    private ServiceProvider? services;
    private RenderedImageStore store = null!;
    private long communityId;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        database = new TDatabase();
        await database.CreateAsync();
        services = database.BuildServices(TimeProvider.System);
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync(Ct);
        store = new RenderedImageStore(Db);
        var org = services.GetRequiredService<CommunityStore>();
        var street = (await org.ListStreetsAsync(Ct)).Single(s => s.Code == "beiyuanmen");
        await org.UpsertCommunitiesAsync([new CommunityUpsert("render-store", street.Id, "测试社区", null, null, null)], Ct);
        communityId = (await org.FindCommunityAsync("render-store", Ct))!.Id;
    }

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    // Owned by the service provider, which disposes it.
    private Database Db => services!.GetRequiredService<Database>();

    private Task<int> RowsAsync(string variant) => Db.ReadAsync(c => c.ExecuteScalarAsync<int>(new CommandDefinition(
        "SELECT COUNT(*) FROM RenderedImages WHERE CommunityId = @CommunityId AND Variant = @Variant",
        new { CommunityId = communityId, Variant = variant }, cancellationToken: Ct)), Ct);

    [Test]
    public async Task Save_ThenFind_ReturnsTheBytesOnlyUnderTheirKey()
    {
        var image = new ImageSpec(communityId, "poster/link/png/screen", "key-a", "image/png");

        await store.SaveAsync(image, [1, 2, 3], Now, Ct);

        Assert.Multiple(async () =>
        {
            Assert.That(await store.FindAsync(image, Ct), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(await store.FindAsync(image with { Key = "key-b" }, Ct), Is.Null, "drawn from other inputs");
            Assert.That(await store.FindAsync(image with { Variant = "poster/link/png/print" }, Ct), Is.Null);
        });
    }

    [Test]
    public async Task Save_NewKeyForTheSameVariant_ReplacesTheOldDrawing()
    {
        var old = new ImageSpec(communityId, "qrcode/link/png/small", "key-old", "image/png");
        await store.SaveAsync(old, [1], Now, Ct);

        await store.SaveAsync(old with { Key = "key-new" }, [2], Now, Ct);

        Assert.Multiple(async () =>
        {
            Assert.That(await store.FindAsync(old, Ct), Is.Null);
            Assert.That(await store.FindAsync(old with { Key = "key-new" }, Ct), Is.EqualTo(new byte[] { 2 }));
            Assert.That(await RowsAsync(old.Variant), Is.EqualTo(1), "the outdated drawing is pruned, not kept beside the new one");
        });
    }

    [Test]
    public async Task Save_TwoMegabytes_RoundTrips()
    {
        // A print-size poster PNG is about this large; it is stored whole.
        var bytes = new byte[2 * 1024 * 1024];
        new Random(7).NextBytes(bytes);
        var image = new ImageSpec(communityId, "poster/wxacode/png/print", "key-large", "image/png");

        await store.SaveAsync(image, bytes, Now, Ct);

        Assert.That(await store.FindAsync(image, Ct), Is.EqualTo(bytes));
    }
}
