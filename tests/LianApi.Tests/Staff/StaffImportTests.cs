using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LianApi.Communities;
using LianApi.Staff;
using LianApi.Tests.Infrastructure;
using LianApi.Tests.Posters;

namespace LianApi.Tests.Staff;

/// <summary>
/// <c>import staff</c> through the entry point on a running app's database: the accounts it creates, and the binding
/// sheet read back from the PDF itself (its pages and the QR images it embeds), whose codes then bind through HTTP.
/// </summary>
public sealed class StaffImportTests
{
    private static LianApiFactory app = null!;
    private static string directory = null!;

    // Verbs run outside Development, where the links have no placeholder: set as ops set them.
    private const string Prefix = "https://lian.test.invalid/q/b/";
    private static readonly string[] Links = ["--QrCodes:LinkPrefix=https://lian.test.invalid/q/c/", $"--QrCodes:BindingLinkPrefix={Prefix}"];

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public static async Task StartApp()
    {
        app = new LianApiFactory();
        await app.AddDepartmentsAsync(("imp-dept", "测试导入局"));
        await app.AddGridsAsync("gongyuanmen", ("imp-g1", "导入第一网格"), ("imp-g2", "导入第二网格"));
        directory = Path.Combine(app.DataDirectory, "import");
        Directory.CreateDirectory(directory);
    }

    [OneTimeTearDown]
    public static async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task ImportStaff_CleanFile_CreatesTheAccountsAndABindingSheetWhoseCodesBind()
    {
        var file = await WriteCsvAsync("staff.csv",
            "name,role,unit,grid",
            "张网格,community,gongyuanmen,imp-g1",
            "李志愿,volunteer,gongyuanmen,",
            "王社区,community,daxingdonglu,",
            "赵部门,department,imp-dept,",
            "钱调度,dispatcher,,");
        var sheet = Path.Combine(directory, "sheet.pdf");
        var before = (await app.Service<StaffStore>().ListAsync(Ct)).Count;

        var exit = await app.RunVerbAsync(["import", "staff", file, "--sheet", sheet, .. Links]);

        Assert.That(exit, Is.Zero);
        var pdf = await File.ReadAllBytesAsync(sheet, Ct);
        var pages = PdfImages.ByPage(pdf);
        var links = pages.Select(page => page.Select(image => QrDecoder.DecodeGray8(image.Gray, image.Width, image.Height)).ToList()).ToList();
        var prefix = Prefix;
        Assert.Multiple(() =>
        {
            Assert.That(PosterTests.PdfPages(pdf), Is.EqualTo(4), "one page per unit: 贡院门社区, 大兴东路社区, 测试导入局, 区调度中心");
            Assert.That(pages.Select(p => p.Count).OrderBy(n => n), Is.EqualTo(new[] { 1, 1, 1, 2 }), "each unit's page carries its own people's codes");
            Assert.That(links.SelectMany(l => l), Has.All.StartWith(prefix), "every code scans to the binding page's link");
            Assert.That(Encoding.Latin1.GetString(pdf), Does.Contain("DroidSansFallback"), "Chinese names need the embedded CJK font");
            Assert.That(app.Service<StaffStore>().ListAsync(Ct).Result, Has.Count.EqualTo(before + 5));
        });

        var bound = new List<string>();
        foreach (var link in links.SelectMany(l => l))
        {
            var client = await app.LoginAsync($"imp-{Guid.NewGuid():N}");
            var response = await client.PostAsJsonAsync("/api/staff/bind", new { bindingCode = link![prefix.Length..] }, Ct);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync(Ct));
            bound.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("user").GetProperty("staff").GetProperty("name").GetString()!);
        }
        Assert.That(bound, Is.EquivalentTo(new[] { "张网格", "李志愿", "王社区", "赵部门", "钱调度" }), "each QR code carries its own person's code");
        var gridWorker = (await app.Service<StaffStore>().ListForOpsAsync(Ct)).Single(s => s.Name == "张网格");
        Assert.That(gridWorker.GridCode, Is.EqualTo("imp-g1"), "staff list shows the grid");
    }

    [Test]
    public async Task ImportStaff_AnyBadRow_CreatesNothingWritesNoSheetAndNamesEachLine()
    {
        var file = await WriteCsvAsync("bad-staff.csv",
            "name,role,unit,grid",
            "好人,community,gongyuanmen,",
            "错网格,community,gongyuanmen,no-such-grid",
            "错单位,community,no-such-community,",
            "错角色,boss,gongyuanmen,",
            $"{new string('长', StaffStore.MaxNameLength + 1)},community,gongyuanmen,",
            "调度有单位,dispatcher,gongyuanmen,",
            "志愿者有网格,volunteer,gongyuanmen,imp-g1");
        var sheet = Path.Combine(directory, "bad-sheet.pdf");
        var before = (await app.Service<StaffStore>().ListAsync(Ct)).Count;

        var exit = await app.RunVerbAsync(["import", "staff", file, "--sheet", sheet, .. Links]);
        var (accounts, errors) = await new StaffImport(app.Service<CommunityStore>(), app.Service<StaffStore>()).CheckAsync(file, Ct);

        Assert.Multiple(async () =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(File.Exists(sheet), Is.False);
            Assert.That((await app.Service<StaffStore>().ListAsync(Ct)).Count, Is.EqualTo(before), "nothing written");
            Assert.That(accounts, Is.Empty);
            Assert.That(errors.Select(e => e.Split(':')[0]), Is.EqualTo(new[] { "line 3", "line 4", "line 5", "line 6", "line 7", "line 8" }));
            Assert.That(errors[0], Does.Contain("imp-g1 (导入第一网格), imp-g2 (导入第二网格)"), "a wrong grid lists the community's grids");
        });
    }

    [Test]
    public async Task ImportStaff_GbkFile_IsRefusedWithTheHint()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var file = Path.Combine(directory, "gbk-staff.csv");
        await File.WriteAllBytesAsync(file, Encoding.GetEncoding("GBK").GetBytes("name,role,unit,grid\r\n张三,community,gongyuanmen,\r\n"), Ct);

        var (_, errors) = await new StaffImport(app.Service<CommunityStore>(), app.Service<StaffStore>()).CheckAsync(file, Ct);

        Assert.That(errors.Single(), Does.Contain("CSV UTF-8"));
    }

    [Test]
    public async Task StaffAdd_WrongGrid_TheErrorListsTheCommunitysGrids()
    {
        var (placed, error) = await new StaffPlacement(app.Service<CommunityStore>()).PlaceAsync("网格员", "community", "gongyuanmen", "imp-g9", Ct);

        Assert.Multiple(() =>
        {
            Assert.That(placed, Is.Null);
            Assert.That(error, Does.Contain("'imp-g9' is not a grid of 贡院门社区").And.Contain("imp-g1 (导入第一网格), imp-g2 (导入第二网格)"));
        });
    }

    private static async Task<string> WriteCsvAsync(string name, params string[] lines)
    {
        var path = Path.Combine(directory, name);
        await File.WriteAllTextAsync(path, string.Join("\r\n", lines) + "\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), Ct);
        return path;
    }
}
