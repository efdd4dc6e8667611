using System.Diagnostics;
using System.Net.Http.Json;
using LianApi.Complaints;
using LianApi.Staff;
using LianApi.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LianApi.Tests.StaffConsole;

/// <summary>
/// A day in the console, in a real Chromium (Debian's, through Playwright) against the real app: the dispatch center logs in
/// on the development login and watches its wallboard, a community worker logs in by the scan (the approval posted as the
/// mini-program posts it), accepts and resolves a resident's report, and the dispatcher's wallboard follows without a reload;
/// a worker of another community gets the 404 page by URL. Every page visited is saved as a screenshot.
/// </summary>
[NonParallelizable]
public sealed class ConsoleBrowserDayTests
{
    private LianApiFactory app = null!;
    private IPlaywright playwright = null!;
    private IBrowser chromium = null!;
    private string baseUrl = "";
    private int shot;

    private static string ScreenshotFolder => Path.Combine(TestContext.CurrentContext.TestDirectory, "screenshots", "console");

    [OneTimeSetUp]
    public async Task StartAppAndBrowser()
    {
        DebianChromium.EnsureInstalled();
        app = new LianApiFactory();
        app.CreateClient().Dispose();
        // localhost, not 127.0.0.1: browsers keep Secure (__Host-) cookies from http://localhost only.
        baseUrl = new UriBuilder(app.ClientOptions.BaseAddress) { Host = "localhost" }.Uri.ToString().TrimEnd('/');
        playwright = await Playwright.CreateAsync();
        chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = DebianChromium.Path,
            Headless = true,
            // Root in a container has no user namespaces for Chromium's sandbox.
            Args = ["--no-sandbox"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (chromium is not null)
        {
            await chromium.CloseAsync();
        }
        playwright?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [Test]
    public async Task ADayInTheConsole()
    {
        var dispatcherApi = await app.StaffAsync("day-dispatcher", StaffRoles.Dispatcher, null, name: "调度员王敏");
        var communityApi = await app.StaffAsync("day-gongyuanmen", StaffRoles.Community, "gongyuanmen", name: "社工李娜");
        await app.StaffAsync("day-daxing", StaffRoles.Community, "daxingdonglu", name: "社工赵强");
        await app.StaffAsync("day-admin", StaffRoles.Admin, null, name: "管理员孙丽");
        var resident = await app.LoginAsync("day-resident");
        await app.AddDepartmentsAsync(("day-cgj", "区城管局（测试）"), ("day-szj", "区市政局（测试）"));
        await app.PairAsync("day-cgj", "gongyuanmen");
        await app.StaffAsync("day-szj-handler", StaffRoles.Department, "day-szj", name: "市政局刘洋");
        app.Service<LianApi.Communities.OrgDirectory>().Invalidate();
        var trackingNo = await resident.FileAsync();
        var staff = await app.Service<StaffStore>().ListAsync(CancellationToken.None);
        _ = dispatcherApi;

        // The dispatch center: development login (Emulator), then the wall screen.
        await using var center = await NewContextAsync();
        var wall = await center.NewPageAsync();
        await wall.GotoAsync("/console/login");
        await ShotAsync(wall, "login-page");
        await wall.SelectOptionAsync("#dev-staff", staff.Single(s => s.Name == "调度员王敏").Id.ToString());
        await wall.ClickAsync("#dev-login");
        await wall.WaitForURLAsync($"{baseUrl}/console");
        await ShotAsync(wall, "workbench-dispatcher");
        await wall.GotoAsync("/console/wall");
        await Expect(wall.Locator("#count-new .value")).ToHaveTextAsync("1");
        await wall.EvaluateAsync("() => { window.stayedOnPage = 'yes'; }");
        await ShotAsync(wall, "wall-before");

        // The community worker: the scan login. The approval is what the mini-program's staff page posts with its token.
        await using var office = await NewContextAsync();
        var page = await office.NewPageAsync();
        await page.GotoAsync("/console/login");
        var ticket = await page.Locator("#login-wait").GetAttributeAsync("data-ticket");
        await ShotAsync(page, "scan-login-waiting");
        var asking = await communityApi.GetAsync($"/api/staff/console-logins/{ticket}");
        Assert.That(await asking.Content.ReadAsStringAsync(), Does.Contain("HeadlessChrome").Or.Contain("Chrome"), "the phone sees which browser asks");
        (await communityApi.PostAsync($"/api/staff/console-logins/{ticket}", null)).EnsureSuccessStatusCode();
        await page.WaitForURLAsync($"{baseUrl}/console", new PageWaitForURLOptions { Timeout = 10_000 });
        await Expect(page.Locator("#who")).ToContainTextAsync("社工李娜");
        await ShotAsync(page, "workbench-community");

        // Inbox → case → 签收.
        await page.GotoAsync("/console/cases?sort=urgent");
        await Expect(page.Locator("#total")).ToContainTextAsync("共 1 件");
        await ShotAsync(page, "inbox");
        await page.ClickAsync($"a[href='/console/cases/{trackingNo}']");
        await Expect(page.Locator("h1")).ToContainTextAsync(trackingNo);
        await ShotAsync(page, "case");
        await page.ClickAsync("#action-accept");
        await ShotAsync(page, "accept-form");
        var acceptedAt = Stopwatch.StartNew();
        await page.ClickAsync("#submit-action");
        await page.WaitForURLAsync($"{baseUrl}/console/cases/{trackingNo}");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("社工李娜（社区工作人员）");
        await ShotAsync(page, "case-accepted");

        // The dispatcher's wall, in another browser, follows within 5 seconds, without a reload.
        await Expect(wall.Locator("#count-new .value")).ToHaveTextAsync("0", new LocatorAssertionsToHaveTextOptions { Timeout = 5_000 });
        var followedIn = acceptedAt.Elapsed;
        Assert.That(await wall.EvaluateAsync<string>("() => window.stayedOnPage"), Is.EqualTo("yes"), "the wall updated in place");
        await ShotAsync(wall, "wall-after-accept");

        // 办结 without a reply: the API's field error, at the field. Then with one.
        await page.ClickAsync("#action-resolve");
        await page.ClickAsync("#submit-action");
        await Expect(page.Locator("[data-error-for='reply']")).ToBeVisibleAsync();
        await ShotAsync(page, "resolve-field-error");
        // The photo of the finished work, chosen as a file: uploaded by the API's own photo handler with the form.
        await page.FillAsync("#f-reply", "电梯已由物业维修完毕，请您确认。");
        await page.SetInputFilesAsync("#f-photoIds", new FilePayload { Name = "维修完毕.jpg", MimeType = "image/jpeg", Buffer = Photos.TestImages.Jpeg(1200, 900) });
        await ShotAsync(page, "resolve-form-with-photo");
        await page.ClickAsync("#submit-action");
        await page.WaitForURLAsync($"{baseUrl}/console/cases/{trackingNo}");
        await Expect(page.Locator(".status-badge")).ToHaveTextAsync("已办结");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("电梯已由物业维修完毕");
        await Expect(page.Locator("#timeline img.thumb")).ToHaveCountAsync(1);
        Assert.That(await page.Locator("#timeline img.thumb").EvaluateAsync<int>("img => img.complete ? img.naturalWidth : -1"), Is.GreaterThan(0),
            "the resolution photo's signed thumbnail loads");
        await ShotAsync(page, "case-resolved");

        // The resident rates it; the dispatch center calls back (a rated case drawn for a check: the first case's id is in the share).
        (await resident.PostAsJsonAsync($"/api/complaints/{trackingNo}/evaluation", new { resolved = true, satisfaction = "satisfied", comment = "修得很快" }))
            .EnsureSuccessStatusCode();
        await wall.GotoAsync("/console/call-backs");
        await wall.ClickAsync($"a[href='/console/cases/{trackingNo}/act/{ComplaintActions.EvaluateByPhone}']");
        await wall.SelectOptionAsync("#f-resolved", "true");
        await wall.SelectOptionAsync("#f-satisfaction", "basically_satisfied");
        await wall.FillAsync("#f-comment", "电话回访：居民表示电梯已正常运行");
        await ShotAsync(wall, "call-back-form");
        await wall.ClickAsync("#submit-action");
        await wall.WaitForURLAsync($"{baseUrl}/console/cases/{trackingNo}");
        await Expect(wall.Locator("#timeline")).ToContainTextAsync("调度员王敏");
        await ShotAsync(wall, "case-called-back");

        // The work order, the map and the statistics, as the community sees them; the libraries run under the pages' CSP.
        var blocked = new List<string>();
        foreach (var p in new[] { page, wall })
        {
            // A failed load is judged by its response below; the browser's own /favicon.ico ask is not the console's.
            p.Console += (_, message) => { if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) { blocked.Add(message.Text); } };
            p.Response += (_, response) => { if (response.Status >= 400 && !response.Url.EndsWith("/favicon.ico", StringComparison.Ordinal)) { blocked.Add($"{response.Status} {response.Url}"); } };
            p.PageError += (_, error) => blocked.Add(error);
        }
        // A second report, with the point the mini-program's location picker gave (GCJ-02), for the map.
        var located = await resident.SubmitAsync(new
        {
            communityCode = "gongyuanmen", categoryCode = "sanitation", description = "贡院门巷口垃圾桶满了没人清",
            location = new { latitude = 34.2663, longitude = 108.9421 },
        });
        located.EnsureSuccessStatusCode();
        await page.ClickAsync("#print-work-order");
        await Expect(page.Locator("#work-order")).ToContainTextAsync(trackingNo);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await ShotAsync(page, "work-order-print");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });
        await page.GotoAsync("/console/map");
        await Expect(page.Locator("#map.leaflet-container")).ToHaveAttributeAsync("data-drawn", "1");
        await Expect(page.Locator("#map path.leaflet-interactive")).ToHaveCountAsync(1);
        await Expect(page.Locator("#map-communities")).ToContainTextAsync("贡院门");
        await ShotAsync(page, "map-community");
        await page.GotoAsync("/console/stats");
        await Expect(page.Locator("#ranking-category .chart")).ToHaveAttributeAsync("data-drawn", "true");
        await Expect(page.Locator("#ranking-category canvas")).ToHaveCountAsync(1);
        await ShotAsync(page, "stats-community");

