using LianApi.Communities;
using LianApi.Data;

namespace LianApi.Infrastructure;

/// <summary>
/// Ops verbs run by the same binary and configuration as the API:
/// <c>migrate</c>, <c>import communities FILE.csv</c>, <c>import grids FILE.csv</c>.
/// </summary>
public static class Cli
{
    private static readonly string[] Verbs = ["migrate", "import"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    /// <summary>Leaves only --key=value style settings for the configuration system.</summary>
    public static string[] ConfigurationArgs(string[] args) => IsVerb(args) ? args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray() : args;

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var ct = app.Lifetime.ApplicationStopping;
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();
        var applied = await migrator.MigrateAsync(ct);
        Console.WriteLine(applied.Count == 0
            ? $"Schema is current (version {migrator.LatestVersion})."
            : $"Applied {string.Join(", ", applied.Select(s => s.Name))}.");

        switch (positional)
        {
            case ["migrate"]:
                return 0;
            case ["import", "communities" or "grids", var file]:
                var importer = new OrgImport(app.Services.GetRequiredService<CommunityStore>());
                var result = positional[1] == "communities"
                    ? await importer.ImportCommunitiesAsync(file, ct)
                    : await importer.ImportGridsAsync(file, ct);
                foreach (var error in result.Errors)
                {
                    Console.Error.WriteLine(error);
                }
                Console.WriteLine(result.Errors.Count == 0
                    ? $"Imported {result.Imported} {positional[1]} from {file}."
                    : $"Nothing imported: {result.Errors.Count} error(s) in {file}. Fix them and run the import again.");
                return result.Errors.Count == 0 ? 0 : 1;
            default:
                Console.Error.WriteLine("Usage: LianApi migrate | import communities FILE.csv | import grids FILE.csv");
                return 2;
        }
    }
}
