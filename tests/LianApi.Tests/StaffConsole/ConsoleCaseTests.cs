using System.Net;
using LianApi.Staff;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.StaffConsole;

/// <summary>
/// The console's case pages through the real app: the scope is the API's (another community's case is a 404 by URL and absent
/// from the list), and a form acts through the API's own handler (field errors at the field, the person on the timeline).
/// </summary>
public sealed class ConsoleCaseTests
{
    private LianApiFactory app = null!;
    private HttpClient community = null!;
    private string trackingNo = "";

    [OneTimeSetUp]
    public async Task StartApp()
    {
        app = new LianApiFactory();
        community = await app.StaffAsync("console-gongyuanmen", StaffRoles.Community, "gongyuanmen", name: "贡院门社工");
        var resident = await app.LoginAsync("console-resident-1");
        trackingNo = await resident.FileAsync();
    }

    [OneTimeTearDown]
    public async Task StopApp() => await app.DisposeAsync();

    [Test]
    public async Task CaseOfAnotherCommunity_IsNotFoundByUrl_AndAbsentFromTheList()
    {
        var other = await app.StaffAsync("console-daxing", StaffRoles.Community, "daxingdonglu", name: "大兴东路社工");
        var browser = new ConsoleBrowser(app);
        await browser.LogInAsync(other);

        var byUrl = await browser.GetAsync($"/console/cases/{trackingNo}");
        var notFoundPage = browser.LastHtml;
        var action = await browser.GetAsync($"/console/cases/{trackingNo}/act/accept");
        var list = await browser.GetAsync($"/console/cases?q={trackingNo}");

        Assert.Multiple(() =>
        {
            Assert.That(byUrl.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(notFoundPage, Does.Contain("未找到案件").And.Not.Contain("小区电梯坏了"), notFoundPage);
            Assert.That(action.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(browser.LastHtml, Does.Contain("共 0 件").And.Not.Contain($"href=\"/console/cases/{trackingNo}\""));
        });
    }

    [Test]
    public async Task Inbox_ListsTheCommunitysCase_WithItsAllowedActions()
    {
        var browser = new ConsoleBrowser(app);
        await browser.LogInAsync(community);

        var list = await browser.GetAsync("/console/cases?sort=urgent");

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(browser.LastHtml, Does.Contain(trackingNo).And.Contain("签收"));
    }

    [Test]
    public async Task Inbox_UnknownFilterValue_IsTheApisFieldError()
    {
        var browser = new ConsoleBrowser(app);
        await browser.LogInAsync(community);

        var list = await browser.GetAsync("/console/cases?status=nonsense");

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(browser.LastHtml, Does.Contain("data-field=\"status\""));
    }

    [Test]
    public async Task ActionForm_WithoutItsAntiforgeryToken_IsRefusedAndChangesNothing()
    {
        var resident = await app.LoginAsync("console-resident-2");
        var no = await resident.FileAsync();
        var browser = new ConsoleBrowser(app);
        await browser.LogInAsync(community);

        var forged = await browser.PostAsync($"/console/cases/{no}/act/accept", [KeyValuePair.Create("_handler", "act")]);

        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(app.Case(no).Status, Is.EqualTo("submitted"));
    }

    [Test]
    public async Task Accept_ThenResolveWithoutReply_ShowsTheFieldError_ThenResolves_WithThePersonOnTheTimeline()
    {
        var resident = await app.LoginAsync("console-resident-3");
        var no = await resident.FileAsync();
        var browser = new ConsoleBrowser(app);
        await browser.LogInAsync(community);

        await browser.GetAsync($"/console/cases/{no}/act/accept");
        var accepted = await browser.SubmitAsync(browser.LastHtml, "action-form", $"/console/cases/{no}/act/accept");
        await browser.GetAsync($"/console/cases/{no}/act/resolve");
        var resolveForm = browser.LastHtml;
        var noReply = await browser.SubmitAsync(resolveForm, "action-form", $"/console/cases/{no}/act/resolve", ("Form.Reply", ""));
        var fieldError = browser.LastHtml;
        var resolved = await browser.SubmitAsync(fieldError, "action-form", $"/console/cases/{no}/act/resolve", ("Form.Reply", "已修好电梯，请您确认。"));
        var casePage = await browser.GetAsync($"/console/cases/{no}");

        Assert.Multiple(() =>
        {
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "a successful action redirects to the case (post, redirect, get)");
            Assert.That(noReply.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(fieldError, Does.Match("data-error-for=\"reply\">[^<]+<"), "the API's error for reply, shown at the reply field");
            Assert.That(fieldError, Does.Contain("data-error-for=\"reply\">请填写答复居民的内容<"), "the API's missing reply, said with the form's words");
            Assert.That(fieldError, Does.Contain("请检查下面标出的内容").And.Not.Contain(LianApi.Resources.Messages.DetailValidation).And.Not.Contain("需要填写 reply"),
                "the summary speaks of the form, not of the API's errors and keys");
            Assert.That(resolved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(app.Case(no).Status, Is.EqualTo("resolved"));
            Assert.That(casePage.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(browser.LastHtml, Does.Contain("贡院门社工（社区工作人员）"), "the person who acted, on the timeline");
            Assert.That(browser.LastHtml, Does.Contain("已修好电梯"));
        });
    }

    [Test]
    public async Task RevealPhone_IsTheAuditedApiCall()
    {
        var resident = await app.LoginAsync("console-resident-4");
        var no = await resident.FileAsync(phone: "13812345678");
        var browser = new ConsoleBrowser(app);
        await browser.LogInAsync(community);
        await browser.GetAsync($"/console/cases/{no}");
        var masked = browser.LastHtml;

        var revealed = await browser.SubmitAsync(masked, "reveal-phone", $"/console/cases/{no}");

        Assert.Multiple(() =>
        {
            Assert.That(masked, Does.Not.Contain("13812345678"));
            Assert.That(revealed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(browser.LastHtml, Does.Contain("13812345678"));
        });
        var audits = await app.Service<LianApi.Data.Database>().ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<int>(c,
            "SELECT COUNT(*) FROM PhoneReveals r JOIN Complaints c ON c.Id = r.ComplaintId WHERE c.TrackingNo = @No", new { No = no }), CancellationToken.None);
        Assert.That(audits, Is.EqualTo(1), "every reveal is audited, as through the API");
    }
}
