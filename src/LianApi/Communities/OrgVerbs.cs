using System.CommandLine;
using LianApi.Shared;

namespace LianApi.Communities;

/// <summary><c>import communities|grids|departments|pairings FILE.csv</c>: the district's organisation, upserted by code.</summary>
internal static class OrgVerbs
{
    /// <summary>The import verbs; <paramref name="more"/>: other features' imports that build on the organisation (staff).</summary>
    public static Command Create(IServiceProvider services, params Command[] more)
    {
        var import = Imports(services);
        foreach (var command in more)
        {
            import.Subcommands.Add(command);
        }
        return import;
    }

    private static Command Imports(IServiceProvider services) => new("import", "Import the organisation from UTF-8 CSV with a header row; a file with any error imports nothing.")
    {
        Import(services, "communities", "Upsert communities by code", OrgImport.CommunityColumns, (import, file, ct) => import.ImportCommunitiesAsync(file, ct)),
        Import(services, "grids", "Upsert grids by code", OrgImport.GridColumns, (import, file, ct) => import.ImportGridsAsync(file, ct)),
        Import(services, "departments", "Upsert departments by code", OrgImport.DepartmentColumns, (import, file, ct) => import.ImportDepartmentsAsync(file, ct)),
        Import(services, "pairings", "Pair departments with communities (结对共建; existing pairs are kept)", OrgImport.PairingColumns,
            (import, file, ct) => import.ImportPairingsAsync(file, ct)),
    };

    private static Command Import(IServiceProvider services, string what, string description, string[] columns,
        Func<OrgImport, string, CancellationToken, Task<ImportResult>> import)
    {
        var file = new Argument<string>("file") { Description = "The CSV file." };
        var command = new Command(what, $"{description}; header: {string.Join(',', columns)}.") { file };
        command.SetAction(async (parsed, ct) =>
        {
            var path = parsed.GetRequiredValue(file);
            return (await import(new OrgImport(services.GetRequiredService<CommunityStore>()), path, ct)).Report(what, path);
        });
        return command;
    }
}
