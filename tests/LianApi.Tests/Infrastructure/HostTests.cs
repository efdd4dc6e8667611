using System.Net;
using LianApi.Data;
using Microsoft.Data.Sqlite;

namespace LianApi.Tests.Infrastructure;

/// <summary>How the app starts, refuses to start, and reports its health.</summary>
public sealed class HostTests
{
    [Test]
    public async Task Tests_TalkToTheAppOverRealKestrel()
    {
        await using var app = new LianApiFactory();
        var client = app.CreateClient();

        var response = await client.GetAsync("/health/live");

        Assert.Multiple(() =>
        {
            Assert.That(client.BaseAddress!.Host, Is.EqualTo("127.0.0.1").Or.EqualTo("localhost"));
            Assert.That(client.BaseAddress.Port, Is.GreaterThan(0).And.Not.EqualTo(80));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.Server.ToString(), Does.Contain("Kestrel"));
        });
    }

    [Test]
    public async Task HealthReady_IsHealthyWithACurrentSchema_AndUnhealthyWhenItIsBehind()
    {
        await using var app = new LianApiFactory();
        var client = app.CreateClient();
        var ready = await client.GetAsync("/health/ready");

        await using (var connection = new SqliteConnection($"Data Source={app.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM SchemaVersions WHERE Version = (SELECT MAX(Version) FROM SchemaVersions)";
            await command.ExecuteNonQueryAsync();
        }
        var behind = await client.GetAsync("/health/ready");

        Assert.Multiple(async () =>
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(behind.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(await behind.Content.ReadAsStringAsync(), Is.EqualTo("Unhealthy"));
        });
    }

    private static IEnumerable<TestCaseData> RefusedConfigurations()
    {
        yield return new TestCaseData(new Dictionary<string, string?> { ["Wechat:Mode"] = "Emulator" }, "Wechat__Mode=Emulator")
            .SetName("Start_InProductionWithTheEmulator_IsRefused");
        yield return new TestCaseData(new Dictionary<string, string?> { ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "" }, "Wechat__AppSecret")
            .SetName("Start_LiveWithoutAppSecret_IsRefused");
        yield return new TestCaseData(new Dictionary<string, string?> { ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "s", ["Jwt:SigningKey"] = "" }, "Jwt__SigningKey")
            .SetName("Start_InProductionWithoutSigningKey_IsRefused");
        yield return new TestCaseData(new Dictionary<string, string?> { ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "s", ["Jwt:SigningKey"] = "c2hvcnQ=" }, "Jwt__SigningKey")
            .SetName("Start_WithAShortSigningKey_IsRefused");
        yield return new TestCaseData(new Dictionary<string, string?> { ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "s", ["Privacy:PhoneKey"] = "" }, "Privacy__PhoneKey")
            .SetName("Start_InProductionWithoutPhoneKey_IsRefused");
        yield return new TestCaseData(new Dictionary<string, string?> { ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "s", ["Photos:SigningKey"] = "" }, "Photos__SigningKey")
            .SetName("Start_InProductionWithoutPhotoKey_IsRefused");
        yield return new TestCaseData(new Dictionary<string, string?> { ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "s", ["Photos:PublicBaseUrl"] = "" }, "Photos__PublicBaseUrl")
            .SetName("Start_LiveWithoutPublicBaseUrl_IsRefused");
        yield return new TestCaseData(new Dictionary<string, string?> { ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "s", ["Photos:PublicBaseUrl"] = "http://lian.test.invalid" }, "Photos__PublicBaseUrl")
            .SetName("Start_WithAPublicBaseUrlWithoutHttps_IsRefused");
        yield return new TestCaseData(new Dictionary<string, string?> { ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "s", ["Photos:MediaCheckLinkLifetime"] = "00:29:00" }, "Photos__MediaCheckLinkLifetime")
            .SetName("Start_WithAMediaCheckLinkShorterThanWechatsWindow_IsRefused");
        yield return new TestCaseData(new Dictionary<string, string?> { ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "s", ["QrCodes:LinkPrefix"] = "" }, "QrCodes__LinkPrefix")
            .SetName("Start_InProductionWithoutLinkPrefix_IsRefused");
        yield return new TestCaseData(new Dictionary<string, string?> { ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "s", ["QrCodes:LinkPrefix"] = "https://lian.test.invalid/q/c" }, "QrCodes__LinkPrefix")
            .SetName("Start_WithALinkPrefixNotEndingInSlash_IsRefused");
        Dictionary<string, string?> Wecom(string key, string value) => new()
        {
            ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "s", ["Wecom:CorpId"] = "ww1", ["Wecom:AgentId"] = "1000002",
            ["Wecom:Secret"] = "s", ["Wecom:ConsoleBaseUrl"] = "https://lian.test.invalid/console", [key] = value,
        };
        yield return new TestCaseData(Wecom("Wecom:CardType", "markdown"), "Wecom__CardType").SetName("Start_WithAnUnknownWecomCardType_IsRefused");
        yield return new TestCaseData(Wecom("Wecom:DigestFrom", "1"), "Wecom__DigestFrom").SetName("Start_WithADigestOfOneMessage_IsRefused");
        yield return new TestCaseData(Wecom("Wecom:TotalTimeout", "00:01:58"), "Wecom__TotalTimeout").SetName("Start_WithAWecomCallAsLongAsTheLease_IsRefused");
    }

    [TestCaseSource(nameof(RefusedConfigurations))]
    public async Task Start_WithBadSettings_FailsNamingTheKeyToSet(Dictionary<string, string?> settings, string key)
    {
        settings.TryAdd("QrCodes:LinkPrefix", "https://lian.test.invalid/q/c/");
        settings.TryAdd("Photos:PublicBaseUrl", "https://lian.test.invalid");
        await using var app = new LianApiFactory(settings, environment: "Production", kestrel: false);

        var error = Assert.Catch(() => app.StartServer());

        // The app refuses with one line and exit code 1; the factory fails with that line (LianApiFactory.CreateHost).
        Assert.That(error!.ToString() + string.Join("\n", app.Logs.Lines), Does.Contain(key));
    }

    [Test]
    public async Task Start_InProductionWithEverySecretSet_Starts()
    {
        // The positive control for the refusals above.
        await using var app = new LianApiFactory(new Dictionary<string, string?>
        {
            ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "s", ["QrCodes:LinkPrefix"] = "https://lian.test.invalid/q/c/",
            ["Photos:PublicBaseUrl"] = "https://lian.test.invalid",
            ["Database:MigrateOnStart"] = "true",
        }, environment: "Production");

        var response = await app.CreateClient().GetAsync("/health/ready");
        var swagger = await app.CreateClient().GetAsync("/swagger/v1/swagger.json");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(swagger.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized).Or.EqualTo(HttpStatusCode.NotFound),
                "no Swagger in Production");
        });
    }

    [Test]
    public async Task Start_InProduction_DoesNotMigrateUntilTheMigrateVerbRuns()
    {
        await using var app = new LianApiFactory(new Dictionary<string, string?>
        {
            ["Wechat:Mode"] = "Live", ["Wechat:AppId"] = "wx1", ["Wechat:AppSecret"] = "s", ["QrCodes:LinkPrefix"] = "https://lian.test.invalid/q/c/",
            ["Photos:PublicBaseUrl"] = "https://lian.test.invalid",
        }, environment: "Production");

        var ready = await app.CreateClient().GetAsync("/health/ready");

        Assert.Multiple(() =>
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "not ready: the schema was never migrated");
            Assert.That(File.Exists(app.DatabasePath) ? new FileInfo(app.DatabasePath).Length : 0, Is.LessThan(64 * 1024), "no schema was written");
        });
    }

    [TestCase(true, true, false)]
    [TestCase(false, true, true)]
    [TestCase(false, false, false)]
    public void ReadCommittedSnapshot_OffInProduction_IsAProblemThatSaysTheFix(bool on, bool production, bool problem)
    {
        var message = LianApi.Data.ReadCommittedSnapshot.Problem(on, production);

        Assert.That(message is not null, Is.EqualTo(problem));
        if (problem)
        {
            Assert.That(message, Does.Contain("ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON"));
        }
    }

    [Test]
    public void SqlServerTransientErrors_CoverTheReviewedListAndNeverAmbiguousOrDuplicateErrors()
    {
        // reliability.md DB-2: -2 (command timeout) may have committed, and 2627/2601 mean "duplicate", not "try again".
        int[] required = [1205, 4221, 40143, 40197, 40501, 40540, 40613, 10928, 10929, 49918, 49919, 49920, 10053, 10054, 10060, 233, 997];

        Assert.Multiple(() =>
        {
            Assert.That(SqlServerTransientErrors.Numbers, Is.SupersetOf(required));
            Assert.That(SqlServerTransientErrors.Numbers, Has.None.EqualTo(-2).Or.EqualTo(2627).Or.EqualTo(2601));
        });
    }

    [TestCase(new[] { 1205 }, true, TestName = "IsTransient_Deadlock_True")]
    [TestCase(new[] { 3971, 40197 }, true, TestName = "IsTransient_FailoverReportedSecond_True")]
    [TestCase(new[] { 50000, 10054 }, true, TestName = "IsTransient_BrokenConnectionAmongOthers_True")]
    [TestCase(new[] { 2627, 3621 }, false, TestName = "IsTransient_DuplicateKey_False")]
    [TestCase(new[] { -2 }, false, TestName = "IsTransient_CommandTimeout_False")]
    public void IsTransient_ExceptionWithSeveralErrors_LooksAtEveryOne(int[] numbers, bool expected) =>
        Assert.That(SqlServerTransientErrors.IsTransient(SqlExceptions.With(numbers)), Is.EqualTo(expected));
}
