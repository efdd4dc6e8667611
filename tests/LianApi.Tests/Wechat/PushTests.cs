using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using LianApi.Data;
using LianApi.Tests.Infrastructure;
using LianApi.Wechat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.Wechat;

/// <summary>
/// The message-push endpoint as WeChat calls it: the URL check, safe-mode pushes encrypted here with the documented
/// algorithm (the app has an EncodingAESKey, as production should), signed plaintext pushes to an app without one
/// ([PlaintextMode]), replays and duplicates. The job queue is driven by the test (RunDueAsync), so every "applied
/// once" is a fact, not a race; one test lets the background loop do it.
/// </summary>
public sealed class PushTests
{
    /// <summary>The test runs against an app configured for plaintext mode: a push Token and no EncodingAESKey.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    private sealed class PlaintextModeAttribute : Attribute;

    private const string Token = "LianPushToken2026";
    // The platform documentation's sample key: 43 letters and digits, the last one with non-zero unused bits, as real keys have.
    private const string AesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private FakeWechatServer wechat = null!;
    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private HttpClient client = null!;
    private RecordingHandlers recorded = null!;

    [SetUp]
    public async Task StartAsync()
    {
        wechat = await FakeWechatServer.StartAsync();
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        recorded = new RecordingHandlers();
        var settings = wechat.LiveSettings();
        settings["Wechat:PushToken"] = Token;
        if (TestContext.CurrentContext.Test.Method?.IsDefined<PlaintextModeAttribute>(false) != true)
        {
            settings["Wechat:EncodingAesKey"] = AesKey;
        }
        var background = TestContext.CurrentContext.Test.Properties.ContainsKey("Background");
        app = new LianApiFactory(settings, configureServices: s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            var handlers = recorded;
            s.AddSingleton<IWechatPushHandler>(handlers);
            s.AddSingleton<IMediaCheckResultHandler>(handlers);
        }, configureTestServices: s =>
        {
            if (!background)
            {
                // The test runs the queue itself.
                foreach (var loop in s.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(WechatJobLoop)).ToList())
                {
                    s.Remove(loop);
                }
            }
        });
        client = app.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        await wechat.DisposeAsync();
    }

    private string Now => clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private Task<int> RunJobsAsync() => app.Service<WechatJobRunner>().RunDueAsync(CancellationToken.None);

    private static string PopupEvent(string openId = "o-resident", long createTime = 1733112000) => $$"""
        {"ToUserName":"gh_lian","FromUserName":"{{openId}}","CreateTime":{{createTime}},"MsgType":"event","Event":"subscribe_msg_popup_event",
         "List":[{"TemplateId":"tpl-status","SubscribeStatusString":"accept","PopupScene":"0"}]}
        """;

    private Task<HttpResponseMessage> PostPlainAsync(string json, string? timestamp = null, string nonce = "nonce-1", string? signature = null)
    {
        timestamp ??= Now;
        signature ??= PushCrypto.Signature(Token, timestamp, nonce);
        return client.PostAsync($"/api/wechat/push?signature={signature}&timestamp={timestamp}&nonce={nonce}",
            new StringContent(json, Encoding.UTF8, "application/json"));
    }

    /// <summary>Safe mode as the platform documents it, built here independently of the app's code.</summary>
    private static string Encrypt(string json, string appId, int randomPrefixSeed = 1)
    {
        var key = Convert.FromBase64String(AesKey + "=");
        var message = Encoding.UTF8.GetBytes(json);
        var sender = Encoding.UTF8.GetBytes(appId);
        var random = new byte[16];
        new Random(randomPrefixSeed).NextBytes(random);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, message.Length);
        var plain = random.Concat(length).Concat(message).Concat(sender).ToList();
        var pad = 32 - plain.Count % 32;
        plain.AddRange(Enumerable.Repeat((byte)pad, pad));
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain.ToArray(), key.AsSpan(0, 16), PaddingMode.None));
    }

    private Task<HttpResponseMessage> PostEncryptedAsync(string encrypted, string? msgSignature = null, string? timestamp = null, string nonce = "nonce-2")
    {
        timestamp ??= Now;
        msgSignature ??= PushCrypto.Signature(Token, timestamp, nonce, encrypted);
        // WeChat also sends the plain signature in safe mode; the msg_signature is the one that covers the body.
        var signature = PushCrypto.Signature(Token, timestamp, nonce);
        return client.PostAsync($"/api/wechat/push?signature={signature}&timestamp={timestamp}&nonce={nonce}&encrypt_type=aes&msg_signature={msgSignature}",
            new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["ToUserName"] = "gh_lian", ["Encrypt"] = encrypted }),
                Encoding.UTF8, "application/json"));
    }

    private async Task<(int Events, int Jobs)> CountsAsync() =>
        await app.Service<Database>().ReadAsync(async c => (
            await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM WechatPushEvents"),
            await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM WechatJobs")), CancellationToken.None);

    private static async Task AssertSuccess(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(body, Is.EqualTo("success"));
        });
    }

    [Test]
    public async Task VerifyUrl_RightSignature_EchoesEchostr()
    {
        var timestamp = Now;
        var signature = PushCrypto.Signature(Token, timestamp, "n1");

        var response = await client.GetAsync($"/api/wechat/push?signature={signature}&timestamp={timestamp}&nonce=n1&echostr=echo-5503");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("echo-5503"));
        });
    }

    [Test]
    public void Signature_IsSha1OfTheSortedStrings()
    {
        // sorted: "1409304348" < "LianPushToken2026" < "xxxxxx"; sha1 of their concatenation.
        var expected = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("1409304348" + Token + "xxxxxx")));

        Assert.That(PushCrypto.Signature(Token, "1409304348", "xxxxxx"), Is.EqualTo(expected));
    }

    [TestCase("0000000000000000000000000000000000000000")]
    [TestCase("")]
    public async Task VerifyUrl_WrongSignature_Returns401(string signature)
    {
        var response = await client.GetAsync($"/api/wechat/push?signature={signature}&timestamp={Now}&nonce=n1&echostr=echo");

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized);
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("unauthenticated"));
    }

    [Test, PlaintextMode]
    public async Task Plaintext_SignedPush_IsStoredAnsweredAndAppliedOnce()
    {
        var response = await PostPlainAsync(PopupEvent());

        await AssertSuccess(response);
        Assert.That(recorded.Pushes, Is.Empty, "answered before it is applied");
        await RunJobsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(recorded.Pushes.Single().GetProperty("FromUserName").GetString(), Is.EqualTo("o-resident"));
            Assert.That(recorded.Pushes.Single().GetProperty("List")[0].GetProperty("SubscribeStatusString").GetString(), Is.EqualTo("accept"));
        });
    }

    [Test, PlaintextMode]
    public async Task Plaintext_WrongSignature_Returns401AndStoresNothing()
    {
        var response = await PostPlainAsync(PopupEvent(), signature: PushCrypto.Signature("another-token", Now, "nonce-1"));

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized);
        Assert.That(await CountsAsync(), Is.EqualTo((0, 0)));
    }

    [TestCase(-301), PlaintextMode]
    [TestCase(301)]
    public async Task Plaintext_TimestampOutsideFiveMinutes_Returns401(int offsetSeconds)
    {
        var timestamp = (clock.GetUtcNow().ToUnixTimeSeconds() + offsetSeconds).ToString(CultureInfo.InvariantCulture);

        var response = await PostPlainAsync(PopupEvent(), timestamp);

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized);
        Assert.That(await CountsAsync(), Is.EqualTo((0, 0)));
    }

    [Test, PlaintextMode]
    public async Task Plaintext_TimestampWithinFiveMinutes_IsAccepted()
    {
        var timestamp = (clock.GetUtcNow().ToUnixTimeSeconds() - 299).ToString(CultureInfo.InvariantCulture);

        await AssertSuccess(await PostPlainAsync(PopupEvent(), timestamp));
    }

    [Test, PlaintextMode]
    public async Task SignedButNotJson_Returns400()
    {
        var problem = await ProblemAssert.IsProblem(await PostPlainAsync("<xml><Event>x</Event></xml>"), HttpStatusCode.BadRequest);

        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("invalid_json"));
    }

    [Test, PlaintextMode]
    public async Task DuplicatePush_IsAnsweredSuccessEachTimeAndAppliedOnce()
    {
        // WeChat retries a push it thinks we missed, with a new nonce and timestamp but the same event.
        await AssertSuccess(await PostPlainAsync(PopupEvent(), nonce: "first"));
        await AssertSuccess(await PostPlainAsync(PopupEvent(), nonce: "retry"));
        await RunJobsAsync();
        await AssertSuccess(await PostPlainAsync(PopupEvent(), nonce: "late-retry"));
        await RunJobsAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(recorded.Pushes, Has.Count.EqualTo(1));
            Assert.That(await CountsAsync(), Is.EqualTo((1, 1)));
        });
    }

    [Test, PlaintextMode]
    public async Task DuplicateMediaCheckResult_ByTraceId_IsAppliedOnce()
    {
        await AssertSuccess(await PostPlainAsync(FakeWechatServer.MediaCheckPush("trace-m-1", "risky", "20002"), nonce: "a"));
        await AssertSuccess(await PostPlainAsync(FakeWechatServer.MediaCheckPush("trace-m-1", "risky", "20002"), nonce: "b"));
        await RunJobsAsync();

        Assert.That(recorded.MediaResults.Single(), Is.EqualTo(new MediaCheckResult("trace-m-1", "risky", "20002", null)));
    }

    [TestCase("{}")]
    [TestCase("{\"Event\":\"subscribe_msg_popup_event\",\"FromUserName\":\"o-1\",\"CreateTime\":1}")]
    [TestCase("{\"Event\":\"subscribe_msg_popup_event\",\"FromUserName\":\"o-1\",\"CreateTime\":1,\"List\":[],\"padding\":\"0123456789abcdefghij\"}")]
    [TestCase("{\"Event\":\"wxa_media_check\",\"trace_id\":\"t\",\"result\":{\"suggest\":\"pass\",\"label\":100},\"x\":\"中文内容让长度变化\"}")]
    public async Task SafeMode_EncryptedPush_IsDecryptedVerifiedAndStored(string json)
    {
        // Messages of different lengths: the 32-byte-block padding takes every value, above 16 included.
        await AssertSuccess(await PostEncryptedAsync(Encrypt(json, FakeWechatServer.AppId)));

        var stored = await app.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT Body FROM WechatPushEvents"), CancellationToken.None);
        Assert.That(stored, Is.EqualTo(json));
    }

    [Test]
    public async Task SafeMode_PaddingAbove16_IsAccepted()
    {
        // 16 random + 4 length + message + 13 appid ("wx-test-appid"): a 3-byte message leaves 36 % 32 = 4, so 28 bytes of padding.
        Assert.That(FakeWechatServer.AppId, Has.Length.EqualTo(13));
        await AssertSuccess(await PostEncryptedAsync(Encrypt("{ }", FakeWechatServer.AppId)));
    }

    [Test]
    public async Task SafeMode_MediaCheckResult_ReachesTheMediaHandler()
    {
        await AssertSuccess(await PostEncryptedAsync(Encrypt(FakeWechatServer.MediaCheckPush("trace-safe-1", "pass"), FakeWechatServer.AppId)));
        await RunJobsAsync();

        Assert.That(recorded.MediaResults.Single(), Is.EqualTo(new MediaCheckResult("trace-safe-1", "pass", "100", null)));
    }

    [Test]
    public async Task SafeMode_WrongMsgSignature_Returns401AndStoresNothing()
    {
        var encrypted = Encrypt(PopupEvent(), FakeWechatServer.AppId);
        var timestamp = Now;

        // The plain signature is right; the one over the body is not.
        var response = await PostEncryptedAsync(encrypted, PushCrypto.Signature(Token, timestamp, "nonce-2", encrypted + "x"), timestamp);

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized);
        Assert.That(await CountsAsync(), Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task SafeMode_AnotherAppId_Returns401()
    {
        await ProblemAssert.IsProblem(await PostEncryptedAsync(Encrypt(PopupEvent(), "wx-another-app")), HttpStatusCode.Unauthorized);
        Assert.That(await CountsAsync(), Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task SafeMode_CorruptCiphertext_Returns401()
    {
        var encrypted = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

        await ProblemAssert.IsProblem(await PostEncryptedAsync(encrypted), HttpStatusCode.Unauthorized);
    }

    private static string ChangeEvent(string openId = "o-resident") => $$"""
        {"ToUserName":"gh_lian","FromUserName":"{{openId}}","CreateTime":1733112100,"MsgType":"event","Event":"subscribe_msg_change_event",
         "List":[{"TemplateId":"tpl-status","SubscribeStatusString":"reject"}]}
        """;

    // Issue 23: the forged pushes of the report. A plain signature covers Token, timestamp and nonce, never the body, so
    // one seen anywhere (a URL check, a proxy's log) signed any body for five minutes.
    [TestCase("subscribe_msg_change_event")]
    [TestCase("wxa_media_check")]
    public async Task SafeModeConfigured_PlaintextPush_Returns401AndStoresNothing(string eventName)
    {
        var forged = eventName == PushIdentity.MediaCheckEvent ? FakeWechatServer.MediaCheckPush("trace-forged", "pass") : ChangeEvent();

        var response = await PostPlainAsync(forged);

        var problem = await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized);
        Assert.Multiple(async () =>
        {
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("unauthenticated"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("安全模式"));
            Assert.That(await CountsAsync(), Is.EqualTo((0, 0)));
        });
    }

    [Test]
    public async Task SafeMode_OnlyThePlainSignature_Returns401()
    {
        var timestamp = Now;
        var encrypted = Encrypt(PopupEvent(), FakeWechatServer.AppId);
        var signature = PushCrypto.Signature(Token, timestamp, "nonce-3");

        var response = await client.PostAsync($"/api/wechat/push?signature={signature}&timestamp={timestamp}&nonce=nonce-3&encrypt_type=aes",
            new StringContent(JsonSerializer.Serialize(new { ToUserName = "gh_lian", Encrypt = encrypted }), Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblem(response, HttpStatusCode.Unauthorized);
        Assert.That(await CountsAsync(), Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task SafeMode_SameTimestampAndNonceAgain_Returns401()
    {
        var timestamp = Now;
        var encrypted = Encrypt(PopupEvent(), FakeWechatServer.AppId);
        await AssertSuccess(await PostEncryptedAsync(encrypted, timestamp: timestamp, nonce: "once"));

        var replayed = await PostEncryptedAsync(encrypted, timestamp: timestamp, nonce: "once");

        await ProblemAssert.IsProblem(replayed, HttpStatusCode.Unauthorized);
        Assert.That(await CountsAsync(), Is.EqualTo((1, 1)));
    }

    [Test, PlaintextMode]
    public async Task Plaintext_SignatureReusedWithAnotherBody_Returns401()
    {
        var timestamp = Now;
        await AssertSuccess(await PostPlainAsync(PopupEvent(), timestamp, nonce: "seen"));

        var forged = await PostPlainAsync(ChangeEvent(), timestamp, nonce: "seen");

        await ProblemAssert.IsProblem(forged, HttpStatusCode.Unauthorized);
        Assert.That(await CountsAsync(), Is.EqualTo((1, 1)));
    }

    [Test]
    public async Task Nonce_UsedOnOneInstance_IsRefusedOnAnother()
    {
        var settings = wechat.LiveSettings();
        settings["Wechat:PushToken"] = Token;
        settings["Wechat:EncodingAesKey"] = AesKey;
        settings["ConnectionStrings:Lian"] = $"Data Source={app.DatabasePath}";
        await using var other = new LianApiFactory(settings, configureServices: s => s.AddSingleton<TimeProvider>(clock));
        using var otherClient = other.CreateClient();
        var timestamp = Now;
        var encrypted = Encrypt(PopupEvent(), FakeWechatServer.AppId);
        var query = $"signature={PushCrypto.Signature(Token, timestamp, "shared")}&timestamp={timestamp}&nonce=shared&encrypt_type=aes" +
                    $"&msg_signature={PushCrypto.Signature(Token, timestamp, "shared", encrypted)}";
        var body = JsonSerializer.Serialize(new { ToUserName = "gh_lian", Encrypt = encrypted });
        await AssertSuccess(await client.PostAsync("/api/wechat/push?" + query, new StringContent(body, Encoding.UTF8, "application/json")));

        var replayed = await otherClient.PostAsync("/api/wechat/push?" + query, new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblem(replayed, HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Nonces_PastTheReplayWindow_ArePrunedWhenTheNextPushArrives()
    {
        await AssertSuccess(await PostEncryptedAsync(Encrypt(PopupEvent("o-early"), FakeWechatServer.AppId), nonce: "early"));
        clock.Advance(PushNonces.Lifetime + TimeSpan.FromSeconds(1));

        await AssertSuccess(await PostEncryptedAsync(Encrypt(PopupEvent("o-late"), FakeWechatServer.AppId), nonce: "late"));

        var nonces = await app.Service<Database>().ReadAsync(async c => (await c.QueryAsync<string>("SELECT Nonce FROM WechatPushNonces")).AsList(),
            CancellationToken.None);
        Assert.That(nonces, Is.EqualTo(new[] { "late" }));
    }

    [Test]
    public async Task Nonce_LongerThan64Characters_Returns401()
    {
        var nonce = new string('7', 65);

        await ProblemAssert.IsProblem(await PostEncryptedAsync(Encrypt(PopupEvent(), FakeWechatServer.AppId), nonce: nonce), HttpStatusCode.Unauthorized);
    }

    [Test, PlaintextMode]
    public async Task FailingHandler_RetriesAfterTheBackoffUntilItSucceeds()
    {
        recorded.FailuresLeft = 1;
        await AssertSuccess(await PostPlainAsync(PopupEvent()));

        await RunJobsAsync();
        var afterFailure = recorded.Attempts;
        clock.Advance(WechatJobStore.Backoff(1) - TimeSpan.FromSeconds(1));
        await RunJobsAsync();
        var beforeBackoff = recorded.Attempts;
        clock.Advance(TimeSpan.FromSeconds(1));
        await RunJobsAsync();

        var processed = await app.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM WechatPushEvents WHERE ProcessedAt IS NOT NULL"), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(afterFailure, Is.EqualTo(1));
            Assert.That(beforeBackoff, Is.EqualTo(1), "nothing runs before the backoff has passed");
            Assert.That(recorded.Attempts, Is.EqualTo(2));
            Assert.That(recorded.Pushes, Has.Count.EqualTo(1), "applied once");
            Assert.That(processed, Is.EqualTo(1));
        });
    }

    [Test]
    public void Backoff_DoublesFrom10SecondsUpToAnHour()
    {
        Assert.That(Enumerable.Range(1, WechatJobStore.MaxAttempts).Select(a => WechatJobStore.Backoff(a).TotalSeconds),
            Is.EqualTo(new double[] { 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600 }));
    }

    [Test]
    public async Task NotConfigured_Returns404()
    {
        await using var bare = new LianApiFactory(wechat.LiveSettings());

        await ProblemAssert.IsProblem(await bare.CreateClient().GetAsync($"/api/wechat/push?signature=x&timestamp={Now}&nonce=n&echostr=e"), HttpStatusCode.NotFound);
    }

    [Test, Property("Background", "true"), PlaintextMode]
    public async Task BackgroundLoop_AppliesAStoredPushWithoutBeingAsked()
    {
        await AssertSuccess(await PostPlainAsync(PopupEvent()));

        // A bound on the wait for the event, not a measurement.
        var applied = await recorded.FirstPush.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(applied.GetProperty("Event").GetString(), Is.EqualTo("subscribe_msg_popup_event"));
    }

    /// <summary>Records what the push path hands to the features (notifications, photos).</summary>
    public sealed class RecordingHandlers : IWechatPushHandler, IMediaCheckResultHandler
    {
        public ConcurrentQueue<JsonElement> PushQueue { get; } = new();
        public List<JsonElement> Pushes => [.. PushQueue];
        public ConcurrentQueue<MediaCheckResult> MediaQueue { get; } = new();
        public List<MediaCheckResult> MediaResults => [.. MediaQueue];
        public TaskCompletionSource<JsonElement> FirstPush { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int FailuresLeft { get; set; }
        public int Attempts;

        public string Event => "subscribe_msg_popup_event";

        public Task HandleAsync(WechatPushEvent pushed, JsonElement body, CancellationToken ct)
        {
            Interlocked.Increment(ref Attempts);
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new InvalidOperationException("notifications store unavailable (test)");
            }
            PushQueue.Enqueue(body.Clone());
            FirstPush.TrySetResult(body.Clone());
            return Task.CompletedTask;
        }

        public Task ApplyAsync(MediaCheckResult result, CancellationToken ct)
        {
            MediaQueue.Enqueue(result);
            return Task.CompletedTask;
        }
    }
}