        // The dispatch center's own pages: 回访, statistics of the district, the map of every community.
        await wall.GotoAsync("/console/call-backs");
        await Expect(wall.Locator("#call-backs")).ToBeVisibleAsync();
        await ShotAsync(wall, "call-backs");
        // A daily report as the job keeps it: listed for the center with its downloads.
        var yesterday = new DateOnly(2026, 12, 1);
        await app.Service<LianApi.Reports.DailyReportService>().GenerateAsync(LianApi.Reports.ReportKinds.Daily, yesterday, CancellationToken.None);
        await wall.GotoAsync("/console/stats");
        await Expect(wall.Locator("#ranking-street .chart")).ToHaveAttributeAsync("data-drawn", "true");
        var keptRow = wall.Locator($"#kept-reports tr[data-key='daily-{yesterday:yyyy-MM-dd}']");
        await Expect(keptRow).ToContainTextAsync("诉求办理日报");
        var pdf = await wall.APIRequest.GetAsync(await keptRow.Locator("a", new() { HasText = "PDF" }).GetAttributeAsync("href") ?? "");
        Assert.That((pdf.Status, pdf.Headers["content-type"]), Is.EqualTo((200, "application/pdf")), "the kept report downloads with the console's session");
        await Expect(wall.Locator("#hotspots")).ToContainTextAsync("热点");
        await ShotAsync(wall, "stats-center");
        await wall.GotoAsync("/console/map");
        await Expect(wall.Locator("#map.leaflet-container")).ToHaveAttributeAsync("data-drawn", "1");
        await ShotAsync(wall, "map-center");
        await wall.GotoAsync("/console/cases");
        await Expect(wall.Locator("#export")).ToHaveAttributeAsync("href", "/console/data/cases.csv");

