using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LianApi.Shared;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Contract;

/// <summary>
/// One time policy: every time in a response is ISO 8601 with the Beijing offset and milliseconds, and a time sent
/// without an offset (a body's newDueAt, the inbox's from/to) is Beijing time.
/// </summary>
public sealed partial class TimePolicyTests
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$")]
    private static partial Regex BeijingTimestamp();

    // Anything that starts like an ISO date-time is a timestamp and must follow the policy.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T")]
    private static partial Regex LooksLikeATimestamp();

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    [Test]
    public async Task EveryResponse_OfAWholeCase_CarriesBeijingTimesWithMilliseconds()
    {
        await using var app = new LianApiFactory();
        await app.AddDepartmentsAsync(("time-dept", "测试时间局"));
        var bodies = new List<(string Request, string Json)>();
        async Task<JsonElement> Seen(string what, Task<HttpResponseMessage> call)
        {
            var response = await call;
            var json = await response.Content.ReadAsStringAsync();
            Assert.That(response.IsSuccessStatusCode, Is.True, $"{what}: {(int)response.StatusCode} {json}");
            bodies.Add((what, json));
            return JsonDocument.Parse(json).RootElement.Clone();
        }

        var anonymous = app.CreateClient();
        var resident = app.CreateClient();
        var login = await Seen("login", resident.PostAsJsonAsync("/api/auth/wechat-login", new { code = "time-resident" }));
        resident.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("accessToken").GetString());
        var bindingCode = await app.AddStaffCodeAsync("community", "gongyuanmen");
        var community = await app.LoginAsync("time-community");
        var bound = await Seen("bind", community.PostAsJsonAsync("/api/staff/bind", new { bindingCode }));
        community.DefaultRequestHeaders.Authorization = new("Bearer", bound.GetProperty("accessToken").GetString());
        using var street = await app.StaffAsync("time-street", "street", "beiyuanmen");
        using var dispatcher = await app.StaffAsync("time-dispatcher", "dispatcher", null);
        using var department = await app.StaffAsync("time-department", "department", "time-dept");

        await Seen("categories", anonymous.GetAsync("/api/categories"));
        await Seen("communities", anonymous.GetAsync("/api/communities"));
        await Seen("community", anonymous.GetAsync("/api/communities/gongyuanmen"));
        var created = await Seen("submit", resident.SubmitAsync(Requests.Complaint(phone: "13812345678")));
        var trackingNo = created.GetProperty("trackingNo").GetString()!;
        await Seen("urge", resident.PostAsync($"/api/complaints/{trackingNo}/urge", null));
        await Seen("accept", community.ActAsync(trackingNo, "accept"));
        await Seen("start", community.ActAsync(trackingNo, "start"));
        await Seen("escalate", community.ActAsync(trackingNo, "escalate", new { reason = "需要街道协调" }));
        await Seen("street escalate", street.ActAsync(trackingNo, "escalate", new { reason = "需要区里协调" }));
        await Seen("dispatch", dispatcher.ActAsync(trackingNo, "dispatch", new { target = new { level = "department", code = "time-dept" } }));
        await Seen("accept", department.ActAsync(trackingNo, "accept"));
        var until = DateTime.UtcNow.AddDays(60) + Beijing;
        await Seen("request-extension", department.ActAsync(trackingNo, "request-extension",
            new { reason = "等待配件", newDueAt = until.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) }));
        await Seen("staff detail", dispatcher.GetAsync($"/api/staff/complaints/{trackingNo}"));
        await Seen("approve-extension", dispatcher.ActAsync(trackingNo, "approve-extension"));
        await Seen("supervise", dispatcher.ActAsync(trackingNo, "supervise"));
        await Seen("reply", department.ActAsync(trackingNo, "reply", new { reply = "配件已到" }));
        await Seen("resolve", department.ActAsync(trackingNo, "resolve", new { reply = "已修好" }));
        await Seen("evaluation", resident.PostAsJsonAsync($"/api/complaints/{trackingNo}/evaluation", new { resolved = false, satisfaction = "unsatisfied" }));
        await Seen("contact", department.PostAsync($"/api/staff/complaints/{trackingNo}/contact", null));
        await Seen("resident detail", resident.GetAsync($"/api/complaints/{trackingNo}"));
        await Seen("resident list", resident.GetAsync("/api/complaints/mine"));
        await Seen("inbox", dispatcher.GetAsync("/api/staff/complaints?sort=urgent"));
        await Seen("inbox", dispatcher.GetAsync("/api/staff/complaints"));
        var rejected = (await Seen("submit", resident.SubmitAsync(Requests.Complaint("另一件事：路灯不亮了")))).GetProperty("trackingNo").GetString()!;
        await Seen("reject", community.ActAsync(rejected, "reject", new { reason = "不属于受理范围" }));
        await Seen("resident detail", resident.GetAsync($"/api/complaints/{rejected}"));

        var timestamps = bodies.SelectMany(b => Strings(JsonDocument.Parse(b.Json).RootElement, "$")
            .Where(s => LooksLikeATimestamp().IsMatch(s.Value))
            .Select(s => (b.Request, s.Path, s.Value, Raw: b.Json))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(timestamps, Has.Count.GreaterThan(60), "the walk saw the times it meant to");
            foreach (var (request, path, value, raw) in timestamps)
            {
                Assert.That(value, Does.Match(BeijingTimestamp()), $"{request} {path}");
                Assert.That(raw, Does.Contain($"\"{value}\""), $"{request} {path}: written as it reads (+08:00, not \\u002B08:00)");
            }
        });
    }

    [Test]
    public async Task NewDueAt_WithoutOffset_IsReadAsBeijingTime()
    {
        await using var app = new LianApiFactory();
        var resident = await app.LoginAsync("time-extension-resident");
        using var community = await app.StaffAsync("time-extension-staff", "community", "gongyuanmen");
        var trackingNo = await resident.FileAsync();
        await community.ActAsync(trackingNo, "accept");
        var wallClock = (DateTime.UtcNow + Beijing).Date.AddDays(90).AddHours(18);

        var response = await community.ActAsync(trackingNo, "request-extension",
            new { reason = "等待配件", newDueAt = wallClock.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) });

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(body.GetProperty("extensionRequestedUntil").GetString(),
                Is.EqualTo(wallClock.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) + ":00.000+08:00"));
            Assert.That(app.Case(trackingNo).ExtensionRequestedUntil, Is.EqualTo(wallClock - Beijing), "stored in UTC");
        });
    }

    [Test]
    public async Task InboxFromTo_WithoutOffset_AreBeijingTime()
    {
        await using var app = new LianApiFactory();
        var resident = await app.LoginAsync("time-inbox-resident");
        using var dispatcher = await app.StaffAsync("time-inbox-dispatcher", "dispatcher", null);
        var trackingNo = await resident.FileAsync();
        var submitted = app.Case(trackingNo).SubmittedAt;
        string Beijing(DateTime utc) => (utc + TimePolicyTests.Beijing).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        async Task<int> CountAsync(string query) =>
            (await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/complaints?" + query)).GetProperty("items").GetArrayLength();

        Assert.Multiple(async () =>
        {
            // Read as UTC (or the server's zone) these would be 8 hours off and find the wrong side.
            Assert.That(await CountAsync($"from={Beijing(submitted.AddMinutes(-1))}"), Is.EqualTo(1));
            Assert.That(await CountAsync($"from={Beijing(submitted.AddMinutes(1))}"), Is.Zero);
            Assert.That(await CountAsync($"to={Beijing(submitted.AddMinutes(1))}"), Is.EqualTo(1));
            Assert.That(await CountAsync($"to={Beijing(submitted.AddMinutes(-1))}"), Is.Zero);
            Assert.That(await CountAsync($"from={Beijing(submitted.AddDays(-1))[..10]}"), Is.EqualTo(1), "a date alone is Beijing midnight");
            Assert.That(await CountAsync($"from={submitted.AddMinutes(-1):yyyy-MM-dd'T'HH:mm:ss}Z"), Is.EqualTo(1), "Z is UTC");
            Assert.That(await CountAsync($"from={submitted.AddMinutes(1):yyyy-MM-dd'T'HH:mm:ss}Z"), Is.Zero);
        });
    }

    [Test]
    public async Task InboxFrom_NotAnIsoTime_IsABadRequest()
    {
        await using var app = new LianApiFactory();
        using var dispatcher = await app.StaffAsync("time-bad-dispatcher", "dispatcher", null);

        var response = await dispatcher.GetAsync("/api/staff/complaints?from=12/01/2026");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [TestCase("2026-12-02T11:57:20.339+08:00", "2026-12-02T03:57:20.339Z")]
    [TestCase("2026-12-02T11:57:20.339", "2026-12-02T03:57:20.339Z")]
    [TestCase("2026-12-02T11:57", "2026-12-02T03:57:00.000Z")]
    [TestCase("2026-12-02", "2026-12-01T16:00:00.000Z")]
    [TestCase("2026-12-02T03:57:20Z", "2026-12-02T03:57:20.000Z")]
    [TestCase("2026-12-02T05:57:20.1234567+02:00", "2026-12-02T03:57:20.123Z")]
    public void TryParse_IsoTime_GivesTheInstant(string text, string utc)
    {
        Assert.Multiple(() =>
        {
            Assert.That(ChinaTime.TryParse(text, out var value), Is.True);
            Assert.That(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), Is.EqualTo(utc));
        });
    }

    [TestCase("12/02/2026")]
    [TestCase("2026-12-02 11:57")]
    [TestCase("yesterday")]
    [TestCase("")]
    public void TryParse_NotIso_Fails(string text) => Assert.That(ChinaTime.TryParse(text, out _), Is.False);

    [Test]
    public void Iso_AnyOffset_WritesBeijingWithMilliseconds() =>
        Assert.That(ChinaTime.Iso(new DateTimeOffset(2026, 12, 2, 3, 57, 20, 339, TimeSpan.Zero).AddTicks(1234)),
            Is.EqualTo("2026-12-02T11:57:20.339+08:00"));

    private static IEnumerable<(string Path, string Value)> Strings(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.String => [(path, element.GetString()!)],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value, $"{path}.{p.Name}")),
        JsonValueKind.Array => element.EnumerateArray().SelectMany((e, i) => Strings(e, $"{path}[{i}]")),
        _ => [],
    };
}
