using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Contract;

/// <summary>
/// Problems speak Simplified Chinese unless Accept-Language asks for English, in our own words (the framework's texts
/// never reach a client), with one title per status; times inside messages are Beijing time.
/// </summary>
public sealed partial class ProblemLanguageTests
{
    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private HttpClient resident = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public async Task StartApp()
    {
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        app = new LianApiFactory(configureServices: s => s.AddSingleton<TimeProvider>(clock));
        resident = await app.LoginAsync("language-resident");
    }

    [OneTimeTearDown]
    public async Task StopApp()
    {
        resident.Dispose();
        await app.DisposeAsync();
    }

    /// <summary>Requests that fail in different layers: routing, authentication, binding, JSON, validation, our own rules.</summary>
    private static IEnumerable<TestCaseData> FailingRequests()
    {
        yield return Case("unknown community", HttpMethod.Get, "/api/communities/no-such-community", null, 404, "not_found");
        yield return Case("no token", HttpMethod.Get, "/api/complaints/mine", null, 401, "unauthenticated", anonymous: true);
        yield return Case("no route", HttpMethod.Get, "/api/nowhere", null, 404, "not_found");
        yield return Case("resident on a staff endpoint", HttpMethod.Get, "/api/staff/complaints", null, 403, "forbidden");
        yield return Case("query value of the wrong type", HttpMethod.Get, "/api/complaints/mine?limit=abc", null, 400, "validation_failed", field: "limit");
        yield return Case("query value out of range", HttpMethod.Get, "/api/complaints/mine?limit=500", null, 400, "validation_failed", field: "limit");
        yield return Case("JSON value of the wrong type", HttpMethod.Post, "/api/complaints",
            """{"communityCode":"gongyuanmen","categoryCode":"sanitation","description":"楼道灯坏了很久","location":{"latitude":"north","longitude":108.9}}""",
            400, "validation_failed", field: "location.latitude");
        yield return Case("a field we do not take", HttpMethod.Post, "/api/complaints",
            """{"communityCode":"gongyuanmen","categoryCode":"sanitation","description":"楼道灯坏了很久","status":"resolved"}""",
            400, "validation_failed", field: "status");
        yield return Case("not JSON at all", HttpMethod.Post, "/api/complaints", "{\"communityCode\": ", 400, "invalid_json");
        yield return Case("too short a description", HttpMethod.Post, "/api/complaints",
            """{"communityCode":"gongyuanmen","categoryCode":"sanitation","description":"灯"}""", 400, "validation_failed", field: "description");
        yield return Case("unknown category", HttpMethod.Post, "/api/complaints",
            """{"communityCode":"gongyuanmen","categoryCode":"no-such","description":"楼道灯坏了很久"}""", 422, "unknown_category", field: "categoryCode");
        yield return Case("not JSON content", HttpMethod.Post, "/api/complaints", "description=灯坏了", 415, "unsupported_media_type", contentType: "application/x-www-form-urlencoded");
        yield return Case("no body", HttpMethod.Post, "/api/complaints", null, 400, "invalid_request");
    }

    private static TestCaseData Case(string name, HttpMethod method, string path, string? body, int status, string code,
        string? field = null, bool anonymous = false, string contentType = "application/json") =>
        new TestCaseData(method, path, body, status, code, field, anonymous, contentType).SetArgDisplayNames(name);

