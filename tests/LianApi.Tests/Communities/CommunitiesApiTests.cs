using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Communities;

/// <summary>
/// What a resident sees right after scanning a QR code, before logging in. Read-only, so one app (with the
/// development seed of publicly named communities) serves the whole fixture.
/// </summary>
public sealed class CommunitiesApiTests
{
    private LianApiFactory app = null!;
    private HttpClient anonymous = null!;

    [OneTimeSetUp]
    public void StartApp()
    {
        app = new LianApiFactory();
        anonymous = app.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopApp()
    {
        anonymous.Dispose();
        await app.DisposeAsync();
    }

    [Test]
    public async Task ListCategories_Anonymous_ReturnsTheTwelveWithPowerGasAsEmergencyWithHotline()
    {
        var response = await anonymous.GetAsync("/api/categories");

        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var categories = JsonDocument.Parse(body).RootElement.EnumerateArray().ToList();
        var powerGas = categories.Single(c => c.GetProperty("name").GetString() == "用电用气");
        Assert.Multiple(() =>
        {
            Assert.That(categories, Has.Count.EqualTo(12));
            Assert.That(categories.Select(c => c.GetProperty("code").GetString()), Is.Unique);
            Assert.That(powerGas.GetProperty("code").GetString(), Is.EqualTo("power-gas"));
            Assert.That(powerGas.GetProperty("isEmergency").GetBoolean(), Is.True);
            Assert.That(powerGas.GetProperty("hotline").GetString(), Does.Contain("119").And.Contain("95598"));
            Assert.That(categories.Where(c => c.GetProperty("isEmergency").GetBoolean()).Select(c => c.GetProperty("code").GetString()),
                Is.EqualTo(new[] { "power-gas" }), "only gas and power interrupt the report form with a hotline");
        });
    }

    [Test]
    public async Task ListCommunities_ByStreetCode_ReturnsOnlyThatStreetsCommunities()
    {
        var communities = (await anonymous.GetFromJsonAsync<JsonElement>("/api/communities?streetCode=beiyuanmen")).EnumerateArray().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(communities.Select(c => c.GetProperty("name").GetString()), Is.EqualTo(new[] { "贡院门社区" }));
            Assert.That(communities.Select(c => c.GetProperty("code").GetString()), Is.EqualTo(new[] { "gongyuanmen" }));
            Assert.That(communities.Select(c => c.GetProperty("street").GetProperty("code").GetString()), Has.All.EqualTo("beiyuanmen"));
        });
    }

    [Test]
    public async Task GetCommunity_Anonymous_ReturnsStreetCategoriesAndEmergencyHotlines()
    {
        var response = await anonymous.GetAsync("/api/communities/gongyuanmen");

        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var landing = JsonDocument.Parse(body).RootElement;
        var hotlines = landing.GetProperty("emergencyHotlines").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(landing.GetProperty("code").GetString(), Is.EqualTo("gongyuanmen"));
            Assert.That(landing.GetProperty("name").GetString(), Is.EqualTo("贡院门社区"));
            Assert.That(landing.GetProperty("street").GetProperty("code").GetString(), Is.EqualTo("beiyuanmen"));
            Assert.That(landing.GetProperty("street").GetProperty("name").GetString(), Is.EqualTo("北院门街道"));
            Assert.That(landing.GetProperty("categories").GetArrayLength(), Is.EqualTo(12));
            Assert.That(hotlines.Select(h => h.GetProperty("categoryCode").GetString()), Is.EqualTo(new[] { "power-gas" }));
            Assert.That(hotlines.Select(h => h.GetProperty("hotline").GetString()), Has.All.Contain("119"));
        });
    }

    [Test]
    public async Task GetCommunity_UnknownCode_Returns404Problem()
    {
        var response = await anonymous.GetAsync("/api/communities/no-such-community");

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.NotFound);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("no-such-community"));
    }
}
