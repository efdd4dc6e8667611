using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Staff;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Staff;

public sealed class StaffAccountTests
{
    [Test]
    public async Task Bind_WithOpsCode_ReturnsAShortLivedStaffToken_AndTheCodeWorksOnce()
    {
        await using var app = new LianApiFactory();
        var code = await app.AddStaffCodeAsync("community", "gongyuanmen", "张测试");
        var first = await app.LoginAsync("bind-first");
        var second = await app.LoginAsync("bind-second");

        var bound = await first.PostAsJsonAsync("/api/staff/bind", new { bindingCode = code.ToLowerInvariant().Replace("-", "") });
        var reused = await second.PostAsJsonAsync("/api/staff/bind", new { bindingCode = code });

        var body = await bound.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(bound.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("user").GetProperty("roles").EnumerateArray().Select(r => r.GetString()), Is.EquivalentTo(new[] { "resident", "community" }));
            Assert.That(body.GetProperty("user").GetProperty("staff").GetProperty("unit").GetString(), Is.EqualTo("贡院门社区"));
            Assert.That(body.GetProperty("expiresAt").GetDateTimeOffset(), Is.LessThanOrEqualTo(DateTimeOffset.UtcNow.AddMinutes(31)), "staff tokens are short");
        });
        await ProblemAssert.IsProblem(reused, HttpStatusCode.UnprocessableEntity);
    }

    [Test]
    public async Task Login_AfterBinding_GivesTheStaffRoleAgain()
    {
        await using var app = new LianApiFactory();
        await app.StaffAsync("relogin-staff", "street", "beiyuanmen");

        var again = await app.CreateClient().PostAsJsonAsync("/api/auth/wechat-login", new { code = "relogin-staff" });

        var roles = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user").GetProperty("roles");
        Assert.That(roles.EnumerateArray().Select(r => r.GetString()), Has.Member("street"));
    }

    [Test]
    public async Task Deactivate_TakesEffectOnTheNextRequest_NotWhenTheTokenExpires()
    {
        await using var app = new LianApiFactory();
        var staff = await app.StaffAsync("deactivated-staff", "community", "gongyuanmen");
        Assert.That((await staff.GetAsync("/api/staff/complaints")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var member = (await app.Service<StaffStore>().ListAsync(CancellationToken.None)).Single();

        await app.Service<StaffStore>().DeactivateAsync(member.Id, CancellationToken.None);

        await ProblemAssert.IsProblem(await staff.GetAsync("/api/staff/complaints"), HttpStatusCode.Forbidden);
    }

    [TestCase("")]
    [TestCase("short")]
    [TestCase("ABCDE-FGHJK")]
    public async Task Bind_BadOrUnknownCode_IsAProblem(string code)
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("bad-binder");

        var response = await client.PostAsJsonAsync("/api/staff/bind", new { bindingCode = code });

        Assert.That((int)response.StatusCode, Is.EqualTo(400).Or.EqualTo(422));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task TwoAcceptsAtOnce_ExactlyOneWins_TheOtherGets409()
    {
        await using var app = new LianApiFactory();
        var resident = await app.LoginAsync("race-resident");
        var first = await app.StaffAsync("race-a", "community", "gongyuanmen");
        var second = await app.StaffAsync("race-b", "community", "gongyuanmen");
        var no = await resident.FileAsync();
        using var start = new Barrier(2);

        var responses = await Task.WhenAll(new[] { first, second }.Select(client => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await client.ActAsync(no, "accept");
        })));

        Assert.That(responses.Select(r => r.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var staffView = await first.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{no}");
        Assert.That(staffView.Kinds().Count(k => k == "accepted"), Is.EqualTo(1), "one accept, one timeline event");
    }

    [Test]
    public async Task Act_WithAStaleIfMatchVersion_Returns409()
    {
        await using var app = new LianApiFactory();
        var resident = await app.LoginAsync("ifmatch-resident");
        var staff = await app.StaffAsync("ifmatch-staff", "community", "gongyuanmen");
        var no = await resident.FileAsync();
        var version = (await staff.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{no}")).GetProperty("version").GetInt32();
        await staff.ActAsync(no, "note", new { note = "先记一笔" });

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/staff/complaints/{no}/accept") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        var stale = await staff.SendAsync(request);

        await ProblemAssert.IsProblem(stale, HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Urge_OncePerDay_RaisesTheCaseInTheUrgentInbox()
    {
        await using var app = new LianApiFactory();
        var resident = await app.LoginAsync("urge-resident");
        var staff = await app.StaffAsync("urge-staff", "community", "gongyuanmen");
        var older = await resident.FileAsync();
        var urged = await resident.FileAsync();

        var first = await resident.PostAsync($"/api/complaints/{urged}/urge", null);
        var again = await resident.PostAsync($"/api/complaints/{urged}/urge", null);
        var inbox = await staff.GetFromJsonAsync<JsonElement>("/api/staff/complaints?sort=urgent");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await ProblemAssert.IsProblem(again, HttpStatusCode.TooManyRequests);
        Assert.Multiple(() =>
        {
            Assert.That(again.Headers.RetryAfter, Is.Not.Null);
            var order = inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()).ToList();
            Assert.That(order, Is.EqualTo(new[] { urged, older }), "the urged case comes first although it is not the oldest deadline");
        });
    }

    [Test]
    public async Task BindingCode_AfterItExpires_NoLongerBinds()
    {
        await using var app = new LianApiFactory();
        app.StartServer();
        var store = app.Service<StaffStore>();
        var issuedAt = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
        var code = await store.AddAsync(new NewStaff("过期测试", "dispatcher", "district", null, "区调度中心", null), issuedAt, CancellationToken.None);
        var user = await app.Service<LianApi.Auth.UserStore>().UpsertAsync("emulator", "expiry-user", issuedAt, CancellationToken.None);

        var tooLate = await store.BindToUserAsync(code.Code, user, issuedAt + StaffStore.BindingCodeLifetime + TimeSpan.FromSeconds(1), CancellationToken.None);
        var inTime = await store.BindToUserAsync(code.Code, user, issuedAt + StaffStore.BindingCodeLifetime - TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(tooLate, Is.False);
            Assert.That(inTime, Is.True, "the positive control: the same code just before expiry");
        });
    }
}
