using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LianApi.Tests.Infrastructure;

/// <summary>
/// A body with several bad fields is answered once, naming every one of them: values of the wrong type, members the
/// endpoint does not take and the endpoint's own rules, so the mini-program fixes its form in one round trip.
/// </summary>
public sealed class JsonBodyErrorsTests
{
    private static LianApiFactory app = null!;
    private static HttpClient client = null!;

    [OneTimeSetUp]
    public static async Task Start()
    {
        app = new LianApiFactory();
        client = await app.LoginAsync("resident-json-body-errors");
    }

    [OneTimeTearDown]
    public static async Task Stop() => await app.DisposeAsync();

    private static Task<HttpResponseMessage> SubmitAsync(string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/complaints") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    [Test]
    public async Task Submit_TwoWrongTypesAnUnknownMemberAndAMissingOne_AreAllNamedInOneProblem()
    {
        var response = await SubmitAsync("""
            {"categoryCode":"sanitation","description":"楼道灯坏了，晚上看不见台阶","anonymous":"yes",
             "location":{"latitude":"abc","longitude":108.9},"userId":1}
            """);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => e.Value[0].GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("validation_failed"));
            Assert.That(errors.Keys, Is.EquivalentTo(new[] { "anonymous", "location.latitude", "userId", "communityCode" }), problem.ToString());
            Assert.That(errors.Values, Has.All.Match(@"\p{IsCJKUnifiedIdeographs}"), "every message in Chinese");
            Assert.That(problem.GetProperty("detail").GetString(), Does.Match(@"\p{IsCJKUnifiedIdeographs}"));
        });
        var mine = await client.GetFromJsonAsync<JsonElement>("/api/complaints/mine");
        Assert.That(mine.GetProperty("items").GetArrayLength(), Is.Zero, "nothing stored");
    }

    [Test]
    public async Task Submit_AWrongTypeAndABrokenRule_AreNamedTogether()
    {
        var response = await SubmitAsync("""
            {"communityCode":"gongyuanmen","categoryCode":"sanitation","description":"灯","publicConsent":"no","contactPhone":"12345"}
            """);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name);
        Assert.That(fields, Is.EquivalentTo(new[] { "publicConsent", "description", "contactPhone" }), problem.ToString());
    }

    [Test]
    public async Task Submit_NotJsonAtAll_IsStillInvalidJson()
    {
        var problem = await ProblemAssert.IsProblem(await SubmitAsync("{\"communityCode\": "), HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("invalid_json"));
    }
}
