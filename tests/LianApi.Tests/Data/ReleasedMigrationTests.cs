using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using LianApi.Data;

namespace LianApi.Tests.Data;

/// <summary>
/// A database that already ran a migration never runs it again, so an edit to a released script silently forks
/// production from every fresh install. released-migrations.txt pins the content of each released script.
/// </summary>
public sealed class ReleasedMigrationTests
{
    private const string ManifestResource = "released-migrations.txt";
    private const string SourcePrefix = "src/LianApi/";
    private const string NeverChanges = "a released migration never changes: add a new numbered file instead";

    private static readonly Assembly App = typeof(SchemaMigrator).Assembly;

    public static IEnumerable<TestCaseData> ReleasedMigrations() =>
        Manifest().Select(entry => new TestCaseData(entry.Path, entry.Sha256).SetArgDisplayNames(entry.Path));

    [TestCaseSource(nameof(ReleasedMigrations))]
    public void ReleasedMigration_ContentNow_HasTheHashItWasReleasedWith(string path, string sha256)
    {
        // Embedded resources, not the source tree: they are the very bytes the migrator runs, and need no checkout.
        using var script = App.GetManifestResourceStream(ResourceName(path));

        Assert.That(script, Is.Not.Null, $"{path} is gone: {NeverChanges}");
        Assert.That(Sha256(ReadAll(script!)), Is.EqualTo(sha256), $"{path} changed: {NeverChanges}");
    }

    [Test]
    public void Manifest_EveryScriptOfBothProviders_IsListedOrNewer()
    {
        var listed = Manifest().Select(e => e.Path).ToList();
        var scripts = new[] { SqlDialect.SqlServer, SqlDialect.Sqlite }
            .SelectMany(d => SchemaMigrator.ScriptsFor(d).Select(s => $"{SourcePrefix}Data/Schema/{d.SchemaFolder}/{s.Name}"))
            .ToList();
        // A script not listed is allowed: it is new. Once released, its line goes into the manifest.
        var unlisted = scripts.Except(listed).ToList();
        TestContext.Out.WriteLine(unlisted.Count == 0 ? "Every migration is in the manifest." : "Not in the manifest yet: " + string.Join(", ", unlisted));

        Assert.Multiple(() =>
        {
            Assert.That(listed, Is.Unique);
            Assert.That(listed, Is.SubsetOf(scripts), "each listed path names an embedded migration (see the test above for why one is missing)");
            Assert.That(listed, Has.Some.Contains("/SqlServer/").And.Some.Contains("/Sqlite/"));
            foreach (var unreleased in unlisted)
            {
                var version = int.Parse(Path.GetFileName(unreleased).Split('_')[0]);
                var releasedInFolder = listed.Where(p => Path.GetDirectoryName(p) == Path.GetDirectoryName(unreleased))
                    .Select(p => int.Parse(Path.GetFileName(p).Split('_')[0]));
                Assert.That(version, Is.GreaterThan(releasedInFolder.DefaultIfEmpty(0).Max()),
                    $"{unreleased} is not in the manifest but is numbered below a released script: a new migration comes after every released one");
            }
        });
    }

    [Test]
    public void Sha256_CrlfCheckout_EqualsLfCheckout()
    {
        // Git on Windows may check the scripts out with CRLF; that must not count as a change.
        var lf = Encoding.UTF8.GetBytes("CREATE TABLE T (\n    Id bigint NOT NULL\n);\n");
        var crlf = Encoding.UTF8.GetBytes("CREATE TABLE T (\r\n    Id bigint NOT NULL\r\n);\r\n");
        var edited = Encoding.UTF8.GetBytes("CREATE TABLE T (\n    Id int NOT NULL\n);\n");

        Assert.Multiple(() =>
        {
            Assert.That(Sha256(crlf), Is.EqualTo(Sha256(lf)));
            Assert.That(Sha256(edited), Is.Not.EqualTo(Sha256(lf)));
            Assert.That(Sha256(lf), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(lf))), "LF content hashes as sha256sum does");
        });
    }

    private static List<(string Sha256, string Path)> Manifest()
    {
        using var stream = typeof(ReleasedMigrationTests).Assembly.GetManifestResourceStream(ManifestResource)
            ?? throw new InvalidOperationException($"{ManifestResource} is not embedded in the test assembly");
        using var reader = new StreamReader(stream);
        var entries = new List<(string, string)>();
        foreach (var line in reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var parts = line.Split("  ", 2);
            if (parts.Length != 2 || parts[0].Length != 64 || !parts[1].StartsWith(SourcePrefix, StringComparison.Ordinal))
            {
                throw new FormatException($"{ManifestResource}: expected \"<sha256>  {SourcePrefix}Data/Schema/<Provider>/<file>.sql\", got \"{line}\"");
            }
            entries.Add((parts[0], parts[1]));
        }
        return entries;
    }

    // src/LianApi/Data/Schema/Sqlite/001_init.sql is embedded as LianApi.Data.Schema.Sqlite.001_init.sql.
    private static string ResourceName(string path) => $"{App.GetName().Name}.{path[SourcePrefix.Length..].Replace('/', '.')}";

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static string Sha256(byte[] content)
    {
        var lf = new List<byte>(content.Length);
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] != '\r' || i + 1 >= content.Length || content[i + 1] != '\n')
            {
                lf.Add(content[i]);
            }
        }
        return Convert.ToHexStringLower(SHA256.HashData(lf.ToArray()));
    }
}