    [TestCaseSource(nameof(FailingRequests))]
    public async Task Problem_ChineseByDefault_EnglishOnRequest_SameCode(HttpMethod method, string path, string? body, int status, string code,
        string? field, bool anonymous, string contentType)
    {
        var chinese = await SendAsync(method, path, body, contentType, anonymous, language: null);
        var english = await SendAsync(method, path, body, contentType, anonymous, language: "en-US,en;q=0.9");

        Assert.Multiple(() =>
        {
            foreach (var (problem, inEnglish) in new[] { (chinese, false), (english, true) })
            {
                Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(status), problem.ToString());
                Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo(code), problem.ToString());
                var texts = Texts(problem).ToList();
                Assert.That(texts, Is.Not.Empty);
                Assert.That(texts.Select(ProblemTextAudit.IsChinese), Is.All.EqualTo(!inEnglish), problem.ToString());
                if (field is not null)
                {
                    Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
                }
            }
            Assert.That(chinese.GetProperty("title").GetString(), Is.Not.EqualTo(english.GetProperty("title").GetString()));
        });
    }

    [Test]
    public async Task Unauthenticated_SaysToLogInAgain()
    {
        var problem = await SendAsync(HttpMethod.Get, "/api/complaints/mine", null, "application/json", anonymous: true, language: null);

        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("重新登录"));
    }

    [Test]
    public async Task AcceptLanguage_OtherThanEnglish_IsAnsweredInChinese()
    {
        var problem = await SendAsync(HttpMethod.Get, "/api/communities/nope", null, "application/json", anonymous: true, language: "ja-JP,fr;q=0.8");

        Assert.That(ProblemTextAudit.IsChinese(problem.GetProperty("detail").GetString()!), problem.ToString());
    }

    [Test]
    public async Task UrgeTooSoon_SaysWhenInBeijingTime()
    {
        var urgedAt = clock.GetUtcNow();
        var submitted = await resident.SubmitAsync(Requests.Complaint());
        var trackingNo = (await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("trackingNo").GetString();
        (await resident.PostAsync($"/api/complaints/{trackingNo}/urge", null, Ct)).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromHours(1));

        var tooSoon = await resident.PostAsync($"/api/complaints/{trackingNo}/urge", null, Ct);
        var problem = await ProblemAssert.IsProblem(tooSoon, HttpStatusCode.TooManyRequests);

        // Urged at, say, 11:57 Beijing time on 2 December: "again after 12月3日 11:57", as a resident reads it.
        var again = urgedAt.ToOffset(TimeSpan.FromHours(8)).AddDays(1);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain($"{again.Month}月{again.Day}日 {again:HH:mm}"));
    }

    [Test]
    public void ResourceFiles_HaveTheSameKeysAndPlaceholders_EachInItsLanguage()
    {
        var folder = Path.Combine(Repository.Root(), "src", "LianApi", "Resources");
        var chinese = Read(Path.Combine(folder, "Messages.resx"));
        var english = Read(Path.Combine(folder, "Messages.en.resx"));

        Assert.Multiple(() =>
        {
            Assert.That(english.Keys, Is.EquivalentTo(chinese.Keys));
            foreach (var (key, zh) in chinese.Where(m => english.ContainsKey(m.Key) && m.Key != "TimeInMessages"))
            {
                Assert.That(Placeholders(english[key]), Is.EqualTo(Placeholders(zh)), key);
                Assert.That(ProblemTextAudit.IsChinese(zh), key + ": " + zh);
                Assert.That(ProblemTextAudit.IsChinese(english[key]), Is.False, key + ": " + english[key]);
            }
        });
    }

    [Test]
    public void Audit_CatchesFrameworkTextWrongLanguageAndWrongTitle()
    {
        // Proves the end-of-run check can fail.
        RecordedExchange Problem(string body, string? language) =>
            new("GET", "/x", 400, "application/problem+json", body, new Dictionary<string, string>(), language);

        var audit = ProblemTextAudit.Check([
            Problem("""{"title":"请求有误","status":400,"detail":"Failed to bind parameter \"int limit\" from \"abc\"."}""", null),
            Problem("""{"title":"请求有误","status":400,"detail":"请检查后重试。","errors":{"x":["The field x is invalid."]}}""", null),
            Problem("""{"title":"Invalid request","status":400,"detail":"请检查后重试。"}""", "en"),
            Problem("""{"title":"Bad request","status":400,"detail":"请检查后重试。"}""", null),
            Problem("""{"title":"请求有误","status":400,"detail":"请检查后重试。"}""", null),
        ]);

        Assert.That(audit.Violations, Has.Count.EqualTo(4), string.Join("\n", audit.Violations));
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? body, string contentType, bool anonymous, string? language)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }
        if (method == HttpMethod.Post)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }
        using var client = anonymous ? app.CreateClient() : null;
        if (!anonymous)
        {
            request.Headers.Authorization = resident.DefaultRequestHeaders.Authorization;
        }
        var response = await (client ?? resident).SendAsync(request, Ct);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), $"{method} {path}: {response.StatusCode}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static IEnumerable<string> Texts(JsonElement problem)
    {
        yield return problem.GetProperty("title").GetString()!;
        yield return problem.GetProperty("detail").GetString()!;
        if (problem.TryGetProperty("errors", out var errors))
        {
            foreach (var message in errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()))
            {
                yield return message.GetString()!;
            }
        }
    }

    private static Dictionary<string, string> Read(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    private static string[] Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value).Distinct().Order()];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();
}
