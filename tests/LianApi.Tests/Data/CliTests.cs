using System.Text;
using LianApi.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace LianApi.Tests.Data;

/// <summary>The ops verbs, run through the app's real entry point exactly as `dotnet LianApi.dll VERB` runs them.</summary>
public sealed class CliTests
{
    private string directory = null!;
    private string database = null!;

    [SetUp]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), "lianapi-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        database = Path.Combine(directory, "lian.db");
    }

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A verb's writer may still be checkpointing its WAL for a moment after the verb returned: a leftover temp
            // folder is harmless, failing the test over it would not be.
        }
    }

    private Task<int> RunAsync(params string[] verb) => Verbs.RunAsync(database, directory, verb);

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Test]
    public async Task DemoData_FillsCaseHistoriesWhoseRollupsAgreeWithARecount()
    {
        var communities = Path.Combine(directory, "communities.csv");
        await File.WriteAllTextAsync(communities, "code,street,name,address,latitude,longitude\ngongyuanmen,beiyuanmen,贡院门社区,,,\nlaodong,beiyuanmen,劳动路社区,,,\n");
        Assert.That(await RunAsync("import", "communities", communities), Is.EqualTo(0));

        var filled = await RunAsync("demo-data", "--cases", "300", "--years", "1");
        var verified = await RunAsync("stats", "verify");

        Assert.Multiple(async () =>
        {
            Assert.That(filled, Is.EqualTo(0));
            Assert.That(verified, Is.EqualTo(0), "the rollups equal a recount of the cases");
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Complaints"), Is.EqualTo(300));
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Complaints WHERE Status IN ('closed', 'resolved')"), Is.GreaterThan(100), "most histories reach an end");
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM ComplaintEvents"), Is.GreaterThan(900), "each history has its steps");
            Assert.That(await ScalarAsync("SELECT COUNT(DISTINCT TrackingNo) FROM Complaints"), Is.EqualTo(300));
        });
    }

    private async Task<string[]> CaseIndexesAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // In the schema's order: the planner breaks ties between equally good indexes by it.
        command.CommandText = "SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('Complaints', 'ComplaintEvents') ORDER BY rowid";
        var indexes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            indexes.Add(reader.GetString(0));
        }
        return [.. indexes];
    }

    [Test]
    public async Task DemoData_ALoadThatAtLeastDoublesTheCases_BuildsEveryIndexItSetAsideOnceAtTheEnd()
    {
        var communities = Path.Combine(directory, "communities.csv");
        await File.WriteAllTextAsync(communities, "code,street,name,address,latitude,longitude\ngongyuanmen,beiyuanmen,贡院门社区,,,\n");
        Assert.That(await RunAsync("import", "communities", communities), Is.EqualTo(0));
        var migrated = await CaseIndexesAsync();

        var filled = await RunAsync("demo-data", "--cases", LianApi.Data.BulkLoad.DeferIndexesFrom.ToString(), "--years", "1");
        var afterLoad = await CaseIndexesAsync();
        var topped = await RunAsync("demo-data", "--cases", "200", "--years", "1");
        var verified = await RunAsync("stats", "verify");

        Assert.Multiple(async () =>
        {
            Assert.That(migrated, Has.Length.GreaterThan(25), "the case tables have their indexes before the load");
            Assert.That(filled, Is.EqualTo(0));
            Assert.That(afterLoad, Is.EqualTo(migrated), "each index is back with its own definition");
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM DeferredIndexes"), Is.Zero, "nothing is left waiting");
            Assert.That(topped, Is.EqualTo(0), "a smaller load keeps the indexes in place");
            Assert.That(await CaseIndexesAsync(), Is.EqualTo(migrated));
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Complaints"), Is.EqualTo(LianApi.Data.BulkLoad.DeferIndexesFrom + 200));
            Assert.That(verified, Is.EqualTo(0), "the rollups equal a recount of the cases");
        });
    }

    [Test]
    public async Task Migrate_AfterALoadKilledHalfWay_BuildsTheIndexesItHadSetAside()
    {
        Assert.That(await RunAsync("migrate"), Is.Zero);
        var migrated = await CaseIndexesAsync();
        // What a load killed after its first transaction leaves: the definitions listed, the indexes dropped.
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync();
            await using var transaction = connection.BeginTransaction();
            foreach (var index in new[] { "IX_Complaints_Received", "IX_Complaints_Handler_Urgent", "IX_ComplaintEvents_ComplaintId" })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"INSERT INTO DeferredIndexes (Name, Definition, DeferredAt) SELECT name, sql, '2026-12-07T00:00:00' FROM sqlite_master WHERE name = '{index}'; DROP INDEX {index};";
                await command.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        var killed = await CaseIndexesAsync();

        var restarted = await RunAsync("migrate");

        Assert.Multiple(async () =>
        {
            Assert.That(killed, Has.Length.EqualTo(migrated.Length - 3));
            Assert.That(restarted, Is.Zero);
            Assert.That(await CaseIndexesAsync(), Is.EquivalentTo(migrated), "each back, after the ones never dropped");
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM DeferredIndexes"), Is.Zero);
        });
    }

    [Test]
    public async Task Migrate_Twice_AppliesEachScriptOnce()
    {
        var first = await RunAsync("migrate");
        var second = await RunAsync("migrate");

        Assert.Multiple(async () =>
        {
            Assert.That(first, Is.Zero);
            Assert.That(second, Is.Zero);
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM SchemaVersions"),
                Is.EqualTo(LianApi.Data.SchemaMigrator.ScriptsFor(LianApi.Data.SqlDialect.Sqlite).Count));
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Streets"), Is.EqualTo(9), "reference data inserted once");
        });
    }

    [Test]
    public async Task ImportCommunities_GoodFileThenBadFile_ImportsTheFirstAndRejectsTheSecondWhole()
    {
        var good = Path.Combine(directory, "good.csv");
        await File.WriteAllTextAsync(good, "code,street,name,address,latitude,longitude\ncli-a,tumen,测试戊社区,,,\ncli-b,zaoyuan,测试己社区,,,\n", Encoding.UTF8);
        var bad = Path.Combine(directory, "bad.csv");
        await File.WriteAllTextAsync(bad, "code,street,name,address,latitude,longitude\ncli-c,tumen,测试庚社区,,,\ncli-d,nowhere,测试辛社区,,,\n", Encoding.UTF8);

        var imported = await RunAsync("import", "communities", good);
        var rejected = await RunAsync("import", "communities", bad);

        Assert.Multiple(async () =>
        {
            Assert.That(imported, Is.Zero);
            Assert.That(rejected, Is.EqualTo(1));
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Communities WHERE Code LIKE 'cli-%'"), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task UnknownImportKind_PrintsUsageAndExits2()
    {
        Assert.That(await RunAsync("import", "streets", "x.csv"), Is.EqualTo(2));
    }

    [Test]
    public async Task StaffAdd_NameLongerThanItsColumn_IsRefusedBeforeWriting()
    {
        await RunAsync("migrate");

        var tooLong = await RunAsync("staff", "add", "--name", new string('长', 51), "--role", "dispatcher");
        var longest = await RunAsync("staff", "add", "--name", new string('长', 50), "--role", "dispatcher");

        Assert.Multiple(async () =>
        {
            Assert.That(tooLong, Is.EqualTo(1), "SQL Server would fail with 2628 where SQLite stores it: the check is the app's");
            Assert.That(longest, Is.Zero);
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Staff"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task CalendarImport_DayNameLongerThanItsColumn_RejectsTheFileWhole()
    {
        await RunAsync("migrate");
        var file = Path.Combine(directory, "calendar.csv");
        await File.WriteAllTextAsync(file, $"date,kind,name\n2031-10-01,holiday,国庆\n2031-10-02,holiday,{new string('长', 51)}\n", Encoding.UTF8);

        var result = await RunAsync("calendar", "import", file);

        Assert.Multiple(async () =>
        {
            Assert.That(result, Is.Not.Zero);
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM CalendarDays"), Is.Zero, "checked whole, then written");
        });
    }

    [Test]
    public async Task ImportPairingsAndStaffAdd_VolunteersAndGridWorkers_RunAsVerbs()
    {
        var communities = Path.Combine(directory, "communities.csv");
        await File.WriteAllTextAsync(communities, "code,street,name,address,latitude,longitude\ncli-c1,beiyuanmen,测试子社区,,,\ncli-c2,beiyuanmen,测试丑社区,,,\n", Encoding.UTF8);
        await RunAsync("import", "communities", communities);
        var departments = Path.Combine(directory, "departments.csv");
        await File.WriteAllTextAsync(departments, "code,name\ncli-dept,测试局\n", Encoding.UTF8);
        var grids = Path.Combine(directory, "grids.csv");
        await File.WriteAllTextAsync(grids, "code,community,name\ncli-grid-1,cli-c1,第一网格\ncli-grid-2,cli-c2,第一网格\n", Encoding.UTF8);
        var pairings = Path.Combine(directory, "pairings.csv");
        await File.WriteAllTextAsync(pairings, "department,community\ncli-dept,cli-c1\n", Encoding.UTF8);
        await RunAsync("import", "departments", departments);
        await RunAsync("import", "grids", grids);

        var paired = await RunAsync("import", "pairings", pairings);
        var volunteer = await RunAsync("staff", "add", "--name", "志愿者", "--role", "volunteer", "--unit", "cli-c1");
        var gridWorker = await RunAsync("staff", "add", "--name", "网格员", "--role", "community", "--unit", "cli-c1", "--grid", "cli-grid-1");
        var foreignGrid = await RunAsync("staff", "add", "--name", "网格员", "--role", "community", "--unit", "cli-c1", "--grid", "cli-grid-2");
        var volunteerWithGrid = await RunAsync("staff", "add", "--name", "志愿者", "--role", "volunteer", "--unit", "cli-c1", "--grid", "cli-grid-1");

        Assert.Multiple(async () =>
        {
            Assert.That(paired, Is.Zero);
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM DepartmentPairings"), Is.EqualTo(1));
            Assert.That(volunteer, Is.Zero);
            Assert.That(gridWorker, Is.Zero);
            Assert.That(foreignGrid, Is.EqualTo(1), "a grid worker's grid is one of their community's");
            Assert.That(volunteerWithGrid, Is.EqualTo(1), "only community accounts have a grid");
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Staff WHERE Role = 'volunteer' AND UnitLevel = 'community' AND UnitName = '测试子社区'"), Is.EqualTo(1));
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Staff WHERE GridId IS NOT NULL"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task StaffAdd_ThenDeactivate_CreatesAnUnboundAccountAndRetiresIt()
    {
        await RunAsync("migrate");

        var added = await RunAsync("staff", "add", "--name", "测试员", "--role", "street", "--unit", "beiyuanmen");
        var withoutUnit = await RunAsync("staff", "add", "--name", "测试员", "--role", "community");
        var unknownUnit = await RunAsync("staff", "add", "--name", "测试员", "--role", "department", "--unit", "no-such-dept");
        var dispatcher = await RunAsync("staff", "add", "--name", "调度员", "--role", "dispatcher");
        var deactivated = await RunAsync("staff", "deactivate", "1");

        Assert.Multiple(async () =>
        {
            Assert.That(added, Is.Zero);
            Assert.That(withoutUnit, Is.EqualTo(1));
            Assert.That(unknownUnit, Is.EqualTo(1));
            Assert.That(dispatcher, Is.Zero);
            Assert.That(deactivated, Is.Zero);
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Staff WHERE BindingCodeHash IS NOT NULL AND UserId IS NULL"), Is.EqualTo(1),
                "the dispatcher's code is stored hashed, unbound; the deactivated one has none left");
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Staff WHERE IsActive = 0 AND UnitName = '北院门街道'"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task CalendarImportAndSweep_RunAsVerbs()
    {
        var file = Path.Combine(directory, "calendar.csv");
        await File.WriteAllTextAsync(file, "date,kind,name\n2030-10-01,holiday,测试假日\n2030-09-29,workday,测试调休\n", Encoding.UTF8);

        var imported = await RunAsync("calendar", "import", file);
        var swept = await RunAsync("sweep");

        Assert.Multiple(async () =>
        {
            Assert.That(imported, Is.Zero);
            Assert.That(swept, Is.Zero);
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM CalendarDays"), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Posters_WritesThePrintSetAsOnePdfAndAZip()
    {
        await RunAsync("migrate");
        var file = Path.Combine(directory, "communities.csv");
        await File.WriteAllTextAsync(file, "code,street,name,address,latitude,longitude\ncli-p1,xiguan,测试壬社区,,,\ncli-p2,xiguan,测试癸社区,,,\n", Encoding.UTF8);
        await RunAsync("import", "communities", file);
        var output = Path.Combine(directory, "print");

        var exit = await RunAsync("posters", "--out", output, "--street", "xiguan", "--QrCodes:LinkPrefix=https://lian.test.invalid/q/c/");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            var pdf = File.ReadAllBytes(Path.Combine(output, "posters.pdf"));
            Assert.That(System.Text.RegularExpressions.Regex.Matches(Encoding.Latin1.GetString(pdf), @"/Type\s*/Page\b(?!s)").Count, Is.EqualTo(2));
            using var zip = System.IO.Compression.ZipFile.OpenRead(Path.Combine(output, "posters.zip"));
            Assert.That(zip.Entries.Select(e => e.FullName), Is.EquivalentTo(new[] { "xiguan/cli-p1.png", "xiguan/cli-p2.png" }));
        });
    }

    [Test]
    public void BindingMessage_PrintsTheExpiryInBeijingTime()
    {
        var message = LianApi.Staff.StaffVerbs.BindingMessage(new LianApi.Staff.StaffBindingCode(7, "K7M2Q9XDHA", new DateTime(2026, 12, 2, 20, 30, 0, DateTimeKind.Utc)));

        Assert.That(message, Does.Contain("expires at 2026-12-03 04:30 Beijing time (UTC+8)"));
    }

    [Test]
    public void SweepMessage_PrintsWhenInBeijingTime()
    {
        var message = LianApi.Complaints.ComplaintVerbs.SweepMessage(new LianApi.Complaints.DeadlineSweep.Result(1, 2, 3, 0), new DateTime(2026, 12, 2, 3, 57, 0, DateTimeKind.Utc));

        Assert.That(message, Is.EqualTo("Sweep at 2026-12-02 11:57 Beijing time (UTC+8): escalated 1, marked overdue 2, closed unrated 3."));
    }

    [TestCase("help")]
    [TestCase("--help")]
    [TestCase("-h")]
    public async Task Help_PrintsTheVerbsAndExits0WithoutStartingTheServer(string help)
    {
        var exit = await WithinAsync(RunAsync(help));

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(File.Exists(database), Is.False, "nothing configured, nothing opened");
        });
    }

    [TestCase("demo-dta")]
    [TestCase("Migrate")]
    [TestCase("serve")]
    public async Task UnknownVerb_PrintsTheVerbsAndExits2WithoutStartingTheServer(string verb)
    {
        var exit = await WithinAsync(RunAsync(verb));

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(File.Exists(database), Is.False);
        });
    }

    [Test]
    public void Usage_Help_ListsEveryVerbOnStandardOutput()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = LianApi.Cli.UsageExitCode(["--help"], output, error);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(output.ToString(), Does.Contain("migrate").And.Contain("import").And.Contain("calendar import").And.Contain("staff add")
                .And.Contain("sweep").And.Contain("posters --out").And.Contain("help"));
            Assert.That(error.ToString(), Is.Empty);
        });
    }

    [Test]
    public void Usage_UnknownVerb_NamesItAndListsTheVerbsOnStandardError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = LianApi.Cli.UsageExitCode(["demo-dta"], output, error);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error.ToString(), Does.StartWith("Unknown verb 'demo-dta'.").And.Contain("migrate"));
            Assert.That(output.ToString(), Is.Empty);
        });
    }

    [TestCase("staff add", "--partner", "--name", "--role", "--unit", "--grid")]
    [TestCase("posters", "--name", "--out", "--street", "--kind", "--preset")]
    [TestCase("demo-data", "--out", "--cases", "--years")]
    [TestCase("open311 key add", "--cases", "--partner")]
    public void Usage_VerbHelp_ListsThatVerbsOptionsOnStandardOutput(string verb, string otherVerbsOption, params string[] options)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = LianApi.Cli.UsageExitCode([.. verb.Split(' '), "--help"], output, error);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(output.ToString(), Does.Contain($"{verb} [options]"));
            foreach (var option in options)
            {
                Assert.That(output.ToString(), Does.Contain(option));
            }
            Assert.That(output.ToString(), Does.Not.Contain(otherVerbsOption));
            Assert.That(error.ToString(), Is.Empty);
        });
    }

    [Test]
    public async Task VerbHelp_ThroughTheEntryPoint_Exits0WithoutStartingAnything()
    {
        var exit = await WithinAsync(RunAsync("staff", "add", "--help"));

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(File.Exists(database), Is.False, "nothing configured, nothing opened");
        });
    }

    // A mistyped sub-verb, then unknown, missing and invalid options and arguments.
    [TestCase("staff", "ad", "--name", "x", "--role", "dispatcher")]
    [TestCase("stats", "verfy")]
    [TestCase("stats")]
    [TestCase("open311", "keys", "list")]
    [TestCase("staff", "add", "--nmae", "测试员", "--role", "dispatcher")]
    [TestCase("staff", "add", "--name", "测试员", "--role", "boss")]
    [TestCase("staff", "add", "--role", "dispatcher")]
    [TestCase("staff", "renew", "seven")]
    [TestCase("demo-data", "--cases", "0")]
    [TestCase("demo-data", "--cases", "10", "--years", "many")]
    [TestCase("posters", "--out", "print", "--kind", "qr")]
    [TestCase("posters", "--street", "xiguan")]
    [TestCase("open311", "key", "add", "--partner", " ")]
    [TestCase("migrate", "--force")]
    public async Task MisusedVerb_Exits2WithoutTouchingTheDatabase(params string[] verb)
    {
        var exit = await WithinAsync(RunAsync(verb));

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(File.Exists(database), Is.False, "the command line is checked before the database is opened");
        });
    }

    [Test]
    public void Usage_BadOption_NamesItAndShowsTheVerbsHelpOnStandardError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = LianApi.Cli.UsageExitCode(["staff", "add", "--name", "测试员", "--role", "boss"], output, error);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error.ToString(), Does.Contain("'boss'").And.Contain("dispatcher").And.Contain("--unit"));
            Assert.That(output.ToString(), Is.Empty);
        });
    }

    [Test]
    public void Usage_EveryPosterPreset_IsAccepted() =>
        Assert.That(LianApi.Cli.UsageExitCode(["posters", "--out", "print", "--preset", "print", "--kind", "wxacode"], TextWriter.Null, TextWriter.Null), Is.Null);

    [Test]
    public async Task StaffRenewAndDeactivate_NoSuchMember_Exit1()
    {
        await RunAsync("migrate");

        var renewed = await RunAsync("staff", "renew", "42");
        var deactivated = await RunAsync("staff", "deactivate", "42");

        Assert.Multiple(() =>
        {
            Assert.That(renewed, Is.EqualTo(1));
            Assert.That(deactivated, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task StaffAdd_OptionsWrittenWithEquals_AreTheVerbsNotSettings()
    {
        var added = await RunAsync("staff", "add", "--name=调度员", "--role=dispatcher");

        Assert.Multiple(async () =>
        {
            Assert.That(added, Is.Zero);
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Staff WHERE Name = '调度员' AND Role = 'dispatcher'"), Is.EqualTo(1));
        });
    }

    [TestCase("--urls", "http://127.0.0.1:0")]
    [TestCase("--environment=Production")]
    [TestCase("urls=http://127.0.0.1:0")]
    [TestCase("/urls", "http://127.0.0.1:0")]
    public void Usage_SettingsForTheWebServer_AreNoVerb(params string[] args) =>
        Assert.That(LianApi.Cli.UsageExitCode(args, TextWriter.Null, TextWriter.Null), Is.Null);

    // A verb that started the web server would never return: fail fast instead of hanging the run.
    private static async Task<int> WithinAsync(Task<int> run)
    {
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.That(finished, Is.SameAs(run), "the process did not exit: it started the web server");
        return await run;
    }

    [Test]
    public async Task Open311Keys_AddListRevoke_StoreOnlyTheHash()
    {
        Assert.That(await RunAsync("open311", "key", "add", "--partner", "西安市12345平台"), Is.EqualTo(0));
        Assert.Multiple(async () =>
        {
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Open311Keys WHERE RevokedAt IS NULL AND Partner = '西安市12345平台'"), Is.EqualTo(1));
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Open311Keys WHERE length(KeyHash) = 64 AND KeyHash NOT LIKE 'o311_%'"), Is.EqualTo(1),
                "only the SHA-256 of the key is stored");
            Assert.That(await RunAsync("open311", "key", "list"), Is.EqualTo(0));
            Assert.That(await RunAsync("open311", "key", "add"), Is.EqualTo(2), "a key names its partner");
        });
        var id = await ScalarAsync("SELECT MAX(Id) FROM Open311Keys");
        Assert.Multiple(async () =>
        {
            Assert.That(await RunAsync("open311", "key", "revoke", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(0));
            Assert.That(await ScalarAsync("SELECT COUNT(*) FROM Open311Keys WHERE RevokedAt IS NULL"), Is.EqualTo(0));
            Assert.That(await RunAsync("open311", "key", "revoke", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(1), "revoked once");
        });
    }
}