        // 吹哨报到 and the center's dispatch: the community whistles the second report to its paired department; the
        // dispatch center takes it back (收回), accepts it and dispatches it to another department.
        var second = (await located.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("trackingNo").GetString()!;
        async Task ActAsync(IPage on, string action, Func<Task>? fill = null)
        {
            await on.GotoAsync($"/console/cases/{second}");
            await on.ClickAsync($"#action-{action}");
            if (fill is not null)
            {
                await fill();
            }
            await on.ClickAsync("#submit-action");
            await on.WaitForURLAsync($"{baseUrl}/console/cases/{second}");
        }
        await ActAsync(page, ComplaintActions.Whistle, async () =>
        {
            await page.SelectOptionAsync("#f-target", "department:day-cgj");
            await page.FillAsync("#f-reason", "巷口垃圾清运归城管，直接吹哨");
        });
        await Expect(page.Locator("#timeline")).ToContainTextAsync("吹哨至区城管局（测试）");
        await ShotAsync(page, "case-whistled");
        await ActAsync(wall, ComplaintActions.Reassign, () => wall.FillAsync("#f-reason", "该件需由中心统一派单"));
        await ActAsync(wall, ComplaintActions.Accept);
        await ActAsync(wall, ComplaintActions.Dispatch, () => wall.SelectOptionAsync("#f-target", "department:day-szj"));
        await Expect(wall.Locator("#timeline")).ToContainTextAsync("转至区市政局（测试）");
        await Expect(wall.Locator("#timeline")).ToContainTextAsync("调度员王敏（调度员）");
        await ShotAsync(wall, "case-dispatched");
        // The whistle stays the department's it was whistled to, unreported, though the center sent the case elsewhere.
        await wall.GotoAsync("/console/stats");
        await Expect(wall.Locator("#whistles tr[data-key='day-cgj']")).ToContainTextAsync("区城管局（测试）");
        await Expect(wall.Locator("#whistles tr[data-key='day-cgj'] td").Nth(2)).ToHaveTextAsync("0");
        await wall.Locator("#whistles").ScrollIntoViewIfNeededAsync();
        await ShotAsync(wall, "stats-whistles");

        // The department's handler, in their own office: the dispatched case is in their inbox; they accept and resolve it.
        await using var departmentOffice = await NewContextAsync();
        var handler = await departmentOffice.NewPageAsync();
        await handler.GotoAsync("/console/login");
        await handler.SelectOptionAsync("#dev-staff", staff.Single(s => s.Name == "市政局刘洋").Id.ToString());
        await handler.ClickAsync("#dev-login");
        await handler.WaitForURLAsync($"{baseUrl}/console");
        await handler.GotoAsync("/console/cases");
        await Expect(handler.Locator($"a[href='/console/cases/{second}']")).ToBeVisibleAsync();
        await ShotAsync(handler, "inbox-department");
        await ActAsync(handler, ComplaintActions.Accept);
        await ActAsync(handler, ComplaintActions.Resolve, async () =>
        {
            await handler.FillAsync("#f-reply", "已安排清运车辆，巷口垃圾桶已清空并加装一只。");
            await handler.SetInputFilesAsync("#f-photoIds", new FilePayload { Name = "清运后.jpg", MimeType = "image/jpeg", Buffer = Photos.TestImages.Jpeg(1024, 768) });
        });
        await Expect(handler.Locator(".status-badge")).ToHaveTextAsync("已办结");
        await Expect(handler.Locator("#timeline")).ToContainTextAsync("市政局刘洋");
        await ShotAsync(handler, "case-resolved-by-department");

        // Administration, for the admin.
        await using var adminContext = await NewContextAsync();
        var admin = await adminContext.NewPageAsync();
        await admin.GotoAsync("/console/login");
        await admin.SelectOptionAsync("#dev-staff", staff.Single(s => s.Name == "管理员孙丽").Id.ToString());
        await admin.ClickAsync("#dev-login");
        await admin.WaitForURLAsync($"{baseUrl}/console");
        await admin.GotoAsync("/console/admin");
        await Expect(admin.Locator("#staff-accounts")).ToContainTextAsync("社工李娜");
        await ShotAsync(admin, "admin");
        Assert.That(blocked, Is.Empty, "no script error and nothing the Content-Security-Policy blocked");

        // Another community's worker: the same URL is a 404 page.
        await using var elsewhere = await NewContextAsync();
        var other = await elsewhere.NewPageAsync();
        await other.GotoAsync("/console/login");
        await other.SelectOptionAsync("#dev-staff", staff.Single(s => s.Name == "社工赵强").Id.ToString());
        await other.ClickAsync("#dev-login");
        await other.WaitForURLAsync($"{baseUrl}/console");
        var notFound = await other.GotoAsync($"/console/cases/{trackingNo}");
        await ShotAsync(other, "other-community-404");

        Assert.Multiple(() =>
        {
            Assert.That(notFound!.Status, Is.EqualTo(404));
            Assert.That(followedIn, Is.LessThan(TimeSpan.FromSeconds(5) + TimeSpan.FromSeconds(2)), "accept to wall, the redirect included");
        });
        await Expect(other.Locator("#not-found")).ToBeVisibleAsync();
        TestContext.Progress.WriteLine($"Wall followed the accept in {followedIn.TotalSeconds:F1} s; screenshots in {ScreenshotFolder}");
    }

