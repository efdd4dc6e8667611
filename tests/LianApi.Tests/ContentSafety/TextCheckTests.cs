using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Complaints;
using LianApi.Tests.Infrastructure;
using LianApi.Wechat;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.ContentSafety;

/// <summary>
/// msg_sec_check against the loopback WeChat fake: every answer WeChat can give to a resident's report, and what
/// the resident and the dispatch center get. No report is lost: only risky text is refused, and then nothing is stored.
/// </summary>
public sealed class TextCheckTests
{
    private const string MsgSecCheck = FakeWechatServer.MsgSecCheckPath;

    private FakeWechatServer wechat = null!;
    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private HttpClient resident = null!;

    [SetUp]
    public async Task StartAsync()
    {
        wechat = await FakeWechatServer.StartAsync();
        wechat.AcceptLoginsAndTokens();
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = wechat.LiveSettings();
        // The production budget: a check that hangs gives up (10 s) well before the request's own 15 s timeout.
        settings["Wechat:AttemptTimeout"] = "00:00:05";
        settings["Wechat:TotalTimeout"] = "00:00:10";
        app = new LianApiFactory(settings, configureServices: s => s.AddSingleton<TimeProvider>(clock));
        resident = await app.LoginAsync("resident-1");
    }

    [TearDown]
    public async Task StopAsync()
    {
        resident.Dispose();
        await app.DisposeAsync();
        await wechat.DisposeAsync();
    }

    private static object Report(string description = "楼道灯坏了，晚上看不见台阶", string? address = "3号楼2单元") =>
        new { communityCode = "gongyuanmen", categoryCode = "sanitation", description, address };

