using System.CommandLine;

namespace LianApi.Stats;

/// <summary><c>stats verify|rebuild</c>: the statistics rollups checked against, or replaced by, a recount of the cases.</summary>
internal static class StatsVerbs
{
    public static Command Create(IServiceProvider services)
    {
        var verify = new Command("verify", "Compare the rollups with a recount of the cases; exit 1 on a difference.");
        verify.SetAction(async (_, ct) =>
        {
            var differences = await services.GetRequiredService<StatsStore>().VerifyAsync(ct);
            Console.WriteLine(differences.Count == 0
                ? "Statistics rollups agree with a recount of the cases."
                : $"{differences.Count} rollup row(s) differ from a recount (run `stats rebuild` to replace them):\n  " + string.Join("\n  ", differences.Take(50)));
            return differences.Count == 0 ? 0 : 1;
        });
        var rebuild = new Command("rebuild", "Replace the rollups by a recount of the cases.");
        rebuild.SetAction(async (_, ct) =>
        {
            var rows = await services.GetRequiredService<StatsStore>().RebuildAsync(ct);
            Console.WriteLine($"Statistics rollups rebuilt from the cases: {rows} row(s).");
            return 0;
        });
        return new Command("stats", "The statistics rollups behind the district's numbers.") { verify, rebuild };
    }
}
