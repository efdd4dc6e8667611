using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.QrCodes;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.QrCodes;

/// <summary>
/// GET /api/scan: whatever a page received from a scan — a mini-program code's scene, a plain link code's q, encoded or
/// not — lands on the community (Development's link rules are QrCodeOptions' placeholders).
/// </summary>
public sealed class ScanTests
{
    private LianApiFactory app = null!;
    private HttpClient client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        app = new LianApiFactory();
        client = app.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    private async Task<JsonElement> ScanAsync(string query)
    {
        var response = await client.GetAsync("/api/scan?" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static string Link(string code) => QrCodeOptions.DevelopmentPlaceholder + code;

    [TestCase("scene=gongyuanmen", TestName = "Scan_AMiniProgramCodesScene_LandsOnItsCommunity")]
    [TestCase("scene=gongyuanmen%2520", TestName = "Scan_ASceneStillEncoded_LandsOnItsCommunity")]
    public async Task Scene(string query)
    {
        var scanned = await ScanAsync(query);

        Assert.Multiple(() =>
        {
            Assert.That(scanned.GetProperty("kind").GetString(), Is.EqualTo("community"));
            Assert.That(scanned.GetProperty("community").GetProperty("code").GetString(), Is.EqualTo("gongyuanmen"));
            Assert.That(scanned.GetProperty("community").GetProperty("categories").GetArrayLength(), Is.GreaterThan(0), "the whole landing, as GET /api/communities/{code}");
            Assert.That(scanned.GetProperty("bindingCode").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task Scan_ALinkCodesQ_DecodedOrEncodedOnceOrTwice_LandsOnItsCommunity()
    {
        var landing = await client.GetFromJsonAsync<JsonElement>("/api/communities/gongyuanmen");
        var link = Link("gongyuanmen");

        var decoded = await ScanAsync("q=" + Uri.EscapeDataString(link));
        var encoded = await ScanAsync("q=" + Uri.EscapeDataString(Uri.EscapeDataString(link)));
        var twice = await ScanAsync("q=" + Uri.EscapeDataString(Uri.EscapeDataString(Uri.EscapeDataString(link))));

        Assert.Multiple(() =>
        {
            foreach (var scanned in new[] { decoded, encoded, twice })
            {
                Assert.That(scanned.GetProperty("kind").GetString(), Is.EqualTo("community"));
                Assert.That(scanned.GetProperty("community").ToString(), Is.EqualTo(landing.ToString()));
            }
        });
    }

    [Test]
    public async Task Scan_ABindingSheetsCode_GivesTheBindingCode()
    {
        var scanned = await ScanAsync("q=" + Uri.EscapeDataString(QrCodeOptions.DevelopmentBindingPlaceholder + "K7QP2-MX9TD"));

        Assert.Multiple(() =>
        {
            Assert.That(scanned.GetProperty("kind").GetString(), Is.EqualTo("staff_binding"));
            Assert.That(scanned.GetProperty("bindingCode").GetString(), Is.EqualTo("K7QP2-MX9TD"));
            Assert.That(scanned.GetProperty("community").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [TestCase("q=https%3A%2F%2Fexample.com%2Fq%2Fc%2Fgongyuanmen", TestName = "Scan_SomeoneElsesLink_Is404InChinese")]
    [TestCase("scene=nowhere", TestName = "Scan_AnUnknownScene_Is404InChinese")]
    [TestCase("q=https%3A%2F%2Flian.example.invalid%2Fq%2Fc%2F", TestName = "Scan_TheBarePrefix_Is404InChinese")]
    public async Task Unknown(string query)
    {
        var problem = await ProblemAssert.IsProblem(await client.GetAsync("/api/scan?" + query), HttpStatusCode.NotFound);

        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("二维码"));
    }

    [TestCase("", TestName = "Scan_WithNeitherSceneNorQ_Is400")]
    [TestCase("scene=gongyuanmen&q=x", TestName = "Scan_WithBothSceneAndQ_Is400")]
    public async Task NeitherOrBoth(string query)
    {
        var problem = await ProblemAssert.IsProblem(await client.GetAsync("/api/scan?" + query), HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("validation_failed"));
    }
}
