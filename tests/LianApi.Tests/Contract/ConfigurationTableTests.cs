using LianApi.Tests.Infrastructure;
using System.Reflection;
using System.Text.RegularExpressions;

namespace LianApi.Tests.Contract;

/// <summary>
/// The README's configuration table is the whole list of what ops can set: every key the app binds (an options class's
/// section and settable properties) or reads directly from IConfiguration is in it.
/// </summary>
public sealed partial class ConfigurationTableTests
{
    // Keys the app reads from IConfiguration directly, by the expression the code reads them with.
    private static readonly Dictionary<string, string> DirectReads = new()
    {
        ["DatabaseOptions.ConnectionStringName"] = "ConnectionStrings__" + LianApi.Data.DatabaseOptions.ConnectionStringName,
        ["DataDirectoryKey"] = LianApi.Infrastructure.DevelopmentSecrets.DataDirectoryKey,
    };

    [GeneratedRegex(@"BindConfiguration\((\w+)\.Section\)|AddCheckedOptions<(\w+),\s*\w+>\(\w+\.Section\)")]
    private static partial Regex BoundOptions();

    [GeneratedRegex(@"GetConnectionString\(([^)]+)\)|[Cc]onfiguration\s*\[([^\]]+)\]|\.GetValue<[^>]+>\(([^,)]+)|\.GetSection\(([^)]+)\)")]
    private static partial Regex DirectRead();

    [GeneratedRegex(@"`([A-Za-z]+(?:__[A-Za-z0-9]+)*)`")]
    private static partial Regex BacktickedKey();

    [Test]
    public void ReadmeConfigurationTable_ListsEveryKeyTheAppReads()
    {
        var table = ConfigurationTableKeys();
        var keys = BoundKeys().Concat(DirectReadKeys()).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(keys, Has.Count.GreaterThan(30), "the scan found the options classes");
            Assert.That(keys.Where(k => !table.Contains(k)), Is.Empty, "keys the app reads that README.md's configuration table does not list");
            Assert.That(table.Where(k => !keys.Contains(k)), Is.Empty, "keys README.md's configuration table lists that the app never reads");
        });
    }

    /// <summary>Section__Property of every options class the app binds; an array is listed as its first element (__0).</summary>
    private static IEnumerable<string> BoundKeys()
    {
        var names = SourceFiles().SelectMany(text => BoundOptions().Matches(text))
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).Distinct().ToList();
        Assert.That(names, Has.Count.GreaterThanOrEqualTo(9), string.Join(", ", names));
        foreach (var name in names)
        {
            var type = typeof(Program).Assembly.GetTypes().Single(t => t.Name == name);
            var section = (string)type.GetField("Section", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
            {
                yield return property.PropertyType.IsArray ? $"{section}__{property.Name}__0" : $"{section}__{property.Name}";
            }
        }
    }

    private static IEnumerable<string> DirectReadKeys()
    {
        var expressions = SourceFiles().SelectMany(text => DirectRead().Matches(text))
            .Select(m => m.Groups.Values.Skip(1).First(g => g.Success).Value.Trim()).Distinct().ToList();
        Assert.That(expressions.Where(e => !DirectReads.ContainsKey(e)), Is.Empty,
            "a new direct configuration read: add its key to README.md's configuration table and to DirectReads here");
        return expressions.Select(e => DirectReads[e]);
    }

    private static HashSet<string> ConfigurationTableKeys()
    {
        var readme = File.ReadAllLines(Path.Combine(Repository.Root(), "README.md"));
        var start = Array.FindIndex(readme, l => l == "## Configuration");
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "README.md has a '## Configuration' section");
        var rows = readme.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal));
        // Only the first cell names keys; the others may mention keys of other rows.
        return rows.SelectMany(r => BacktickedKey().Matches(r.Split('|')[1]).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root(), "src", "LianApi"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText);

}
