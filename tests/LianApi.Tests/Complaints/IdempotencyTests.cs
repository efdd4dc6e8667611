using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Complaints;

/// <summary>reliability.md ID-1..5: a resident's phone retrying over a weak network never files a report twice.</summary>
public sealed class IdempotencyTests
{
    private static async Task<int> CountMineAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/complaints/mine?limit=50")).GetProperty("items").GetArrayLength();

    [Test]
    public async Task Submit_SameKeySameBody_ReplaysTheFirstAnswer()
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-a");
        var body = Requests.Complaint();

        var first = await client.SubmitAsync(body, "retry-key-0001");
        var retry = await client.SubmitAsync(body, "retry-key-0001");

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(await retry.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
            Assert.That(retry.Headers.Location, Is.EqualTo(first.Headers.Location));
            Assert.That(retry.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
            Assert.That(first.Headers.Contains("Idempotent-Replayed"), Is.False);
            Assert.That(await CountMineAsync(client), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Submit_SameKeyDifferentBody_Returns422AndStoresNothingNew()
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-a");
        await client.SubmitAsync(Requests.Complaint("第一次：路灯坏了"), "reused-key-0001");

        var reused = await client.SubmitAsync(Requests.Complaint("第二次：完全不同的问题"), "reused-key-0001");

        await ProblemAssert.IsProblem(reused, HttpStatusCode.UnprocessableEntity);
        Assert.That(await CountMineAsync(client), Is.EqualTo(1));
    }

    [Test]
    public async Task Submit_TwentyConcurrentRequestsWithOneKey_FileExactlyOneReport()
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-a");
        var body = Requests.Complaint();
        using var start = new Barrier(20);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await client.SubmitAsync(body, "double-tap-key-0001");
        })));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        var trackingNos = new HashSet<string>();
        foreach (var created in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
        {
            trackingNos.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!);
        }
        Assert.Multiple(async () =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.Conflict), string.Join(",", statuses));
            Assert.That(trackingNos, Has.Count.EqualTo(1), "every 201 names the same report");
            Assert.That(await CountMineAsync(client), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Submit_SameKeyFromAnotherResident_IsAnIndependentReport()
    {
        await using var app = new LianApiFactory();
        var alice = await app.LoginAsync("alice");
        var bob = await app.LoginAsync("bob");

        var a = await alice.SubmitAsync(Requests.Complaint(), "shared-key-0001");
        var b = await bob.SubmitAsync(Requests.Complaint(), "shared-key-0001");

        Assert.Multiple(async () =>
        {
            Assert.That(a.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(b.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(b.Headers.Contains("Idempotent-Replayed"), Is.False, "no one reads another resident's cached answer");
            Assert.That(b.Headers.Location, Is.Not.EqualTo(a.Headers.Location));
            Assert.That(await CountMineAsync(bob), Is.EqualTo(1));
        });
    }

    [TestCase(null, TestName = "Submit_WithoutIdempotencyKey_Returns400")]
    [TestCase("short", TestName = "Submit_WithTooShortIdempotencyKey_Returns400")]
    [TestCase("has spaces and / slashes", TestName = "Submit_WithMalformedIdempotencyKey_Returns400")]
    public async Task Submit_BadIdempotencyKey_Returns400AndStoresNothing(string? key)
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-a");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/complaints") { Content = JsonContent.Create(Requests.Complaint()) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        var problem = await ProblemAssert.IsProblem(await client.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), Is.True, problem.ToString());
        Assert.That(await CountMineAsync(client), Is.Zero);
    }

    [Test]
    public async Task Submit_RetryAfterTheKeyWasPruned_StillReturnsTheFirstReport()
    {
        await using var app = new LianApiFactory();
        var client = await app.LoginAsync("resident-a");
        var first = await client.SubmitAsync(Requests.Complaint(), "late-retry-key-0001");

        // As if 72 h had passed: the pruner removes every key older than its retention.
        var pruned = await app.Service<LianApi.Idempotency.IdempotencyStore>().PruneAsync(DateTime.UtcNow.AddMinutes(1), CancellationToken.None);
        var late = await client.SubmitAsync(Requests.Complaint(), "late-retry-key-0001");

        Assert.Multiple(async () =>
        {
            Assert.That(pruned, Is.EqualTo(1));
            Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(late.Headers.Location, Is.EqualTo(first.Headers.Location));
            Assert.That(late.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));
            Assert.That(await CountMineAsync(client), Is.EqualTo(1));
        });
    }
}
