using System.Net;

namespace LianApi.Tests.Infrastructure;

/// <summary>
/// The app reads its own files (appsettings*.json) from the folder it is installed in, wherever it is started from, and
/// a setting that stops the start is one line on standard error and exit code 1.
/// </summary>
public sealed class AppFolderTests
{
    private string workingDirectory = null!;
    private string dataDirectory = null!;

    [SetUp]
    public void CreateDirectories()
    {
        var root = Path.Combine(Path.GetTempPath(), "lianapi-process-tests", Guid.NewGuid().ToString("N"));
        workingDirectory = Directory.CreateDirectory(Path.Combine(root, "elsewhere")).FullName;
        dataDirectory = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
    }

    [TearDown]
    public void DeleteDirectories()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(workingDirectory)!, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the test over it would not be.
        }
    }

    private Dictionary<string, string> Settings(string environment) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = environment,
        ["ConnectionStrings__Lian"] = $"Data Source={Path.Combine(dataDirectory, "lian.db")}",
        ["DataDirectory"] = dataDirectory,
        ["Logging__LogLevel__Default"] = "Information",
    };

    [Test]
    public async Task Start_FromAnotherWorkingDirectory_ReadsTheAppsOwnSettingsAndAnswers()
    {
        await using var app = AppProcess.Start(workingDirectory, Settings("Development"), "--urls", "http://127.0.0.1:0");

        var address = await app.ListeningAsync();
        using var client = new HttpClient { BaseAddress = address };
        var live = await client.GetAsync("/health/live");
        // The emulator answers logins only where appsettings.Development.json was read (appsettings.json says Live).
        var login = await client.PostAsync("/api/auth/wechat-login", new StringContent("""{"code":"alice"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Multiple(() =>
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK), app.Report());
            Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), app.Report());
            Assert.That(Directory.EnumerateFileSystemEntries(workingDirectory), Is.Empty, "data went where the settings said, not into the working directory");
        });
    }

    [Test]
    public async Task Migrate_WithoutDataSettings_KeepsTheDatabaseUnderTheWorkingDirectory()
    {
        var settings = Settings("Development");
        settings.Remove("ConnectionStrings__Lian");
        settings.Remove("DataDirectory");
        await using var app = AppProcess.Start(workingDirectory, settings, "migrate");

        var exit = await app.ExitCodeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, app.Report());
            Assert.That(File.Exists(Path.Combine(workingDirectory, "data", "lian.db")), Is.True, "Data Source=data/lian.db is relative to where the app is started");
            Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "data", "lian.db")), Is.False,
                "never beside the binaries, which a deployment replaces");
        });
    }

    [Test]
    public async Task Start_InProductionWithoutTheSigningKey_PrintsOneLineNamingItAndExits1()
    {
        var settings = Settings("Production");
        settings["Wechat__AppId"] = "wx1";
        settings["Wechat__AppSecret"] = "s";
        settings["Privacy__PhoneKey"] = LianApiFactory.TestPhoneKey;
        settings["Photos__SigningKey"] = LianApiFactory.TestPhotoKey;
        settings["Photos__PublicBaseUrl"] = "https://lian.test.invalid";
        settings["QrCodes__LinkPrefix"] = "https://lian.test.invalid/q/c/";
        await using var app = AppProcess.Start(workingDirectory, settings, "--urls", "http://127.0.0.1:0");

        var exit = await app.ExitCodeAsync();

        AssertOneLineNaming(app, exit, "Jwt__SigningKey");
    }

    [Test]
    public async Task Verb_InProductionWithoutTheLinkPrefix_PrintsOneLineNamingItAndExits1()
    {
        var communities = Path.Combine(dataDirectory, "communities.csv");
        await File.WriteAllTextAsync(communities, "code,street,name,address,latitude,longitude\ngongyuanmen,beiyuanmen,贡院门社区,,,\n");
        await using (var import = AppProcess.Start(workingDirectory, Settings("Production"), "import", "communities", communities))
        {
            Assert.That(await import.ExitCodeAsync(), Is.Zero, import.Report());
        }
        await using var app = AppProcess.Start(workingDirectory, Settings("Production"), "posters", "--out", Path.Combine(dataDirectory, "print"));

        var exit = await app.ExitCodeAsync();

        AssertOneLineNaming(app, exit, "QrCodes__LinkPrefix");
    }

    private static void AssertOneLineNaming(AppProcess app, int exit, string key) =>
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), app.Report());
            Assert.That(app.Error, Has.Count.EqualTo(1), app.Report());
            Assert.That(app.Error.FirstOrDefault(), Does.Contain(key));
            Assert.That(app.Output.Concat(app.Error), Has.None.Contains("   at "), "no stack trace");
        });
}
