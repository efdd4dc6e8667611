using System.Net;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Contract;

/// <summary>
/// Every time the API takes (the inbox's from/to in both orders, the statistics' from/to and their export, Open311's
/// start_date/end_date, a staff action's newDueAt) fed the edges of the calendar: a time before year 1 in Beijing, the
/// last second of year 9999, with and without offsets. None is ever a 500: the API takes Beijing days 1900-01-01 to
/// 2999-12-31 (ChinaTime.FirstInputDay, LastInputDay), and anything outside is a 400 in the endpoint's own error shape
/// (issue 23 §4); the ends of that range are answered.
/// </summary>
public sealed class TimeInputBoundaryTests
{
    private static readonly string[] Edges =
    [
        "0001-01-01", "0001-01-01T00:00", "0001-01-01T00:00:00", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:00:00-12:00", "0001-01-01T08:00:00.0000001+08:00", "9999-12-31", "9999-12-31T23:59", "9999-12-31T23:59:59",
        "9999-12-31T23:59:59.9999999", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59+08:00", "9999-12-31T23:59:59-12:00",
        "9999-12-31T23:59:59+14:00",
    ];

    // The first and last Beijing days the API takes: answered.
    private static readonly string[] InputRangeEnds = ["1900-01-01", "2999-12-31"];

    private static LianApiFactory app = null!;
    private static HttpClient dispatcher = null!;
    private static HttpClient community = null!;
    private static HttpClient anonymous = null!;
    private static string trackingNo = "";

    [OneTimeSetUp]
    public static async Task Start()
    {
        app = new LianApiFactory();
        anonymous = app.CreateClient();
        dispatcher = await app.StaffAsync("edge-dispatcher", "dispatcher", null);
        community = await app.StaffAsync("edge-community", "community", "gongyuanmen");
        var resident = await app.LoginAsync("edge-resident");
        trackingNo = await resident.FileAsync();
        (await community.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();
    }

    [OneTimeTearDown]
    public static async Task Stop()
    {
        anonymous.Dispose();
        dispatcher.Dispose();
        community.Dispose();
        await app.DisposeAsync();
    }

    private static IEnumerable<TestCaseData> Queries()
    {
        foreach (var edge in Edges.Concat(InputRangeEnds))
        {
            var value = Uri.EscapeDataString(edge);
            foreach (var sort in new[] { "newest", "urgent" })
            {
                yield return new TestCaseData("inbox", $"/api/staff/complaints?sort={sort}&from={value}", edge);
                yield return new TestCaseData("inbox", $"/api/staff/complaints?sort={sort}&to={value}", edge);
                yield return new TestCaseData("inbox", $"/api/staff/complaints?sort={sort}&from={value}&to={value}", edge);
            }
            // Both ends: with one alone the default other end (this year) may legitimately make the period backwards.
            yield return new TestCaseData("stats", $"/api/staff/stats?from={value}&to={value}", edge);
            yield return new TestCaseData("stats", $"/api/staff/stats?from={value}&to={value}&groupBy=week", edge);
            yield return new TestCaseData("stats", $"/api/staff/stats/export?from={value}&to={value}&groupBy=month", edge);
            foreach (var format in new[] { "json", "xml" })
            {
                yield return new TestCaseData("open311", $"/open311/v2/requests.{format}?start_date={value}", edge);
                yield return new TestCaseData("open311", $"/open311/v2/requests.{format}?end_date={value}", edge);
                yield return new TestCaseData("open311", $"/open311/v2/requests.{format}?start_date={value}&end_date={value}", edge);
            }
        }
    }

    [TestCaseSource(nameof(Queries))]
    public async Task TimeInQuery_AtTheEdgeOfTheCalendar_IsA400_AndTheInputDaysAreAnswered(string kind, string url, string edge)
    {
        var response = kind == "open311" ? await anonymous.GetAsync(url) : await dispatcher.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(InputRangeEnds.Contains(edge) ? HttpStatusCode.OK : HttpStatusCode.BadRequest), $"{url}: {body}");
        if (response.StatusCode == HttpStatusCode.BadRequest && kind == "open311")
        {
            var code = url.Contains(".json", StringComparison.Ordinal)
                ? JsonDocument.Parse(body).RootElement[0].GetProperty("code").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)
                : System.Xml.Linq.XDocument.Parse(body).Root!.Element("error")!.Element("code")!.Value;
            Assert.That(code, Is.EqualTo("400"), "Open311's own error shape");
        }
        else if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest);
        }
    }

    [TestCaseSource(nameof(Edges))]
    public async Task NewDueAt_AtTheEdgeOfTheCalendar_IsA400NamingTheField(string edge)
    {
        var response = await community.ActAsync(trackingNo, "request-extension", new { newDueAt = edge, reason = "边界测试" });
        var body = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.LessThan(500), body);
        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("newDueAt", out _), Is.True, body);
    }

    [Test]
    public async Task NewDueAt_OnTheLastInputDay_IsAnswered()
    {
        var response = await community.ActAsync(trackingNo, "request-extension", new { newDueAt = "2999-12-31T18:00", reason = "边界测试" });

        Assert.That((int)response.StatusCode, Is.LessThan(500).And.Not.EqualTo(400), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task InboxWithoutAToken_BeforeYearOne_Is401()
    {
        var response = await anonymous.GetAsync("/api/staff/complaints?from=0001-01-01&sort=urgent");

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task EveryTimeInput_IsCoveredHere()
    {
        // A new time parameter must be added to this fixture: the app's request types are scanned for time types.
        var timeTypes = new[] { typeof(DateTimeOffset), typeof(DateTime), typeof(DateOnly), typeof(LianApi.Shared.ChinaTimeParameter) };
        var inputs = typeof(Program).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Request", StringComparison.Ordinal) || t.Name.EndsWith("Query", StringComparison.Ordinal))
            .SelectMany(t => t.GetProperties().Where(p => timeTypes.Contains(Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType))
                .Select(p => $"{t.Name}.{p.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.That(inputs, Is.EqualTo(new[]
        {
            "InboxQuery.From", "InboxQuery.To", "StaffActionRequest.NewDueAt", "StatsQuery.From", "StatsQuery.To",
        }));
        await Task.CompletedTask;
    }
}
