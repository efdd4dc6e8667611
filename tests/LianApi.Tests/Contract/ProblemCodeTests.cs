using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Infrastructure;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Contract;

/// <summary>
/// The codes are a closed list: the spec's enum (with `code` required, the contract check of every recorded problem
/// enforces it at the end of the run), the README's table, and these spot checks of the most specific ones.
/// </summary>
public sealed class ProblemCodeTests
{
    [Test]
    public void Readme_ListsEveryCode_WithItsStatusAndMeaning()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root(), "README.md"));

        Assert.Multiple(() =>
        {
            Assert.That(ProblemCodes.Meanings.Keys, Is.EquivalentTo(ProblemCodes.All));
            Assert.That(ProblemCodes.Meanings.Select(m => $"| `{m.Key}` | {m.Value.Status} | {m.Value.Meaning} |").Where(row => !readme.Contains(row, StringComparison.Ordinal)), Is.Empty);
        });
    }

    [Test]
    public async Task ProblemType_IsThePageOfItsCode()
    {
        await using var app = new LianApiFactory();
        var client = app.CreateClient();
        var problem = await ProblemAssert.IsProblem(await client.GetAsync("/api/communities/no-such-community"), HttpStatusCode.NotFound);

        var page = await client.GetAsync(problem.GetProperty("type").GetString());
        var meaning = await page.Content.ReadFromJsonAsync<JsonElement>();
        var unknown = await client.GetAsync("/problems/no_such_code");

        Assert.Multiple(async () =>
        {
            Assert.That(problem.GetProperty("type").GetString(), Does.EndWith("/problems/not_found").And.StartWith("http"));
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(meaning.GetProperty("code").GetString(), Is.EqualTo("not_found"));
            Assert.That(meaning.GetProperty("status").GetInt32(), Is.EqualTo(404));
            Assert.That(await CodeOf(unknown, HttpStatusCode.NotFound), Is.EqualTo(ProblemCodes.NotFound));
        });
    }

    [Test]
    public async Task Problems_CarryTheirSpecificCodes()
    {
        await using var app = new LianApiFactory();
        var resident = await app.LoginAsync("problem-codes");
        var unknownCommunity = await resident.SubmitAsync(Requests.Complaint(community: "no-such-community"));
        await resident.SubmitAsync(Requests.Complaint("第一件：楼道灯坏了"), "reused-key-0001");
        var reused = await resident.SubmitAsync(Requests.Complaint("第二件：完全不同的事"), "reused-key-0001");
        var missing = await resident.GetAsync("/api/complaints/LH20000101-0001");
        var anonymous = await app.CreateClient().GetAsync("/api/complaints/mine");

        Assert.Multiple(async () =>
        {
            Assert.That(await CodeOf(unknownCommunity, HttpStatusCode.UnprocessableEntity), Is.EqualTo(ProblemCodes.UnknownCommunity));
            Assert.That(await CodeOf(reused, HttpStatusCode.UnprocessableEntity), Is.EqualTo(ProblemCodes.IdempotencyKeyReused));
            Assert.That(await CodeOf(missing, HttpStatusCode.NotFound), Is.EqualTo(ProblemCodes.NotFound));
            Assert.That(await CodeOf(anonymous, HttpStatusCode.Unauthorized), Is.EqualTo(ProblemCodes.Unauthenticated));
        });
    }

    private static async Task<string?> CodeOf(HttpResponseMessage response, HttpStatusCode status) =>
        (await ProblemAssert.IsProblem(response, status)).GetProperty("code").GetString();
}
