using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LianApi.Staff;
using LianApi.StaffConsole;
using LianApi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace LianApi.Tests.StaffConsole;

/// <summary>
/// 扫码登录 through the real app: a ticket works once, for two minutes, only for the browser that showed it; the session is a
/// strict __Host- cookie backed by the database, and it ends when the account is deactivated, idles 30 minutes or logs out.
/// </summary>
public sealed class ConsoleLoginTests
{
    private FakeTimeProvider clock = null!;
    private LianApiFactory app = null!;
    private HttpClient dispatcher = null!;

    [SetUp]
    public async Task StartApp()
    {
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        app = new LianApiFactory(configureTestServices: s => FakeClock.Use(s, clock));
        dispatcher = await app.StaffAsync("console-dispatcher", StaffRoles.Dispatcher, null, name: "调度员甲");
    }

    [TearDown]
    public async Task StopApp() => await app.DisposeAsync();

    [Test]
    public async Task ScanLogin_ApprovedByTheStaffToken_GivesTheWaitingBrowserAStrictHostCookie()
    {
        var browser = new ConsoleBrowser(app);
        var ticket = await browser.OpenLoginPageAsync();

        var asking = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/console-logins/{ticket}");
        var before = await browser.WaitAsync(ticket);
        var approval = await dispatcher.PostAsync($"/api/staff/console-logins/{ticket}", null);
        var after = await browser.WaitAsync(ticket);
        var workbench = await browser.GetAsync("/console");

        Assert.Multiple(() =>
        {
            Assert.That(asking.GetProperty("status").GetString(), Is.EqualTo("waiting"));
            Assert.That(asking.GetProperty("browser").GetString(), Does.Contain("ConsoleTest"), "the phone shows which browser asks");
            Assert.That(before.Status, Is.EqualTo("waiting"));
            Assert.That(approval.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(after, Is.EqualTo(("approved", (string?)"/console")));
            var session = browser.SetCookies.Single(c => c.StartsWith("__Host-lian-console=", StringComparison.Ordinal));
            Assert.That(session.ToLowerInvariant(), Does.Contain("path=/").And.Contain("secure").And.Contain("httponly").And.Contain("samesite=strict"));
            Assert.That(session.ToLowerInvariant(), Does.Not.Contain("domain="), "__Host- cookies carry no Domain");
            Assert.That(workbench.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(browser.LastHtml, Does.Contain("调度员甲"), browser.LastHtml);
        });
    }

    [Test]
    public async Task Ticket_RedeemedOnce_AnsweredUsedAfterwards()
    {
        var browser = new ConsoleBrowser(app);
        await browser.LogInAsync(dispatcher);
        var ticket = await browser.OpenLoginPageAsync();
        (await dispatcher.PostAsync($"/api/staff/console-logins/{ticket}", null)).EnsureSuccessStatusCode();

        var binding = browser.Cookies["__Host-lian-console-login"];
        var first = await browser.WaitAsync(ticket);
        browser.Cookies["__Host-lian-console-login"] = binding;   // the browser kept it after all
        var second = await browser.WaitAsync(ticket);
        var approvedAgain = await dispatcher.PostAsync($"/api/staff/console-logins/{ticket}", null);

        Assert.That(first.Status, Is.EqualTo("approved"));
        Assert.That(second.Status, Is.EqualTo("used"));
        await AssertProblemAsync(approvedAgain, HttpStatusCode.Conflict, "login_ticket_used");
    }

    [Test]
    public async Task Ticket_AskedByAnotherBrowser_OpensNothing()
    {
        var shown = new ConsoleBrowser(app);
        var ticket = await shown.OpenLoginPageAsync();
        var other = new ConsoleBrowser(app);
        await other.OpenLoginPageAsync();   // a binding cookie of its own: still not the one the ticket was made with
        (await dispatcher.PostAsync($"/api/staff/console-logins/{ticket}", null)).EnsureSuccessStatusCode();

        var stolen = await other.WaitAsync(ticket);
        var own = await shown.WaitAsync(ticket);

        Assert.Multiple(() =>
        {
            Assert.That(stolen.Status, Is.EqualTo("unknown"));
            Assert.That(other.Cookies, Does.Not.ContainKey("__Host-lian-console"));
            Assert.That(own.Status, Is.EqualTo("approved"), "the other browser's attempt did not spend the ticket");
        });
    }

    [Test]
    public async Task Ticket_OlderThanTwoMinutes_CannotBeApprovedOrRedeemed()
    {
        var browser = new ConsoleBrowser(app);
        var ticket = await browser.OpenLoginPageAsync();
        clock.Advance(LoginTicketStore.Lifetime + TimeSpan.FromSeconds(1));

        var approval = await dispatcher.PostAsync($"/api/staff/console-logins/{ticket}", null);
        var wait = await browser.WaitAsync(ticket);

        await AssertProblemAsync(approval, HttpStatusCode.Conflict, "login_ticket_expired");
        Assert.That(wait.Status, Is.EqualTo("expired"));
    }

    [Test]
    public async Task Ticket_ApprovedJustInTime_StillOpensTheSession()
    {
        var browser = new ConsoleBrowser(app);
        var ticket = await browser.OpenLoginPageAsync();
        clock.Advance(LoginTicketStore.Lifetime - TimeSpan.FromSeconds(2));

        var approval = await dispatcher.PostAsync($"/api/staff/console-logins/{ticket}", null);

        Assert.That(approval.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await browser.WaitAsync(ticket)).Status, Is.EqualTo("approved"));
    }

    [Test]
    public async Task UnknownTicket_Is404WithItsCode()
    {
        var response = await dispatcher.PostAsync("/api/staff/console-logins/AAAAAAAAAAAAAAAAAAAAAA", null);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "login_ticket_unknown");
    }

