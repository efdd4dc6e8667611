using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Staff;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Account;

/// <summary>GET /api/me: who the caller is now — a screen asks it instead of decoding its token or guessing.</summary>
public sealed class MeTests
{
    private LianApiFactory app = null!;

    [OneTimeSetUp]
    public void Start() => app = new LianApiFactory();

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    private static async Task<JsonElement> MeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/me");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static string[] Roles(JsonElement me) => [.. me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)];

    [Test]
    public async Task Me_OfAResident_IsAResidentWithoutStaff()
    {
        using var resident = await app.LoginAsync("me-resident");

        var me = await MeAsync(resident);

        Assert.Multiple(() =>
        {
            Assert.That(me.GetProperty("id").GetInt64(), Is.GreaterThan(0));
            Assert.That(Roles(me), Is.EqualTo(new[] { "resident" }));
            Assert.That(me.GetProperty("staff").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(me.GetProperty("credits").ValueKind, Is.EqualTo(JsonValueKind.Array));
        });
    }

    [Test]
    public async Task Me_OfStaff_NamesTheirRoleAndUnit_AndAfterTheirAccountIsRetired_OnlyResident()
    {
        using var worker = await app.StaffAsync("me-community", "community", "gongyuanmen", name: "社工李娜");
        var before = await MeAsync(worker);
        var staffId = before.GetProperty("staff").GetProperty("id").GetInt64();

        await app.Service<StaffStore>().DeactivateAsync(staffId, CancellationToken.None);
        var after = await MeAsync(worker);

        Assert.Multiple(() =>
        {
            Assert.That(Roles(before), Is.EqualTo(new[] { "resident", "community" }));
            Assert.That(before.GetProperty("staff").GetProperty("name").GetString(), Is.EqualTo("社工李娜"));
            Assert.That(before.GetProperty("staff").GetProperty("unit").GetString(), Is.EqualTo("贡院门社区"));
            Assert.That(before.GetProperty("staff").GetProperty("level").GetString(), Is.EqualTo("community"));
            Assert.That(Roles(after), Is.EqualTo(new[] { "resident" }), "the account now, not the token's roles");
            Assert.That(after.GetProperty("staff").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task Me_WithoutAToken_Is401()
    {
        using var anonymous = app.CreateClient();

        Assert.That((await anonymous.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
