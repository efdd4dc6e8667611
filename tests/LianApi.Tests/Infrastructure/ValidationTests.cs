using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using LianApi.Infrastructure;

namespace LianApi.Tests.Infrastructure;

/// <summary>
/// Request validation is the framework's (AddValidation over DataAnnotations), but what the client reads is ours:
/// every field error is keyed by its camelCase JSON path and worded by the message catalogue, never by the framework.
/// </summary>
public sealed class ValidationTests
{
    // The catalogue's keys as the default language words them (the resource file's Chinese).
    private static readonly HashSet<string> Catalogue = typeof(ValidationMessages)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral)
        .Select(f => LianApi.Resources.Messages.ResourceManager.GetString((string)f.GetRawConstantValue()!, System.Globalization.CultureInfo.GetCultureInfo("zh-CN"))!).ToHashSet();

    private static IEnumerable<TestCaseData> BadRequests()
    {
        TestCaseData Case(string name, string path, object body, params string[] fields) =>
            new TestCaseData(path, body, fields).SetName($"Validation_{name}_KeysAreJsonPathsAndMessagesOurs");

        yield return Case("EverythingWrongInAReport", "/api/complaints",
            new { communityCode = "", categoryCode = new string('x', 33), description = "灯", address = new string('楼', 201),
                  location = new { latitude = 91.0, longitude = -181.0 }, contactPhone = "12345" },
            "communityCode", "categoryCode", "description", "address", "location.latitude", "location.longitude", "contactPhone");
        yield return Case("Evaluation", "/api/complaints/LH20260101-0001/evaluation",
            new { satisfaction = "delighted", comment = new string('好', 501) }, "resolved", "satisfaction", "comment");
        yield return Case("StaffBinding", "/api/staff/bind", new { bindingCode = "short" }, "bindingCode");
        yield return Case("Login", "/api/auth/wechat-login", new { code = "   " }, "code");
    }

    [TestCaseSource(nameof(BadRequests))]
    public async Task Validation_BadBody_Returns400WithJsonKeysAndCatalogueMessages(string path, object body, string[] fields)
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-validation");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var problem = await ProblemAssert.IsProblem(await client.SendAsync(request), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(m => m.GetString()!).ToList());
        Assert.Multiple(() =>
        {
            Assert.That(errors.Keys, Is.EquivalentTo(fields), problem.ToString());
            Assert.That(errors.Values.SelectMany(m => m), Is.All.Matches<string>(Catalogue.Contains), "a framework text reached the client: " + problem);
        });
    }

    [TestCase("/api/complaints/mine?limit=0", "limit")]
    [TestCase("/api/complaints/mine?status=lost", "status")]
    [TestCase("/api/complaints/mine?cursor=abc", "cursor")]
    public async Task Validation_BadQuery_Returns400NamingTheParameter(string path, string field)
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-validation-query");

        var problem = await ProblemAssert.IsProblem(await client.GetAsync(path), HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { field }), problem.ToString());
    }

    [TestCase("Location.Latitude", "location.latitude")]
    [TestCase("ContactPhone", "contactPhone")]
    [TestCase("Idempotency-Key", "Idempotency-Key")]
    public void JsonFieldNames_MemberPath_IsTheCamelCaseJsonPath(string member, string json) =>
        Assert.That(JsonFieldNames.Of(member), Is.EqualTo(json));
}
