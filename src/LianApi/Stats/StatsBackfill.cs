namespace LianApi.Stats;

/// <summary>
/// A database that had cases before the statistics existed (or resolved cases before the rows by resolving unit, 029)
/// gets its rollups once, at the first start after the upgrade; from then on every transition keeps them (and
/// `stats verify` checks them).
/// </summary>
internal sealed class StatsBackfill(StatsStore store, ILogger<StatsBackfill> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            if (await store.NeedsBackfillAsync(ct))
            {
                var rows = await store.RebuildAsync(ct);
                logger.LogInformation("Statistics rollups built from the existing cases: {Rows} rows", rows);
            }
        }
        catch (System.Data.Common.DbException e)
        {
            // A schema not migrated yet (Production migrates with the `migrate` verb): readiness says so; the backfill
            // runs at the first start on the current schema.
            logger.LogWarning(e, "Statistics backfill skipped: the schema is not current");
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
