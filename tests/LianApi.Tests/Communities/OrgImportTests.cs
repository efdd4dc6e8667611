using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using LianApi.Communities;
using LianApi.Data;
using LianApi.Shared;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Communities;

/// <summary>
/// Ops' CSV imports against the real store of a running app. The app is shared by the fixture (it is only read
/// back through the API), so every test uses its own community and grid codes.
/// </summary>
public sealed class OrgImportTests
{
    private const string CommunityHeader = "code,street,name,address,latitude,longitude";

    private LianApiFactory app = null!;
    private HttpClient client = null!;
    private OrgImport importer = null!;
    private string directory = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public void StartApp()
    {
        app = new LianApiFactory();
        client = app.CreateClient();
        importer = new OrgImport(app.Service<CommunityStore>());
        directory = Path.Combine(Path.GetTempPath(), "lianapi-import-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [OneTimeTearDown]
    public async Task StopApp()
    {
        client.Dispose();
        await app.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public async Task ImportCommunities_ValidFile_ImportsEveryRowAndTheApiServesThem()
    {
        var file = await WriteCsvAsync("communities.csv",
            CommunityHeader,
            "valid-test-a,beiyuanmen,测试甲社区,测试路 1 号,34.2573,108.9455",
            // Street by its Chinese name, and an address with a comma and a doubled quote, as Excel writes them.
            "valid-test-b,北院门街道,测试乙社区,\"测试巷 30 号, \"\"样例楼\"\"东侧\",,");

        var result = await importer.ImportCommunitiesAsync(file, Ct);

        Assert.Multiple(() =>
        {
            Assert.That(result.Errors, Is.Empty);
            Assert.That(result.Imported, Is.EqualTo(2));
        });
        var testA = await client.GetFromJsonAsync<JsonElement>("/api/communities/valid-test-a");
        var testB = await client.GetFromJsonAsync<JsonElement>("/api/communities/valid-test-b");
        Assert.Multiple(() =>
        {
            Assert.That(testA.GetProperty("name").GetString(), Is.EqualTo("测试甲社区"));
            Assert.That(testA.GetProperty("street").GetProperty("code").GetString(), Is.EqualTo("beiyuanmen"));
            Assert.That(testA.GetProperty("address").GetString(), Is.EqualTo("测试路 1 号"));
            Assert.That(testA.GetProperty("location").GetProperty("latitude").GetDouble(), Is.EqualTo(34.2573));
            Assert.That(testA.GetProperty("location").GetProperty("longitude").GetDouble(), Is.EqualTo(108.9455));
            Assert.That(testB.GetProperty("street").GetProperty("code").GetString(), Is.EqualTo("beiyuanmen"));
            Assert.That(testB.GetProperty("address").GetString(), Is.EqualTo("测试巷 30 号, \"样例楼\"东侧"));
            Assert.That(testB.GetProperty("location").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task ImportCommunities_SameFileTwice_ReportsTheSameCountWithoutDuplicates()
    {
        var file = await WriteCsvAsync("rerun.csv",
            CommunityHeader,
            "rerun-a,qingnianlu,青年路甲社区,,,",
            "rerun-b,qingnianlu,青年路乙社区,,,");

        var first = await importer.ImportCommunitiesAsync(file, Ct);
        var second = await importer.ImportCommunitiesAsync(file, Ct);

        var street = await client.GetFromJsonAsync<JsonElement>("/api/communities?streetCode=qingnianlu");
        var codes = street.EnumerateArray().Select(c => c.GetProperty("code").GetString()).Where(c => c!.StartsWith("rerun-", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(first.Errors, Is.Empty);
            Assert.That(second.Errors, Is.Empty);
            Assert.That(second.Imported, Is.EqualTo(first.Imported).And.EqualTo(2));
            Assert.That(codes, Is.EqualTo(new[] { "rerun-a", "rerun-b" }));
        });
    }

    [Test]
    public async Task ImportCommunities_SeveralBadRows_ReportsEachWithItsLineAndImportsNothing()
    {
        var file = await WriteCsvAsync("bad.csv",
            CommunityHeader,                                      // line 1
            "bad-valid,beiyuanmen,有效社区,\"测试区\n测试门\",,",   // lines 2–3: a quoted line break
            "bad-street,nowhere,某社区,,,",                        // line 4
            "bad code!,beiyuanmen,某社区,,,",                      // line 5
            "bad-valid,beiyuanmen,重复社区,,,",                    // line 6
            "bad-lat,beiyuanmen,某社区,,95,108.9",                 // line 7
            "bad-half,beiyuanmen,某社区,,34.2,",                   // line 8
            "bad-noname,beiyuanmen,,,,");                          // line 9

        var result = await importer.ImportCommunitiesAsync(file, Ct);

        var errors = string.Join("\n", result.Errors);
        Assert.Multiple(() =>
        {
            Assert.That(result.Imported, Is.Zero);
            // Line numbers are the editor's: the quoted line break in row 2 moves every later row down one line.
            Assert.That(result.Errors, Has.Some.StartsWith("line 4: unknown street 'nowhere'"), errors);
            Assert.That(result.Errors, Has.Some.StartsWith("line 5: code 'bad code!'"), errors);
            Assert.That(result.Errors, Has.Some.StartsWith("line 6: code 'bad-valid' already appears on line 2"), errors);
            Assert.That(result.Errors, Has.Some.StartsWith("line 7: latitude '95'"), errors);
            Assert.That(result.Errors, Has.Some.StartsWith("line 8: give both latitude and longitude"), errors);
            Assert.That(result.Errors, Has.Some.StartsWith("line 9: name is empty"), errors);
            Assert.That(result.Errors, Has.None.StartsWith("line 2:"), "the valid row has nothing to report");
        });
        // The file is all or nothing: its one valid row must not have been written either.
        var validRow = await client.GetAsync("/api/communities/bad-valid");
        Assert.That(validRow.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ImportCommunities_HeaderWithoutAColumn_ReportsTheMissingColumn()
    {
        var file = await WriteCsvAsync("no-longitude.csv",
            "code,street,name,address,latitude",
            "nolng-a,beiyuanmen,某社区,,34.2");

        var result = await importer.ImportCommunitiesAsync(file, Ct);

        Assert.Multiple(() =>
        {
            Assert.That(result.Imported, Is.Zero);
            Assert.That(result.Errors, Has.Count.EqualTo(1));
            Assert.That(result.Errors, Has.One.StartsWith("line 1: missing column(s) longitude"));
        });
    }

    [Test]
    public async Task ImportGrids_ExistingCommunity_ImportsEveryRow()
    {
        var file = await WriteCsvAsync("grids.csv",
            "code,community,name",
            "grid-gym-1,gongyuanmen,第一网格",
            "grid-gym-2,gongyuanmen,\"第二网格, 北侧\"");

        var result = await importer.ImportGridsAsync(file, Ct);

        var names = await GridNamesAsync("grid-gym-1", "grid-gym-2");
        Assert.Multiple(() =>
        {
            Assert.That(result.Errors, Is.Empty);
            Assert.That(result.Imported, Is.EqualTo(2));
            Assert.That(names, Is.EqualTo(new[] { "第一网格", "第二网格, 北侧" }));
        });
    }

    [Test]
    public async Task ImportPairings_KnownCodes_PairsThemOnceAndTheStaffViewListsThem()
    {
        await importer.ImportDepartmentsAsync(await WriteCsvAsync("pair-departments.csv", "code,name", "pair-dept-a,测试甲局", "pair-dept-b,测试乙局"), Ct);
        var file = await WriteCsvAsync("pairings.csv",
            "department,community",
            "pair-dept-a,gongyuanmen",
            "PAIR-DEPT-B,gongyuanmen",
            "pair-dept-a,daxingdonglu");

        var first = await importer.ImportPairingsAsync(file, Ct);
        var second = await importer.ImportPairingsAsync(file, Ct);

        var paired = await app.Service<CommunityStore>().ListPairedDepartmentsAsync(
            (await app.Service<CommunityStore>().FindCommunityAsync("gongyuanmen", Ct))!.Id, Ct);
        Assert.Multiple(() =>
        {
            Assert.That(first.Errors, Is.Empty);
            Assert.That(first.Imported, Is.EqualTo(3));
            Assert.That(second.Errors, Is.Empty, "re-running the import is safe");
            Assert.That(paired.Select(d => d.Code), Is.EqualTo(new[] { "pair-dept-a", "pair-dept-b" }), "each pair once");
        });
    }

    [Test]
    public async Task ImportPairings_UnknownCodesOrARepeatedPair_ReportsTheLinesAndImportsNothing()
    {
        var file = await WriteCsvAsync("pairings-bad.csv",
            "department,community",
            "no-such-dept,gongyuanmen",
            "pair-dept-c,no-such-community",
            "pair-dept-c,zaoyuanxilu",
            "pair-dept-c,ZAOYUANXILU");
        await importer.ImportDepartmentsAsync(await WriteCsvAsync("pair-departments-c.csv", "code,name", "pair-dept-c,测试丙局"), Ct);

        var result = await importer.ImportPairingsAsync(file, Ct);
        var missingHeader = await importer.ImportPairingsAsync(await WriteCsvAsync("pairings-header.csv", "code,name", "a,b"), Ct);

        var paired = await app.Service<CommunityStore>().ListPairedDepartmentsAsync(
            (await app.Service<CommunityStore>().FindCommunityAsync("zaoyuanxilu", Ct))!.Id, Ct);
        Assert.Multiple(() =>
        {
            Assert.That(result.Imported, Is.Zero);
            Assert.That(result.Errors, Has.Some.StartsWith("line 2: unknown department 'no-such-dept'"));
            Assert.That(result.Errors, Has.Some.StartsWith("line 3: unknown community 'no-such-community'"));
            Assert.That(result.Errors, Has.Some.StartsWith("line 5: pair 'pair-dept-c,zaoyuanxilu' already appears on line 4"));
            Assert.That(missingHeader.Errors.Single(), Does.Contain("department,community"));
            Assert.That(paired, Is.Empty);
        });
    }

    [Test]
    public async Task ImportPairings_250RowsBeforeTheirDepartments_OneErrorPerRowAndTheFirst20Printed()
    {
        var file = await WriteCsvAsync("pairings-early.csv",
            ["department,community", .. Enumerable.Range(1, 250).Select(i => $"not-yet-{i},gongyuanmen")]);
        await importer.ImportDepartmentsAsync(await WriteCsvAsync("early-departments.csv", "code,name", "early-dept,测试早局"), Ct);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var result = await importer.ImportPairingsAsync(file, Ct);
        var exit = result.Report("pairings", file, output, error);

        var printed = error.ToString().TrimEnd().Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(result.Errors, Has.Count.EqualTo(250), "one error per row, not one per unknown code");
            Assert.That(printed, Has.Length.EqualTo(ImportResult.ErrorsShown + 1));
            Assert.That(printed[0], Does.StartWith("line 2: unknown department 'not-yet-1'"));
            Assert.That(printed[^1], Is.EqualTo("… and 230 more error(s)."));
            Assert.That(output.ToString(), Does.Contain("Nothing imported: 250 error(s)"));
        });
    }

    [Test]
    public async Task ImportGrids_UnknownCommunity_ReportsItsLineAndImportsNothing()
    {
        var file = await WriteCsvAsync("grids-unknown.csv",
            "code,community,name",
            "grid-ok-1,gongyuanmen,第一网格",
            "grid-lost-1,no-such-community,第二网格");

        var result = await importer.ImportGridsAsync(file, Ct);

        var stored = await GridNamesAsync("grid-ok-1", "grid-lost-1");
        Assert.Multiple(() =>
        {
            Assert.That(result.Imported, Is.Zero);
            Assert.That(result.Errors, Has.One.StartsWith("line 3: unknown community 'no-such-community'"), string.Join("\n", result.Errors));
            Assert.That(stored, Is.Empty);
        });
    }

    [Test]
    public async Task ImportCommunities_UpperCaseCode_IsStoredLowerCaseAndFoundEitherWay()
    {
        var file = await WriteCsvAsync("case.csv", CommunityHeader, "Case-Test-A,beiyuanmen,测试丙社区,,,");

        var result = await importer.ImportCommunitiesAsync(file, Ct);

        Assert.That(result.Errors, Is.Empty);
        Assert.That((await client.GetAsync("/api/communities/case-test-a")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/api/communities/CASE-TEST-A")).StatusCode, Is.EqualTo(HttpStatusCode.OK),
            "SQL Server compares codes case-insensitively, so SQLite must behave the same");
    }

    [Test]
    public async Task ImportCommunities_DuplicatedHeaderColumn_IsReportedNotThrown()
    {
        var file = await WriteCsvAsync("dup-header.csv", CommunityHeader + ",name", "dup-h,beiyuanmen,测试丁社区,,,,again");

        var result = await importer.ImportCommunitiesAsync(file, Ct);

        Assert.That(result.Errors, Has.One.StartsWith("line 1: column(s) name appear more than once"));
    }

    [Test]
    public async Task ImportCommunities_FileSavedAsGbk_IsRefusedWithAHint()
    {
        var path = Path.Combine(directory, "gbk.csv");
        // GBK bytes of "测试社区" are not valid UTF-8, which is what an Excel "CSV" export on Chinese Windows produces.
        byte[] gbkName = [0xB2, 0xE2, 0xCA, 0xD4, 0xC9, 0xE7, 0xC7, 0xF8];
        await File.WriteAllBytesAsync(path, [.. Encoding.ASCII.GetBytes(CommunityHeader + "\r\ngbk-a,beiyuanmen,"), .. gbkName, .. Encoding.ASCII.GetBytes(",,,\r\n")], Ct);

        var result = await importer.ImportCommunitiesAsync(path, Ct);

        Assert.Multiple(() =>
        {
            Assert.That(result.Imported, Is.Zero);
            Assert.That(result.Errors, Has.One.Contains("CSV UTF-8"));
        });
    }

    /// <summary>UTF-8 with a BOM and CRLF line ends: what Excel on an ops laptop saves.</summary>
    private async Task<string> WriteCsvAsync(string name, params string[] lines)
    {
        var path = Path.Combine(directory, name);
        await File.WriteAllTextAsync(path, string.Join("\r\n", lines) + "\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), Ct);
        return path;
    }

    private Task<List<string>> GridNamesAsync(params string[] codes) =>
        app.Service<Database>().ReadAsync(async c => (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT Name FROM Grids WHERE Code IN @Codes ORDER BY Code", new { Codes = codes }, cancellationToken: Ct))).ToList(), Ct);
}
