using System.Net;
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
    public void Readme_ListsEveryCode()
    {
        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "LianApi.sln")))
        {
            root = root.Parent;
        }
        var readme = File.ReadAllText(Path.Combine(root!.FullName, "README.md"));

        Assert.That(ProblemCodes.All.Where(code => !readme.Contains($"| `{code}` |", StringComparison.Ordinal)), Is.Empty);
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
