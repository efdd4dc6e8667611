using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Staff;

public sealed class InboxTests
{
    private static LianApiFactory app = null!;
    private static HttpClient dispatcher = null!;
    private static readonly List<string> Filed = [];

    [OneTimeSetUp]
    public static async Task FileCases()
    {
        app = new LianApiFactory();
        dispatcher = await app.StaffAsync("inbox-dispatcher", "dispatcher", null);
        var community = await app.StaffAsync("inbox-community", "community", "gongyuanmen");
        var resident = await app.LoginAsync("inbox-resident");
        for (var i = 0; i < 5; i++)
        {
            Filed.Add(await resident.FileAsync(category: i % 2 == 0 ? "property" : "sanitation"));
        }
        Filed.Add(await resident.SubmitAsync(Requests.Complaint(community: "zaoyuanxilu")) is var r && r.IsSuccessStatusCode
            ? (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()! : throw new InvalidOperationException());
        await community.ActAsync(Filed[0], "accept");
        await dispatcher.ActAsync(Filed[3], "supervise");
    }

    [OneTimeTearDown]
    public static async Task Stop() => await app.DisposeAsync();

    private static async Task<List<string>> ListAsync(string query)
    {
        var page = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/complaints?" + query);
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()!).ToList();
    }

    [Test]
    public async Task Filters_NarrowTheInbox()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await ListAsync("status=accepted"), Is.EqualTo(new[] { Filed[0] }));
            Assert.That(await ListAsync("category=sanitation"), Is.EquivalentTo(new[] { Filed[1], Filed[3], Filed[5] }));
            Assert.That(await ListAsync("community=zaoyuanxilu"), Is.EqualTo(new[] { Filed[5] }));
            Assert.That(await ListAsync("level=community"), Has.Count.EqualTo(6));
            Assert.That(await ListAsync("level=district"), Is.Empty);
            Assert.That(await ListAsync("overdue=true"), Is.Empty);
            Assert.That(await ListAsync($"from={DateTimeOffset.UtcNow.AddDays(1):O}".Replace("+", "%2B")), Is.Empty);
            Assert.That(await ListAsync($"to={DateTimeOffset.UtcNow.AddDays(1):O}".Replace("+", "%2B")), Has.Count.EqualTo(6));
        });
    }

    [TestCase("sort=newest")]
    [TestCase("sort=urgent")]
    public async Task Pages_CoverEveryCaseOnceInEitherOrder(string sort)
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/complaints?{sort}&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);

        Assert.That(seen, Is.EquivalentTo(Filed).And.Unique);
        if (sort == "sort=urgent")
        {
            Assert.That(seen[0], Is.EqualTo(Filed[3]), "the supervised case leads");
        }
        else
        {
            Assert.That(seen, Is.EqualTo(Enumerable.Reverse(Filed).ToList()));
        }
    }

    [TestCase("limit=0")]
    [TestCase("limit=51")]
    [TestCase("status=done")]
    [TestCase("level=province")]
    [TestCase("sort=oldest")]
    [TestCase("cursor=abc")]
    [TestCase("overdue=maybe")]
    [TestCase("from=yesterday")]
    public async Task BadQuery_Returns400Problem(string query)
    {
        await ProblemAssert.IsProblem(await dispatcher.GetAsync("/api/staff/complaints?" + query), HttpStatusCode.BadRequest);
    }
}
