using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Complaints;

/// <summary>
/// The per-resident cap on new reports is counted from the resident's stored reports (issue 7 §3): exact across
/// instances and restarts, and never spent by a retry or a refused request.
/// </summary>
public sealed class SubmissionLimitTests
{
    private static Dictionary<string, string?> Limits(int per10Minutes) => new()
    {
        ["RateLimiting:SubmissionsPer10Minutes"] = per10Minutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:SubmissionsPerDay"] = "1000",
    };

    [Test]
    public async Task Submit_ReportsFiledThroughTwoInstances_CountTogether()
    {
        await using var first = new LianApiFactory(Limits(3));
        var shared = Limits(3);
        shared["ConnectionStrings:Lian"] = $"Data Source={first.DatabasePath}";
        await using var second = new LianApiFactory(shared);
        var viaFirst = await first.LoginAsync("limit-two-instances");
        var viaSecond = await second.LoginAsync("limit-two-instances");

        var statuses = new List<HttpStatusCode>
        {
            (await viaFirst.SubmitAsync(Requests.Complaint("第一件：楼道灯坏了"))).StatusCode,
            (await viaSecond.SubmitAsync(Requests.Complaint("第二件：楼道灯坏了"))).StatusCode,
            (await viaFirst.SubmitAsync(Requests.Complaint("第三件：楼道灯坏了"))).StatusCode,
        };
        var fourth = await viaSecond.SubmitAsync(Requests.Complaint("第四件：楼道灯坏了"));

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Created));
            Assert.That(fourth.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the second instance counts the first one's reports");
            Assert.That(fourth.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(10)));
        });
    }

    [Test]
    public async Task Submit_TwentyParallelRetriesOfOneKeyAtTheLastFreeSlot_NeverAnswer429()
    {
        await using var app = new LianApiFactory(Limits(3));
        var client = await app.LoginAsync("limit-parallel-retries");
        (await client.SubmitAsync(Requests.Complaint("第一件：楼道灯坏了"))).EnsureSuccessStatusCode();
        (await client.SubmitAsync(Requests.Complaint("第二件：楼道灯坏了"))).EnsureSuccessStatusCode();
        var body = Requests.Complaint("第三件：这是最后一个名额");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.SubmitAsync(body, "last-slot-key-0001")));

        var mine = await client.GetFromJsonAsync<JsonElement>("/api/complaints/mine?limit=50");
        Assert.Multiple(() =>
        {
            Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.Conflict));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.GreaterThanOrEqualTo(1));
            Assert.That(mine.GetProperty("items").GetArrayLength(), Is.EqualTo(3), "one report for the key, however many retries");
        });
    }

    [Test]
    public async Task Submit_RequestsRefusedWith4xx_DoNotSpendTheQuota()
    {
        await using var app = new LianApiFactory(Limits(2));
        var client = await app.LoginAsync("limit-refused");
        for (var i = 0; i < 3; i++)
        {
            var refused = await client.SubmitAsync(Requests.Complaint(community: "no-such-community"));
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        }

        var first = await client.SubmitAsync(Requests.Complaint("第一件：楼道灯坏了"));
        var second = await client.SubmitAsync(Requests.Complaint("第二件：楼道灯坏了"));
        var third = await client.SubmitAsync(Requests.Complaint("第三件：楼道灯坏了"));

        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        });
    }

    [Test]
    public void WaitBeforeNext_FullShortWindow_WaitsUntilTheOldestCountedReportLeavesIt()
    {
        // The store reads the deciding reports: the Per10Minutes-th most recent within ten minutes, the PerDay-th within
        // the day (null when there are fewer); the HTTP tests above go through that query.
        var now = new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc);
        var limits = new LianApi.Complaints.SubmissionLimits(Per10Minutes: 2, PerDay: 3);

        Assert.Multiple(() =>
        {
            Assert.That(limits.WaitBeforeNext(null, null, now), Is.Null);
            Assert.That(limits.WaitBeforeNext(now.AddMinutes(-9), null, now), Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(limits.WaitBeforeNext(null, now.AddHours(-20), now), Is.EqualTo(TimeSpan.FromHours(4)));
            Assert.That(limits.WaitBeforeNext(now.AddMinutes(-9), now.AddHours(-20), now), Is.EqualTo(TimeSpan.FromHours(4)), "the longer wait");
        });
    }
}
