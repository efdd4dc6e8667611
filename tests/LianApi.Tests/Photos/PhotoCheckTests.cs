using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using LianApi.Data;
using LianApi.Photos;
using LianApi.Tests.Infrastructure;
using LianApi.Wechat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Photos;

/// <summary>
/// Photos checked by WeChat (media_check_async v2) against the loopback fake: submitted from the durable job queue with
/// a signed public link, retried with backoff, the pushed result applied once per trace_id, risky photos hidden from all
/// but the dispatch center with the case flagged, and photos still pending after an hour flagged by the sweep. The test
/// runs the job queue and the sweep itself, on a fake clock.
/// </summary>
public sealed class PhotoCheckTests
{
    private const string Token = "LianPushToken2026";
    private const string MediaCheckPath = "wxa/media_check_async";

    private FakeWechatServer wechat = null!;
    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private HttpClient resident = null!;
    private HttpClient community = null!;
    private HttpClient dispatcher = null!;
    private HttpClient anonymous = null!;
    private string databasePath = null!;

    [SetUp]
    public async Task StartAsync()
    {
        wechat = await FakeWechatServer.StartAsync();
        wechat.AcceptLoginsAndTokens();
        wechat.OnJson(FakeWechatServer.MsgSecCheckPath, FakeWechatServer.MsgSecCheck("pass"));
        wechat.OnJson(MediaCheckPath, """{"errcode":0,"errmsg":"ok","trace_id":"trace-photo-1"}""");
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        databasePath = Path.Combine(Path.GetTempPath(), "lianapi-tests", "photo-checks-" + Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        app = Start();
        resident = await app.LoginAsync("check-resident");
        community = await app.StaffAsync("check-community", "community", "gongyuanmen");
        dispatcher = await app.StaffAsync("check-dispatcher", "dispatcher", null);
        anonymous = new HttpClient { BaseAddress = resident.BaseAddress };
    }

    /// <summary>The app on this test's database and clock, without its job loop and photo sweep (the test runs both).</summary>
    private LianApiFactory Start()
    {
        var settings = wechat.LiveSettings();
        settings["Wechat:PushToken"] = Token;
        settings["Photos:PublicBaseUrl"] = "https://lian.example.gov.cn/";
        settings["ConnectionStrings:Lian"] = $"Data Source={databasePath}";
        var started = new LianApiFactory(settings, configureServices: s => s.AddSingleton<TimeProvider>(clock), configureTestServices: s =>
        {
            foreach (var background in s.Where(d => d.ServiceType == typeof(IHostedService)
                         && (d.ImplementationType == typeof(WechatJobLoop) || d.ImplementationType?.Name == "PhotoSweepService")).ToList())
            {
                s.Remove(background);
            }
        });
        started.StartServer();
        return started;
    }

    [TearDown]
    public async Task StopAsync()
    {
        resident.Dispose();
        community.Dispose();
        dispatcher.Dispose();
        anonymous.Dispose();
        await app.DisposeAsync();
        await wechat.DisposeAsync();
        File.Delete(databasePath);
    }

    [Test]
    public async Task Upload_IsSubmittedWithASignedPublicLinkThatWechatCanDownload()
    {
        var id = await UploadAsync();
        var queued = await JobAsync(id);

        await RunJobsAsync();

        var sent = JsonDocument.Parse(wechat.BodiesOf(MediaCheckPath).Single()).RootElement;
        var url = new Uri(sent.GetProperty("media_url").GetString()!);
        var expires = long.Parse(url.Query.Split('&')[0].Split('=')[1], CultureInfo.InvariantCulture);
        var download = await anonymous.GetAsync(url.PathAndQuery);
        var photo = await PhotoAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(queued.CompletedAt, Is.Null, "the submission was queued with the upload, before any job ran");
            Assert.That(url.GetLeftPart(UriPartial.Path), Is.EqualTo($"https://lian.example.gov.cn/api/photos/{id}"));
            Assert.That(sent.GetProperty("media_type").GetInt32(), Is.EqualTo(2), "an image");
            Assert.That(sent.GetProperty("version").GetInt32(), Is.EqualTo(2));
            Assert.That(sent.GetProperty("scene").GetInt32(), Is.EqualTo(3));
            Assert.That(sent.GetProperty("openid").GetString(), Is.EqualTo("o-check-resident"));
            Assert.That(DateTimeOffset.FromUnixTimeSeconds(expires) - clock.GetUtcNow(), Is.GreaterThanOrEqualTo(TimeSpan.FromMinutes(30)),
                "the link outlives WeChat's 30-minute window");
            Assert.That(download.StatusCode, Is.EqualTo(HttpStatusCode.OK), "WeChat downloads the photo while it is pending");
            Assert.That(download.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/jpeg"));
            Assert.That(photo.MediaTraceId, Is.EqualTo("trace-photo-1"));
            Assert.That(photo.Moderation, Is.EqualTo(Moderation.Pending));
        });
    }

