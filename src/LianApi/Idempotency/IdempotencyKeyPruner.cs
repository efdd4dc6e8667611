using LianApi.Data;

namespace LianApi.Idempotency;

/// <summary>
/// Deletes idempotency keys older than 72 h, every hour, on the instance that holds the pruner's lease. A late retry
/// after pruning still cannot duplicate a report: Complaints has its own unique key.
/// </summary>
internal sealed class IdempotencyKeyPruner(IdempotencyStore store, LeaseStore leases, TimeProvider time, ILogger<IdempotencyKeyPruner> logger)
    : LeasedJob(leases, time, logger, LeaseStore.IdempotencyPruner, TimeSpan.FromHours(1), runAtStart: true)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(72);

    protected override async Task RunAsync(CancellationToken ct)
    {
        var removed = await store.PruneAsync((Time.GetUtcNow() - Retention).UtcDateTime, ct);
        if (removed > 0)
        {
            logger.LogInformation("Pruned {Count} idempotency keys older than {Hours} h", removed, Retention.TotalHours);
        }
    }
}