    private async Task<string> TrackingNoOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("trackingNo").GetString()!;
    }

    private ComplaintWithEvents Load(string trackingNo) =>
        app.Service<ComplaintStore>().LoadAsync(trackingNo, CancellationToken.None).GetAwaiter().GetResult()!;

    private static string CheckNote(ComplaintWithEvents loaded) =>
        loaded.Events.Single(e => e.Kind == EventKinds.ContentChecked).Note!;

    [Test]
    public async Task Submit_WechatSaysPass_StoresTheReportUnflaggedWithTheTraceOnTheTimeline()
    {
        wechat.OnJson(MsgSecCheck, FakeWechatServer.MsgSecCheck("pass", 100, "trace-pass-1"));

        var no = await TrackingNoOf(await resident.SubmitAsync(Report()));

        var loaded = Load(no);
        var sent = JsonDocument.Parse(wechat.BodiesOf(MsgSecCheck).Single()).RootElement;
        var residentView = await resident.GetFromJsonAsync<JsonElement>($"/api/complaints/{no}");
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Complaint.ContentReview, Is.False);
            Assert.That(loaded.Complaint.ContentUnchecked, Is.False);
            Assert.That(CheckNote(loaded), Does.Contain("通过").And.Contain("trace-pass-1").And.Contain("100"));
            Assert.That(loaded.Events.Single(e => e.Kind == EventKinds.ContentChecked).IsPublic, Is.False);
            Assert.That(residentView.Kinds(), Does.Not.Contain(EventKinds.ContentChecked), "the check is internal");
            Assert.That(sent.GetProperty("version").GetInt32(), Is.EqualTo(2));
            Assert.That(sent.GetProperty("scene").GetInt32(), Is.EqualTo(3), "a report is a post (forum)");
            Assert.That(sent.GetProperty("openid").GetString(), Is.EqualTo("o-resident-1"));
            Assert.That(sent.GetProperty("content").GetString(), Is.EqualTo("楼道灯坏了，晚上看不见台阶\n3号楼2单元"), "one call with both fields");
            Assert.That(wechat.Requests.Single(r => r.Path == MsgSecCheck).Query, Does.Contain("access_token=TOKEN-1"));
        });
    }

    [Test]
    public async Task Submit_WechatSaysRisky_Returns422ContentRejectedStoresNothingAndKeepsTheKeyFree()
    {
        wechat.OnJson(MsgSecCheck, FakeWechatServer.MsgSecCheck("risky", 20001, "trace-risky-1"));
        var key = Guid.NewGuid().ToString();

        var refused = await resident.SubmitAsync(Report("一段不适宜发布的描述文字"), key);

        var problem = await ProblemAssert.IsProblem(refused, HttpStatusCode.UnprocessableEntity);
        var mine = await resident.GetFromJsonAsync<JsonElement>("/api/complaints/mine");
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("content_rejected"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("修改"), "Chinese, asking to rephrase");
            Assert.That(problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "description", "address" }));
            Assert.That(mine.GetProperty("items").GetArrayLength(), Is.Zero, "nothing stored");
        });

        wechat.OnJson(MsgSecCheck, FakeWechatServer.MsgSecCheck("pass"));
        var retried = await resident.SubmitAsync(Report("楼道灯坏了，请尽快修理"), key);

        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the key was not consumed: the edited report goes through with it");
    }

    [Test]
    public async Task Submit_RiskyInEnglish_SaysSoInEnglish()
    {
        wechat.OnJson(MsgSecCheck, FakeWechatServer.MsgSecCheck("risky", 20003));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/complaints") { Content = JsonContent.Create(Report()) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.Add("Accept-Language", "en-US,en;q=0.9");

        var problem = await ProblemAssert.IsProblem(await resident.SendAsync(request), HttpStatusCode.UnprocessableEntity);

        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("rephrase"));
    }

    [Test]
    public async Task Submit_WechatSaysReview_AcceptsAndFlagsTheCaseForTheDispatchCenter()
    {
        wechat.OnJson(MsgSecCheck, FakeWechatServer.MsgSecCheck("review", 21000, "trace-review-1"));
        var no = await TrackingNoOf(await resident.SubmitAsync(Report()));
        var other = await TrackingNoOf(await resident.SubmitAsync(Report()));
        wechat.OnJson(MsgSecCheck, FakeWechatServer.MsgSecCheck("pass"));
        var passed = await TrackingNoOf(await resident.SubmitAsync(Report()));
        var dispatcher = await app.StaffAsync("dispatcher-1", "dispatcher", null);

        var flagged = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/complaints?contentReview=true");
        var clean = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/complaints?contentReview=false");
        var detail = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/complaints/{no}");

        Assert.Multiple(() =>
        {
            Assert.That(flagged.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()), Is.EquivalentTo(new[] { no, other }));
            Assert.That(flagged.GetProperty("items")[0].GetProperty("contentReview").GetBoolean(), Is.True);
            Assert.That(clean.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()), Is.EqualTo(new[] { passed }));
            Assert.That(detail.GetProperty("contentReview").GetBoolean(), Is.True);
            Assert.That(detail.GetProperty("contentUnchecked").GetBoolean(), Is.False);
            var step = detail.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "content_checked");
            Assert.That(step.GetProperty("note").GetString(), Does.Contain("trace-review-1").And.Contain("21000"));
            Assert.That(step.GetProperty("isPublic").GetBoolean(), Is.False);
        });

        var reviewed = await dispatcher.ActAsync(no, "content-reviewed", new { note = "已阅，为正常诉求" });
        var again = await dispatcher.ActAsync(no, "content-reviewed");
        var stillFlagged = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/complaints?contentReview=true");

        Assert.That(reviewed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reviewed.Content.ReadAsStringAsync());
        var after = await reviewed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(async () =>
        {
            Assert.That(after.GetProperty("contentReview").GetBoolean(), Is.False);
            Assert.That(after.GetProperty("timeline").EnumerateArray().Last().GetProperty("kind").GetString(), Is.EqualTo("content_reviewed"));
            Assert.That(after.GetProperty("timeline").EnumerateArray().Last().GetProperty("note").GetString(), Is.EqualTo("已阅，为正常诉求"));
            Assert.That((await ProblemAssert.IsProblem(again, HttpStatusCode.Conflict)).GetProperty("code").GetString(), Is.EqualTo("invalid_state"));
            Assert.That(stillFlagged.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()), Is.EqualTo(new[] { other }));
        });
    }

    [Test]
    public async Task Submit_WechatBusyMinus1_RetriesOnceThenAcceptsUnchecked()
    {
        wechat.OnJson(MsgSecCheck, """{"errcode":-1,"errmsg":"system error rid: 1"}""");

        var no = await TrackingNoOf(await resident.SubmitAsync(Report()));

        var loaded = Load(no);
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Complaint.ContentUnchecked, Is.True);
            Assert.That(loaded.Complaint.ContentReview, Is.False);
            Assert.That(CheckNote(loaded), Does.Contain("待人工复核"));
            Assert.That(wechat.CallsTo(MsgSecCheck), Is.EqualTo(2), "-1 gets one retry");
        });
    }

    [TestCase(StatusCodes.Status500InternalServerError)]
    [TestCase(StatusCodes.Status503ServiceUnavailable)]
    public async Task Submit_WechatHttpFailure_AcceptsUncheckedAfterTheClientsRetries(int status)
    {
        wechat.On(MsgSecCheck, FakeWechatServer.Status(status));
        // The pipeline's retry delays (10 ms here) run on the app's clock: this app keeps real time.
        await using var realTime = new LianApiFactory(wechat.LiveSettings());
        var client = await realTime.LoginAsync("resident-real-time");

        var response = await client.SubmitAsync(Report());

        var no = await TrackingNoOf(response);
        Assert.Multiple(() =>
        {
            Assert.That(realTime.Case(no).ContentUnchecked, Is.True);
            Assert.That(wechat.CallsTo(MsgSecCheck), Is.EqualTo(3), "the resilience pipeline retried twice");
        });
    }

    [Test]
    public async Task Submit_WechatHangs_AcceptsUncheckedAtTheTotalTimeout()
    {
        var reached = wechat.Hang(MsgSecCheck);
        var total = app.Service<IOptions<WechatOptions>>().Value.TotalTimeout;

        var submit = resident.SubmitAsync(Report());
        // Bounds on waits for events, not measurements: they only stop a broken build from hanging the suite.
        await reached.WaitAsync(TimeSpan.FromSeconds(60));
        clock.Advance(total);
        var response = await submit.WaitAsync(TimeSpan.FromSeconds(60));

        var no = await TrackingNoOf(response);
        Assert.That(Load(no).Complaint.ContentUnchecked, Is.True, "never a 503 for a resident's report");
    }

    [Test]
    public async Task Submit_Wechat61010_AcceptsUncheckedWithoutRetrying()
    {
        wechat.OnJson(MsgSecCheck, """{"errcode":61010,"errmsg":"user access expired rid: 2"}""");

        var no = await TrackingNoOf(await resident.SubmitAsync(Report()));

        var loaded = Load(no);
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Complaint.ContentUnchecked, Is.True);
            Assert.That(CheckNote(loaded), Does.Contain("61010"));
            Assert.That(wechat.CallsTo(MsgSecCheck), Is.EqualTo(1), "retrying cannot make the resident open the mini-program");
        });
    }

    [TestCase(40001)]
    [TestCase(42001)]
    public async Task Submit_WechatRejectsTheToken_RefreshesItOnceAndChecks(int errcode)
    {
        wechat.On(FakeWechatServer.StableTokenPath, FakeWechatServer.Sequence(
            FakeWechatServer.Json("""{"access_token":"TOKEN-OLD","expires_in":7200}"""),
            FakeWechatServer.Json("""{"access_token":"TOKEN-NEW","expires_in":7200}""")));
        wechat.On(MsgSecCheck, context => FakeWechatServer.Json(context.Request.Query["access_token"] == "TOKEN-NEW"
            ? FakeWechatServer.MsgSecCheck("review", 20012, "trace-after-refresh")
            : $$"""{"errcode":{{errcode}},"errmsg":"access_token expired"}""")(context));

        var no = await TrackingNoOf(await resident.SubmitAsync(Report()));

        var loaded = Load(no);
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Complaint.ContentReview, Is.True, "the check after the refresh counted");
            Assert.That(CheckNote(loaded), Does.Contain("trace-after-refresh"));
            Assert.That(wechat.CallsTo(FakeWechatServer.StableTokenPath), Is.EqualTo(2));
            Assert.That(wechat.CallsTo(MsgSecCheck), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Submit_TokenRejectedTwice_AcceptsUnchecked()
    {
        wechat.OnJson(MsgSecCheck, """{"errcode":40001,"errmsg":"invalid credential"}""");

        var no = await TrackingNoOf(await resident.SubmitAsync(Report()));

        Assert.Multiple(() =>
        {
            Assert.That(Load(no).Complaint.ContentUnchecked, Is.True);
            Assert.That(wechat.CallsTo(MsgSecCheck), Is.EqualTo(2), "one refresh, not a loop");
        });
    }

    [Test]
    public async Task Submit_RiskyTextResentOverAndOver_Is429BeforeItSpendsWechatsQuota()
    {
        wechat.OnJson(MsgSecCheck, FakeWechatServer.MsgSecCheck("risky", 20001));
        var settings = wechat.LiveSettings();
        settings["RateLimiting:ContentChecksPerMinute"] = "2";
        await using var limited = new LianApiFactory(settings);
        var spammer = await limited.LoginAsync("spammer");

        var first = await spammer.SubmitAsync(Report());
        var second = await spammer.SubmitAsync(Report());
        var third = await spammer.SubmitAsync(Report());
        var other = await (await limited.LoginAsync("neighbour")).SubmitAsync(Report());

        await ProblemAssert.IsProblem(first, HttpStatusCode.UnprocessableEntity);
        await ProblemAssert.IsProblem(second, HttpStatusCode.UnprocessableEntity);
        var problem = await ProblemAssert.IsProblem(third, HttpStatusCode.TooManyRequests);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("rate_limited"));
            Assert.That(third.Headers.RetryAfter, Is.Not.Null);
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "another resident has their own budget");
            Assert.That(wechat.CallsTo(MsgSecCheck), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Submit_UncheckedCases_AreInTheDispatchCentersFilter()
    {
        wechat.OnJson(MsgSecCheck, """{"errcode":61010,"errmsg":"user access expired"}""");
        var no = await TrackingNoOf(await resident.SubmitAsync(Report()));
        var dispatcher = await app.StaffAsync("dispatcher-2", "dispatcher", null);

        var page = await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff/complaints?contentUnchecked=true");

        Assert.That(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()), Is.EqualTo(new[] { no }));
    }

    /// <summary>A report that passed the check, accepted and resolved by its community: ready to be rated.</summary>
    private async Task<string> ResolvedCaseAsync(string staffCode)
    {
        wechat.OnJson(MsgSecCheck, FakeWechatServer.MsgSecCheck("pass"));
        var no = await TrackingNoOf(await resident.SubmitAsync(Report()));
        var community = await app.StaffAsync(staffCode, "community", "gongyuanmen");
        (await community.ActAsync(no, "accept")).EnsureSuccessStatusCode();
        (await community.ActAsync(no, "resolve", new { reply = "已更换灯泡" })).EnsureSuccessStatusCode();
        return no;
    }

    [Test]
    public async Task Evaluate_Comment_IsCheckedWithTheCommentScene()
    {
        var no = await ResolvedCaseAsync("community-1");

        wechat.OnJson(MsgSecCheck, FakeWechatServer.MsgSecCheck("risky", 20003, "trace-comment-risky"));
        var refused = await resident.PostAsJsonAsync($"/api/complaints/{no}/evaluation", new { resolved = true, satisfaction = "satisfied", comment = "骂人的话" });
        var problem = await ProblemAssert.IsProblem(refused, HttpStatusCode.UnprocessableEntity);
        Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("content_rejected"));
        Assert.That(await resident.StatusOfAsync(no), Is.EqualTo("resolved"), "nothing stored");

        wechat.OnJson(MsgSecCheck, FakeWechatServer.MsgSecCheck("review", 20012, "trace-comment-review"));
        var rated = await resident.PostAsJsonAsync($"/api/complaints/{no}/evaluation", new { resolved = true, satisfaction = "satisfied", comment = "修得很及时" });

        Assert.That(rated.StatusCode, Is.EqualTo(HttpStatusCode.OK), await rated.Content.ReadAsStringAsync());
        var loaded = Load(no);
        var sent = JsonDocument.Parse(wechat.BodiesOf(MsgSecCheck)[^1]).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Complaint.Status, Is.EqualTo(ComplaintStatus.Closed));
            Assert.That(loaded.Complaint.ContentReview, Is.True);
            Assert.That(loaded.Events.Last(e => e.Kind == EventKinds.ContentChecked).Note, Does.Contain("trace-comment-review"));
            Assert.That(sent.GetProperty("scene").GetInt32(), Is.EqualTo(2), "a comment");
            Assert.That(sent.GetProperty("content").GetString(), Is.EqualTo("修得很及时"));
        });
    }

    [Test]
    public async Task Evaluate_WithoutComment_CallsNoChecker()
    {
        var no = await ResolvedCaseAsync("community-2");

        var rated = await resident.PostAsJsonAsync($"/api/complaints/{no}/evaluation", new { resolved = true, satisfaction = "satisfied" });

        Assert.Multiple(() =>
        {
            Assert.That(rated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(wechat.CallsTo(MsgSecCheck), Is.EqualTo(1), "only the report was checked");
        });
    }
}
