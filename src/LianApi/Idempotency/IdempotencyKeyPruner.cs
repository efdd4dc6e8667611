namespace LianApi.Idempotency;

/// <summary>
/// Deletes idempotency keys older than 72 h, every hour. Safe on every instance at once (a DELETE by age is
/// idempotent), and a late retry after pruning still cannot duplicate a report: Complaints has its own unique key.
/// </summary>
internal sealed class IdempotencyKeyPruner(IdempotencyStore store, TimeProvider time, ILogger<IdempotencyKeyPruner> logger) : BackgroundService
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(72);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var removed = await store.PruneAsync((time.GetUtcNow() - Retention).UtcDateTime, stoppingToken);
                if (removed > 0)
                {
                    logger.LogInformation("Pruned {Count} idempotency keys older than {Hours} h", removed, Retention.TotalHours);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Pruning idempotency keys failed; the next hour tries again");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
