using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Complaints;

/// <summary>A table of bad inputs: each gets a 4xx problem that names what is wrong, never a 500, and nothing is stored.</summary>
public sealed class BadInputTests
{
    private static LianApiFactory app = null!;
    private static HttpClient client = null!;

    [OneTimeSetUp]
    public static async Task Start()
    {
        app = new LianApiFactory();
        client = await app.LoginAsync("resident-bad-input");
    }

    [OneTimeTearDown]
    public static async Task Stop() => await app.DisposeAsync();

    private const string Valid = """{"communityCode":"gongyuanmen","categoryCode":"sanitation","description":"楼道灯坏了，晚上看不见台阶"}""";

    private static string With(string member, string json) =>
        Valid.TrimEnd('}') + $",\"{member}\":{json}}}";

    private static string Without(string member, string replacement) =>
        JsonSerializer.Serialize(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Valid)!
            .Where(p => p.Key != member).ToDictionary(p => p.Key, p => p.Value))
            .TrimEnd('}') + (replacement.Length > 0 ? "," + replacement : "") + "}";

    private static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, string body, HttpStatusCode status, string? field = null) =>
            new TestCaseData(body, status, field).SetName("Submit_" + name);

        yield return Case("UnknownCommunity_Returns422", Without("communityCode", "\"communityCode\":\"no-such-place\""), HttpStatusCode.UnprocessableEntity, "communityCode");
        yield return Case("UnknownCategory_Returns422", Without("categoryCode", "\"categoryCode\":\"no-such-kind\""), HttpStatusCode.UnprocessableEntity, "categoryCode");
        yield return Case("MissingCommunity_Returns400", Without("communityCode", ""), HttpStatusCode.BadRequest, "communityCode");
        yield return Case("EmptyDescription_Returns400", Without("description", "\"description\":\"\""), HttpStatusCode.BadRequest, "description");
        yield return Case("BlankDescription_Returns400", Without("description", "\"description\":\"      \""), HttpStatusCode.BadRequest, "description");
        yield return Case("TooShortDescription_Returns400", Without("description", "\"description\":\"灯坏\""), HttpStatusCode.BadRequest, "description");
        yield return Case("TooLongDescription_Returns400", Without("description", $"\"description\":\"{new string('坏', 1001)}\""), HttpStatusCode.BadRequest, "description");
        yield return Case("TooLongAddress_Returns400", With("address", $"\"{new string('楼', 201)}\""), HttpStatusCode.BadRequest, "address");
        yield return Case("LatitudeOutOfRange_Returns400", With("location", """{"latitude":91,"longitude":108.9}"""), HttpStatusCode.BadRequest, "location.latitude");
        yield return Case("LongitudeOutOfRange_Returns400", With("location", """{"latitude":34.2,"longitude":-181}"""), HttpStatusCode.BadRequest, "location.longitude");
        yield return Case("MalformedPhone_Returns400", With("contactPhone", "\"12345\""), HttpStatusCode.BadRequest, "contactPhone");
        yield return Case("PhoneWithLetters_Returns400", With("contactPhone", "\"1381234567a\""), HttpStatusCode.BadRequest, "contactPhone");
        yield return Case("UnknownMemberStatus_Returns400", With("status", "\"resolved\""), HttpStatusCode.BadRequest);
        yield return Case("UnknownMemberUserId_Returns400", With("userId", "1"), HttpStatusCode.BadRequest);
        yield return Case("WrongTypeForAnonymous_Returns400", With("anonymous", "\"yes\""), HttpStatusCode.BadRequest);
        yield return Case("WrongTypeForLocation_Returns400", With("location", "\"34.2,108.9\""), HttpStatusCode.BadRequest);
        // A repeated member would let two readers of one body disagree about it (last wins here, first wins elsewhere).
        yield return Case("DuplicateDescription_Returns400", With("description", "\"另外一段覆盖前面的文字\""), HttpStatusCode.BadRequest, "description");
        yield return Case("DuplicatePublicConsent_Returns400", With("publicConsent", "false").TrimEnd('}') + ",\"publicConsent\":true}", HttpStatusCode.BadRequest, "publicConsent");
        yield return Case("MalformedJson_Returns400", "{\"communityCode\": ", HttpStatusCode.BadRequest);
        yield return Case("JsonArrayInsteadOfObject_Returns400", "[]", HttpStatusCode.BadRequest);
        yield return Case("EmptyBody_Returns400", "", HttpStatusCode.BadRequest);
        yield return Case("NullBody_Returns400", "null", HttpStatusCode.BadRequest);
        yield return Case("BodyOver256KB_Returns413", Without("description", $"\"description\":\"{new string('a', 300 * 1024)}\""), HttpStatusCode.RequestEntityTooLarge);
    }

    [Test]
    public async Task Submit_AMemberSentTwice_IsNamedAsRepeated()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/complaints")
        {
            Content = new StringContent(With("description", "\"另外一段覆盖前面的文字\""), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.AcceptLanguage.ParseAdd("en");

        var problem = await ProblemAssert.IsProblem(await client.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("errors").GetProperty("description")[0].GetString(), Does.Contain("more than once"));
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Submit_BadInput_IsRejectedWithProblem(string body, HttpStatusCode status, string? field)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/complaints")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var problem = await ProblemAssert.IsProblem(await client.SendAsync(request), status);

        if (field is not null)
        {
            Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, $"the problem names '{field}': {problem}");
        }
        var mine = await client.GetFromJsonAsync<JsonElement>("/api/complaints/mine");
        Assert.That(mine.GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Submit_BodyOverTheLimit_The413NamesTheLimit()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/complaints")
        {
            Content = new StringContent(Without("description", $"\"description\":\"{new string('a', 300 * 1024)}\""), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var problem = await ProblemAssert.IsProblem(await client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);

        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("payload_too_large"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("不能超过 256 KB"), "the limit, in the resident's language");
        });
    }

    [TestCase("/api/complaints/mine?limit=0")]
    [TestCase("/api/complaints/mine?limit=51")]
    [TestCase("/api/complaints/mine?limit=abc")]
    [TestCase("/api/complaints/mine?status=fixed")]
    [TestCase("/api/complaints/mine?cursor=-1")]
    [TestCase("/api/complaints/mine?cursor=abc")]
    public async Task ListMine_BadQuery_Returns400Problem(string url)
    {
        await ProblemAssert.IsProblem(await client.GetAsync(url), HttpStatusCode.BadRequest);
    }

    [TestCase("/api/complaints/LH20990101-9999")]
    [TestCase("/api/complaints/' OR 1=1 --")]
    [TestCase("/api/communities/no-such-community")]
    public async Task Get_UnknownOrHostileId_Returns404Problem(string url)
    {
        await ProblemAssert.IsProblem(await client.GetAsync(url), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Get_NulBytesInThePath_AreRefusedByKestrelWith400()
    {
        // Kestrel refuses the request line itself, before our pipeline: no problem body, but never a 500.
        var response = await client.GetAsync("/api/complaints/%00%01");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
