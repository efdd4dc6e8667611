using LianApi.Tests.Infrastructure;
using System.Text.RegularExpressions;

namespace LianApi.Tests.Architecture;

/// <summary>
/// Feature folders depend on each other in one direction only, and everything shared lives in Shared, Data or
/// Infrastructure, which depend on no feature. Read from the sources: a `using LianApi.X;` or a qualified `X.Type`.
/// </summary>
public sealed partial class FolderDependencyTests
{
    private static readonly string[] Kernel = ["Shared", "Data", "Infrastructure"];

    /// <summary>What each kernel folder may use; features may use any kernel folder and, without cycles, other features.</summary>
    private static readonly Dictionary<string, string[]> KernelMayUse = new()
    {
        ["Shared"] = [],
        ["Data"] = ["Shared"],
        ["Infrastructure"] = ["Data", "Shared"],
    };

    [Test]
    public void KernelFolders_UseNoFeatureFolder()
    {
        var graph = Graph();
        Assert.Multiple(() =>
        {
            foreach (var (folder, allowed) in KernelMayUse)
            {
                Assert.That(graph.GetValueOrDefault(folder, []).Except(allowed), Is.Empty, $"{folder} must depend on {(allowed.Length == 0 ? "nothing" : string.Join(", ", allowed))}");
            }
        });
    }

    [Test]
    public void FeatureFolders_DependOnEachOtherWithoutCycles()
    {
        var graph = Graph();
        var cycle = FindCycle(graph);

        Assert.That(cycle, Is.Null, () => $"folders depend on each other in a circle: {string.Join(" -> ", cycle!)}\n{Describe(graph)}");
    }

    [Test]
    public void FindCycle_TwoFoldersUsingEachOther_ReportsTheCycle()
    {
        // Proves the check above can fail.
        var graph = new Dictionary<string, SortedSet<string>> { ["Auth"] = ["Staff"], ["Staff"] = ["Auth", "Data"], ["Data"] = [] };

        Assert.That(FindCycle(graph), Is.EqualTo(new[] { "Auth", "Staff", "Auth" }));
    }

    private static Dictionary<string, SortedSet<string>> Graph()
    {
        var src = Path.Combine(Repository.Root(), "src", "LianApi");
        var folders = Directory.GetDirectories(src).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj" or "Properties") && Directory.EnumerateFiles(Path.Combine(src, f), "*.cs", SearchOption.AllDirectories).Any())
            .ToHashSet();
        Assert.That(folders, Is.SupersetOf(Kernel));
        var qualified = new Regex($@"(?<![\w.""])({string.Join("|", folders)})\.[A-Z]\w*");
        var graph = folders.ToDictionary(f => f, _ => new SortedSet<string>());
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(src, folder), "*.cs", SearchOption.AllDirectories))
            {
                var code = string.Join('\n', File.ReadAllLines(file).Select(l => l.Split("//")[0]));
                var used = UsingDirective().Matches(code).Select(m => m.Groups[1].Value)
                    .Concat(qualified.Matches(code).Select(m => m.Groups[1].Value));
                graph[folder].UnionWith(used.Where(u => u != folder && folders.Contains(u)));
            }
        }
        return graph;
    }

    private static List<string>? FindCycle(Dictionary<string, SortedSet<string>> graph)
    {
        var state = new Dictionary<string, int>();
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node, []))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.Skip(path.IndexOf(next)), next];
                }
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
        return graph.Keys.Order().Where(n => state.GetValueOrDefault(n) == 0).Select(Visit).FirstOrDefault(c => c is not null);
    }

    private static string Describe(Dictionary<string, SortedSet<string>> graph) =>
        string.Join('\n', graph.OrderBy(g => g.Key).Select(g => $"  {g.Key} -> {string.Join(", ", g.Value)}"));


    [GeneratedRegex(@"^\s*using\s+LianApi\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();
}
