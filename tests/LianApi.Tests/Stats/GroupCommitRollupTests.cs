using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Stats;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Stats;

/// <summary>
/// The reports of one SQLite group commit add their statistics up and write each rollup row once, at the end of the
/// transaction. A report that fails late in its unit (a photo that cannot be attached, after its numbers were counted)
/// is rolled back to its savepoint and must take its contribution with it: the rollups stay equal to a recount.
/// </summary>
public sealed class GroupCommitRollupTests
{
    [Test]
    public async Task ConcurrentReports_SomeRolledBackLate_RollupsEqualARecount()
    {
        await using var app = new LianApiFactory(new Dictionary<string, string?>
        {
            ["RateLimiting:SubmissionsPer10Minutes"] = "1000",
            ["RateLimiting:SubmissionsPerDay"] = "1000",
        });
        var residents = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => app.LoginAsync($"group-commit-{i}")));

        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => residents[i % residents.Length].SubmitAsync(new
        {
            communityCode = i % 3 == 0 ? "gongyuanmen" : "daxingdonglu",
            categoryCode = i % 2 == 0 ? "sanitation" : "property",
            description = $"第{i}号测试：楼道灯坏了，晚上看不见台阶",
            // Every fourth names a photo that does not exist: refused only once its unit has counted the report.
            photoIds = i % 4 == 0 ? new[] { Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) } : null,
        })));

        var filed = answers.Count(a => a.StatusCode == HttpStatusCode.Created);
        var refused = answers.Count(a => a.StatusCode == HttpStatusCode.UnprocessableEntity);
        var store = app.Service<StatsStore>();
        var differences = await store.VerifyAsync(CancellationToken.None);
        var dispatcher = await app.StaffAsync("group-commit-dispatcher", "dispatcher", null);
        var total = (await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/stats")).GetProperty("total");

        Assert.Multiple(() =>
        {
            Assert.That((filed, refused), Is.EqualTo((48, 16)));
            Assert.That(differences, Is.Empty);
            Assert.That(total.GetProperty("received").GetInt32(), Is.EqualTo(48));
        });
    }
}