    [Test]
    public async Task Admin_PrintsABindingSheetForTheTickedAccount_AndRetiresAnotherInTwoSteps()
    {
        await app.StaffAsync("sheet-admin", StaffRoles.Admin, null, name: "管理员周敏");
        var wuOldCode = await app.AddStaffCodeAsync(StaffRoles.Community, "gongyuanmen", "网格员吴刚");
        var zhengCode = await app.AddStaffCodeAsync(StaffRoles.Community, "daxingdonglu", "网格员郑洁");
        var staff = await app.Service<StaffStore>().ListAsync(CancellationToken.None);
        var (admin, wu) = (staff.Single(s => s.Name == "管理员周敏"), staff.Single(s => s.Name == "网格员吴刚"));

        await using var context = await chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, Locale = "zh-CN", TimezoneId = "Asia/Shanghai", AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/login");
        await page.SelectOptionAsync("#dev-staff", admin.Id.ToString());
        await page.ClickAsync("#dev-login");
        await page.WaitForURLAsync($"{baseUrl}/console");
        await page.GotoAsync("/console/admin");
        // Every unbound account comes ticked; the admin keeps only 吴刚's.
        foreach (var box in await page.Locator("input[name=staffId]").AllAsync())
        {
            if (await box.GetAttributeAsync("value") != wu.Id.ToString())
            {
                await box.UncheckAsync();
            }
        }
        await ShotAsync(page, "admin-binding-sheet");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#binding-sheet"));
        var saved = Path.Combine(ScreenshotFolder, "binding-sheet.pdf");
        await download.SaveAsAsync(saved);
        var pdf = await File.ReadAllBytesAsync(saved);
        var links = PdfImages.ByPage(pdf).SelectMany(images => images).Select(i => QrDecoder.DecodeGray8(i.Gray, i.Width, i.Height)).ToList();
        var prefix = LianApi.QrCodes.QrCodeOptions.DevelopmentBindingPlaceholder;

        async Task<System.Net.HttpStatusCode> BindAsync(string code) =>
            (await (await app.LoginAsync($"sheet-{Guid.NewGuid():N}")).PostAsJsonAsync("/api/staff/bind", new { bindingCode = code })).StatusCode;
        Assert.That(links, Has.Count.EqualTo(1).And.All.StartWith(prefix), "one card: the ticked account's");
        var oldCodeAfter = await BindAsync(wuOldCode);
        var newCode = await BindAsync(links[0]![prefix.Length..]);
        var untickedCode = await BindAsync(zhengCode);
        await page.GotoAsync("/console/admin");
        await ShotAsync(page, "admin-after-binding");

        // Someone left: two steps, so a slip of the mouse retires nobody.
        var zheng = staff.Single(s => s.Name == "网格员郑洁");
        await page.ClickAsync($"tr[data-staff-id='{zheng.Id}'] a.deactivate");
        await Expect(page.Locator("#deactivate-form")).ToContainTextAsync("网格员郑洁");
        await ShotAsync(page, "admin-deactivate-confirm");
        await page.ClickAsync("#deactivate-confirm");
        await Expect(page.Locator("#deactivated")).ToContainTextAsync("已停用 网格员郑洁");
        await Expect(page.Locator($"tr[data-staff-id='{zheng.Id}']")).ToContainTextAsync("已停用");
        await ShotAsync(page, "admin-deactivated");
        var ownLink = await page.Locator($"tr[data-staff-id='{admin.Id}'] a.deactivate").CountAsync();
        var retired = (await app.Service<StaffStore>().ListAsync(CancellationToken.None)).Single(s => s.Id == zheng.Id);

        Assert.Multiple(async () =>
        {
            Assert.That(download.SuggestedFilename, Does.StartWith("绑定单-").And.EndWith(".pdf"));
            Assert.That(Posters.PosterTests.PdfPages(pdf), Is.EqualTo(1));
            Assert.That(oldCodeAfter, Is.Not.EqualTo(System.Net.HttpStatusCode.OK), "the old code is void once a new one is printed");
            Assert.That(newCode, Is.EqualTo(System.Net.HttpStatusCode.OK), "the sheet's code binds");
            Assert.That(untickedCode, Is.EqualTo(System.Net.HttpStatusCode.OK), "an account not ticked keeps its code");
            Assert.That(await page.Locator($"tr[data-staff-id='{wu.Id}'] input[name=staffId]").CountAsync(), Is.Zero, "bound now: nothing to tick");
            Assert.That(retired.IsActive, Is.False);
            Assert.That(ownLink, Is.Zero, "an admin is not offered to retire themself");
        });
    }

    private async Task<IBrowserContext> NewContextAsync() => await chromium.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = baseUrl,
        Locale = "zh-CN",
        TimezoneId = "Asia/Shanghai",
        ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
    });

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{++shot:00}-{name}.png"), FullPage = true });
}