    [Test]
    public async Task PendingPhoto_IsShownToItsOwnerAndToStaff()
    {
        var id = await UploadAsync();
        await RunJobsAsync();
        await FileReportAsync(id);

        Assert.Multiple(async () =>
        {
            Assert.That((await resident.GetAsync($"/api/photos/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await community.GetAsync($"/api/photos/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await dispatcher.GetAsync($"/api/photos/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task WechatFails_SubmissionIsRetriedAfterTheBackoff()
    {
        wechat.OnJson(MediaCheckPath, """{"errcode":-1,"errmsg":"system error"}""");
        var id = await UploadAsync();

        await RunJobsAsync();
        var failedCalls = wechat.CallsTo(MediaCheckPath);
        var afterFailure = await JobAsync(id);
        clock.Advance(WechatJobStore.Backoff(1) - TimeSpan.FromSeconds(1));
        await RunJobsAsync();
        var beforeBackoff = wechat.CallsTo(MediaCheckPath);
        wechat.OnJson(MediaCheckPath, """{"errcode":0,"errmsg":"ok","trace_id":"trace-after-retry"}""");
        clock.Advance(TimeSpan.FromSeconds(1));
        await RunJobsAsync();

        var done = await JobAsync(id);
        Assert.Multiple(async () =>
        {
            Assert.That(failedCalls, Is.GreaterThanOrEqualTo(1));
            Assert.That(afterFailure.Attempts, Is.EqualTo(1));
            Assert.That(afterFailure.LastError, Does.Contain("media_check_async"));
            Assert.That(beforeBackoff, Is.EqualTo(failedCalls), "nothing is sent again before the backoff has passed");
            Assert.That(done.CompletedAt, Is.Not.Null);
            Assert.That((await PhotoAsync(id)).MediaTraceId, Is.EqualTo("trace-after-retry"));
        });
    }

    [TestCase("pass", false)]
    [TestCase("review", true)]
    [TestCase("risky", true)]
    public async Task PushedResult_IsAppliedOncePerTraceId(string suggest, bool flagsTheCase)
    {
        var id = await UploadAsync();
        await RunJobsAsync();
        var trackingNo = await FileReportAsync(id);

        await AssertSuccess(await PushAsync(FakeWechatServer.MediaCheckPush("trace-photo-1", suggest)));
        await RunJobsAsync();
        await AssertSuccess(await PushAsync(FakeWechatServer.MediaCheckPush("trace-photo-1", suggest), nonce: "again"));
        await RunJobsAsync();
        // Even a different verdict under the same trace_id (which WeChat never sends) changes nothing once one was applied.
        var handler = app.Services.GetServices<IMediaCheckResultHandler>().Single(h => h.GetType().Name == "PhotoCheckResults");
        await handler.ApplyAsync(new MediaCheckResult("trace-photo-1", suggest == "pass" ? "risky" : "pass", "100", null), CancellationToken.None);

        var photo = await PhotoAsync(id);
        var detail = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{trackingNo}");
        var photoSteps = PhotoSteps(detail);
        Assert.Multiple(() =>
        {
            Assert.That(photo.Moderation, Is.EqualTo(suggest));
            Assert.That(photo.ModerationLabel, Is.EqualTo("100"));
            Assert.That(detail.GetProperty("contentReview").GetBoolean(), Is.EqualTo(flagsTheCase));
            Assert.That(detail.GetProperty("contentUnchecked").GetBoolean(), Is.False);
            Assert.That(photoSteps, Has.Count.EqualTo(flagsTheCase ? 1 : 0), string.Join("\n", photoSteps));
            Assert.That(photoSteps.All(n => n.Contains("trace-photo-1", StringComparison.Ordinal)), Is.True, "the step names WeChat's trace_id");
        });
    }

    [Test]
    public async Task RiskyPhoto_IsHiddenFromTheOwnerAndOtherStaff_TheDispatchCenterSeesIt_AndTheCaseIsFlagged()
    {
        var id = await UploadAsync();
        await RunJobsAsync();
        var trackingNo = await FileReportAsync(id);
        var link = (await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{trackingNo}")).GetProperty("photos")[0];
        var staffLink = (await community.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{trackingNo}")).GetProperty("photos")[0];

        await AssertSuccess(await PushAsync(FakeWechatServer.MediaCheckPush("trace-photo-1", "risky", "\"20002\"")));
        await RunJobsAsync();

        var detail = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{trackingNo}");
        var flagged = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/complaints?contentReview=true");
        Assert.Multiple(async () =>
        {
            await ProblemAssert.IsProblem(await resident.GetAsync($"/api/photos/{id}"), HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(await community.GetAsync($"/api/photos/{id}/thumb"), HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(await anonymous.GetAsync(OnThisServer(link.GetProperty("url").GetString()!)), HttpStatusCode.NotFound);
            await ProblemAssert.IsProblem(await anonymous.GetAsync(OnThisServer(staffLink.GetProperty("thumbUrl").GetString()!)), HttpStatusCode.NotFound);
            Assert.That((await dispatcher.GetAsync($"/api/photos/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(detail.GetProperty("contentReview").GetBoolean(), Is.True);
            Assert.That(PhotoSteps(detail).Single(), Does.Contain("违规").And.Contain("20002"));
            Assert.That(flagged.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()), Does.Contain(trackingNo));
        });
    }

    [Test]
    public async Task ResultBeforeTheReport_FlagsTheCaseWhenThePhotoIsAttached()
    {
        var id = await UploadAsync();
        await RunJobsAsync();
        await AssertSuccess(await PushAsync(FakeWechatServer.MediaCheckPush("trace-photo-1", "review", "\"21000\"")));
        await RunJobsAsync();

        var trackingNo = await FileReportAsync(id);

        var detail = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{trackingNo}");
        Assert.Multiple(() =>
        {
            Assert.That(detail.GetProperty("contentReview").GetBoolean(), Is.True);
            Assert.That(PhotoSteps(detail).Single(), Does.Contain("待人工复核").And.Contain("21000"));
        });
    }

    [Test]
    public async Task PhotoStillPendingAfterAnHour_IsFlaggedByTheSweep_NotPassed()
    {
        var id = await UploadAsync();
        await RunJobsAsync();
        var trackingNo = await FileReportAsync(id);
        var sweep = app.Service<PhotoSweep>();

        clock.Advance(PhotoStore.CheckWindow - TimeSpan.FromMinutes(1));
        var early = await sweep.RunOnceAsync(CancellationToken.None);
        var beforeTheHour = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{trackingNo}");
        clock.Advance(TimeSpan.FromMinutes(2));
        var due = await sweep.RunOnceAsync(CancellationToken.None);
        var again = await sweep.RunOnceAsync(CancellationToken.None);

        var detail = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{trackingNo}");
        var photo = await PhotoAsync(id);
        Assert.Multiple(async () =>
        {
            Assert.That(early.FlaggedUnchecked, Is.Zero);
            Assert.That(beforeTheHour.GetProperty("contentUnchecked").GetBoolean(), Is.False);
            Assert.That(due.FlaggedUnchecked, Is.EqualTo(1));
            Assert.That(again.FlaggedUnchecked, Is.Zero, "flagged once");
            Assert.That(detail.GetProperty("contentUnchecked").GetBoolean(), Is.True);
            Assert.That(PhotoSteps(detail).Single(), Does.Contain("1 小时"));
            Assert.That(photo.Moderation, Is.EqualTo(Moderation.Pending), "not silently passed");
            Assert.That(photo.UncheckedAt, Is.Not.Null);
            Assert.That((await resident.GetAsync($"/api/photos/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "still the owner's while pending");
        });
    }

    [Test]
    public async Task CrashBetweenUploadAndSubmission_TheJobSurvivesAndIsSubmittedAfterTheRestart()
    {
        wechat.OnJson(MediaCheckPath, """{"errcode":0,"errmsg":"ok","trace_id":"trace-after-restart"}""");
        var id = await UploadAsync();
        // The process dies before its job loop got to the submission.
        resident.Dispose();
        await app.DisposeAsync();
        var callsBeforeRestart = wechat.CallsTo(MediaCheckPath);

        app = Start();
        var pending = await JobAsync(id);
        await RunJobsAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(callsBeforeRestart, Is.Zero);
            Assert.That(pending.CompletedAt, Is.Null, "the job row outlived the process");
            Assert.That(wechat.CallsTo(MediaCheckPath), Is.EqualTo(1));
            Assert.That((await PhotoAsync(id)).MediaTraceId, Is.EqualTo("trace-after-restart"));
            Assert.That((await JobAsync(id)).CompletedAt, Is.Not.Null);
        });
    }

    [Test]
    public async Task WechatRefusesTheResident_PhotoIsFlaggedAtOnceInsteadOfRetried()
    {
        wechat.OnJson(MediaCheckPath, """{"errcode":61010,"errmsg":"user access expired"}""");
        var id = await UploadAsync();
        var trackingNo = await FileReportAsync(id);

        await RunJobsAsync();

        var detail = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{trackingNo}");
        Assert.Multiple(async () =>
        {
            Assert.That((await JobAsync(id)).CompletedAt, Is.Not.Null, "retrying cannot change 61010");
            Assert.That((await PhotoAsync(id)).UncheckedAt, Is.Not.Null);
            Assert.That(detail.GetProperty("contentUnchecked").GetBoolean(), Is.True);
            Assert.That(PhotoSteps(detail).Single(), Does.Contain("61010"));
        });
    }

    [Test]
    public async Task Emulator_AFileNameMarker_MakesTheUploadRiskyThroughThePushPath()
    {
        var emulatorClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulated = new LianApiFactory(configureServices: s => s.AddSingleton<TimeProvider>(emulatorClock),
            configureTestServices: s => s.Remove(s.Single(d => d.ImplementationType == typeof(WechatJobLoop))));
        using var uploader = await emulated.LoginAsync("emulator-photo-owner");
        var response = await uploader.PostAsync("/api/photos", TestImages.Form(TestImages.Jpeg(320, 240), "楼道-test-risky.jpg"));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var runner = emulated.Service<WechatJobRunner>();

        await runner.RunDueAsync(CancellationToken.None);
        emulatorClock.Advance(LianApi.ContentSafety.EmulatedMediaChecker.Delay);
        // The emulator's push is stored by one job and applied by the next.
        await runner.RunDueAsync(CancellationToken.None);
        await runner.RunDueAsync(CancellationToken.None);

        var moderation = await emulated.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<string>(
            "SELECT Moderation FROM Photos WHERE Id = @Id", new { Id = id }), CancellationToken.None);
        Assert.That(moderation, Is.EqualTo(Moderation.Risky));
    }

    private sealed record PhotoState
    {
        public string Moderation { get; init; } = "";
        public string? ModerationLabel { get; init; }
        public string? MediaTraceId { get; init; }
        public DateTime? UncheckedAt { get; init; }
    }

    private sealed record JobState
    {
        public int Attempts { get; init; }
        public string? LastError { get; init; }
        public DateTime? CompletedAt { get; init; }
    }

    private Task<PhotoState> PhotoAsync(string id) => app.Service<Database>().ReadAsync(c => c.QuerySingleAsync<PhotoState>(
        "SELECT Moderation, ModerationLabel, MediaTraceId, UncheckedAt FROM Photos WHERE Id = @Id", new { Id = id }), CancellationToken.None);

    private Task<JobState> JobAsync(string photoId) => app.Service<Database>().ReadAsync(c => c.QuerySingleAsync<JobState>(
        "SELECT Attempts, LastError, CompletedAt FROM WechatJobs WHERE DedupKey = @Key", new { Key = "photo-media-check:" + photoId }), CancellationToken.None);

    private async Task RunJobsAsync()
    {
        while (await app.Service<WechatJobRunner>().RunDueAsync(CancellationToken.None) == WechatJobRunner.Batch)
        {
        }
    }

    private async Task<string> UploadAsync()
    {
        var response = await resident.PostAsync("/api/photos", TestImages.Form(TestImages.Jpeg(320, 240)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<string> FileReportAsync(params string[] photoIds)
    {
        var response = await resident.SubmitAsync(new
        {
            communityCode = "gongyuanmen", categoryCode = "sanitation", description = "楼道堆满杂物，堵住了消防通道", photoIds,
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNo").GetString()!;
    }

    /// <summary>The internal content_checked steps about photos (the text check writes its own).</summary>
    private static List<string> PhotoSteps(JsonElement staffDetail) => staffDetail.GetProperty("timeline").EnumerateArray()
        .Where(e => e.GetProperty("kind").GetString() == "content_checked")
        .Select(e => e.GetProperty("note").GetString() ?? "")
        .Where(n => n.Contains("图片", StringComparison.Ordinal)).ToList();

    private Task<HttpResponseMessage> PushAsync(string json, string nonce = "nonce-1")
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = PushCrypto.Signature(Token, timestamp, nonce);
        return anonymous.PostAsync($"/api/wechat/push?signature={signature}&timestamp={timestamp}&nonce={nonce}",
            new StringContent(json, Encoding.UTF8, "application/json"));
    }

    private static async Task AssertSuccess(HttpResponseMessage response) =>
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("success"));

    /// <summary>A link under the configured public base URL (the district's host, which WeChat reaches), asked of this test's server.</summary>
    private static string OnThisServer(string link)
    {
        Assert.That(link, Does.StartWith("https://lian.example.gov.cn/api/photos/"), "links start with Photos__PublicBaseUrl");
        return new Uri(link).PathAndQuery;
    }
}
