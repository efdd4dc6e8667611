using LianApi.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Notifications;

/// <summary>Two instances on one database, and an instance stopped right after a transition committed.</summary>
public sealed class OutboxDurabilityTests
{
    private FakeWechatServer wechat = null!;
    private FakeTimeProvider clock = null!;
    private string directory = null!;

    private string DatabasePath => Path.Combine(directory, "shared.db");

    [SetUp]
    public async Task Start()
    {
        wechat = await FakeWechatServer.StartAsync();
        NotificationTestApp.AnswerLikeWechat(wechat);
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        directory = Path.Combine(Path.GetTempPath(), "lianapi-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [TearDown]
    public async Task Stop()
    {
        await wechat.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    [Test]
    public async Task TwoDispatchers_OnTheSameDatabase_SendEachMessageOnce()
    {
        await using var one = NotificationTestApp.Start(wechat, clock, DatabasePath);
        await using var two = NotificationTestApp.Start(wechat, clock, DatabasePath);
        var trackingNos = new List<string>();
        using var staff = await one.StaffAsync("staff-two-instances", "community", "gongyuanmen");
        for (var i = 0; i < 12; i++)
        {
            using var resident = await (i % 2 == 0 ? one : two).LoginAsync($"two-instances-{i}");
            var trackingNo = await resident.FileAsync();
            await resident.ConsentAsync((NotificationTestApp.Accepted, "accept"));
            (await staff.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();
            trackingNos.Add(trackingNo);
        }

        // Both instances at once, and each twice: every row is claimed by exactly one of them.
        var results = await Task.WhenAll(one.DispatchAsync(), two.DispatchAsync(), one.DispatchAsync(), two.DispatchAsync());

        var pages = wechat.SubscribeMessages().Where(m => m.GetProperty("template_id").GetString() == NotificationTestApp.Accepted)
            .Select(m => m.GetProperty("page").GetString()!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(results.Sum(r => r.Sent), Is.EqualTo(12));
            Assert.That(pages, Has.Count.EqualTo(12), "one send per message");
            Assert.That(pages.Distinct().Count(), Is.EqualTo(12), "no message twice");
            Assert.That(pages.Select(p => p[(p.IndexOf('=') + 1)..]), Is.EquivalentTo(trackingNos));
        });
    }

    [Test]
    public async Task ProcessStopped_RightAfterTheTransitionCommitted_SendsTheMessageAfterRestart()
    {
        string trackingNo;
        await using (var before = NotificationTestApp.Start(wechat, clock, DatabasePath))
        {
            using var resident = await before.LoginAsync("restart-resident");
            trackingNo = await resident.FileAsync();
            await resident.ConsentAsync((NotificationTestApp.Accepted, "accept"));
            using var staff = await before.StaffAsync("restart-staff", "community", "gongyuanmen");
            (await staff.ActAsync(trackingNo, "accept")).EnsureSuccessStatusCode();
            // The process ends here: the transition is committed, its message never reached the dispatcher.
        }
        var sentBeforeRestart = wechat.SubscribeMessages().Count;

        await using var after = NotificationTestApp.Start(wechat, clock, DatabasePath);
        var result = await after.DispatchAsync();

        var sends = wechat.SubscribeMessages();
        Assert.Multiple(() =>
        {
            Assert.That(sentBeforeRestart, Is.Zero);
            Assert.That(result.Sent, Is.EqualTo(1));
            Assert.That(sends.Single().GetProperty("touser").GetString(), Is.EqualTo("o-restart-resident"));
            Assert.That(sends.Single().GetProperty("page").GetString(), Does.EndWith(trackingNo));
        });
    }
}