    [Test]
    public async Task Approval_ByAResidentToken_IsForbidden()
    {
        var browser = new ConsoleBrowser(app);
        var ticket = await browser.OpenLoginPageAsync();
        var resident = await app.LoginAsync("console-resident");

        var response = await resident.PostAsync($"/api/staff/console-logins/{ticket}", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await browser.WaitAsync(ticket)).Status, Is.EqualTo("waiting"));
    }

    [Test]
    public async Task Session_OfADeactivatedAccount_EndsAtItsNextRequest()
    {
        var browser = new ConsoleBrowser(app);
        await browser.LogInAsync(dispatcher);
        Assert.That((await browser.GetAsync("/console/cases")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var staffId = (await app.Service<StaffStore>().ListAsync(CancellationToken.None)).Single(s => s.Name == "调度员甲").Id;

        await app.Service<StaffStore>().DeactivateAsync(staffId, CancellationToken.None);
        var after = await browser.GetAsync("/console/cases");

        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), string.Join("\n", browser.SetCookies) + browser.LastHtml[..Math.Min(3000, browser.LastHtml.Length)]);
        Assert.That(after.Headers.Location!.OriginalString, Does.StartWith("/console/login"));
    }

    [Test]
    public async Task Session_IdleForThirtyMinutes_Ends_ButAnActiveOneLasts()
    {
        var browser = new ConsoleBrowser(app);
        await browser.LogInAsync(dispatcher);
        clock.Advance(TimeSpan.FromMinutes(20));
        Assert.That((await browser.GetAsync("/console")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        clock.Advance(TimeSpan.FromMinutes(20));
        Assert.That((await browser.GetAsync("/console")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "20 minutes after the last request: still on");

        clock.Advance(ConsoleSessionStore.IdleTimeout + TimeSpan.FromSeconds(1));
        var idle = await browser.GetAsync("/console");

        Assert.That(idle.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task Session_TenHoursAfterTheLogin_EndsHoweverActive()
    {
        var browser = new ConsoleBrowser(app);
        await browser.LogInAsync(dispatcher);
        for (var i = 0; i < 40; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(15));
            if (i < 39)
            {
                Assert.That((await browser.GetAsync("/console/data/version")).StatusCode, Is.EqualTo(HttpStatusCode.OK), $"after {(i + 1) * 15} minutes");
            }
        }

        Assert.That((await browser.GetAsync("/console/data/version")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "10 hours after the login");
    }

    [Test]
    public async Task Logout_WithItsToken_EndsTheSessionEverywhere_WithoutItIsRefused()
    {
        var browser = new ConsoleBrowser(app);
        await browser.LogInAsync(dispatcher);
        var page = await browser.GetAsync("/console");
        var html = browser.LastHtml;
        var cookie = browser.Cookies["__Host-lian-console"];

        var forged = await browser.PostAsync("/console/logout", [KeyValuePair.Create("reason", "")]);
        var stillIn = await browser.GetAsync("/console");
        var logout = await browser.SubmitAsync(html, "logout-form", "/console/logout");
        var replayed = new ConsoleBrowser(app);
        replayed.Cookies["__Host-lian-console"] = cookie;
        var afterwards = await replayed.GetAsync("/console");

        Assert.Multiple(() =>
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a form post without the antiforgery token");
            Assert.That(stillIn.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(afterwards.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the old cookie opens nothing once the row is gone");
        });
    }

    [Test]
    public async Task Pages_SendAContentSecurityPolicyWithoutInlineScript_AndNoStore()
    {
        var browser = new ConsoleBrowser(app);
        var login = await browser.GetAsync("/console/login");

        var csp = login.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Multiple(() =>
        {
            Assert.That(csp, Does.Contain("script-src 'self'").And.Not.Contain("unsafe-inline").And.Contain("frame-ancestors 'none'"));
            Assert.That(login.Headers.CacheControl?.NoStore, Is.True, "the login page carries a ticket");
            Assert.That(browser.LastHtml, Does.Not.Match("<script>|<script [^>]*>[^<]"), "no inline script on the page");
        });
    }

    [Test]
    public async Task DevelopmentLogin_PicksABoundAccount_OnlyWithItsAntiforgeryToken()
    {
        var browser = new ConsoleBrowser(app);
        await browser.OpenLoginPageAsync();
        var html = browser.LastHtml;
        var staffId = (await app.Service<StaffStore>().ListAsync(CancellationToken.None)).Single(s => s.Name == "调度员甲").Id.ToString();

        var forged = await browser.PostAsync("/console/login/dev", [KeyValuePair.Create("staffId", staffId)]);
        var picked = await browser.SubmitAsync(html, "dev-login-form", "/console/login/dev", ("staffId", staffId));

        Assert.Multiple(() =>
        {
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(picked.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That(browser.Cookies, Does.ContainKey("__Host-lian-console"));
        });
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code) =>
        Assert.That((await ProblemAssert.IsProblem(response, status)).GetProperty("code").GetString(), Is.EqualTo(code));
}
