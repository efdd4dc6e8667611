using Dapper;

namespace LianApi.Data;

/// <summary>
/// Background jobs that must run on one instance at a time (the deadline sweep, the idempotency pruner) hold a lease:
/// a row claimed by a guarded update, so exactly one instance wins, and a crashed instance's lease simply expires.
/// </summary>
public sealed class LeaseStore(Database db)
{
    public const string DeadlineSweep = "deadline-sweep";
    public const string IdempotencyPruner = "idempotency-pruner";
    public const string PhotoSweep = "photo-sweep";
    public const string Reports = "reports";

    /// <summary>This process, as lease owners name it: host, process id and a random part (a restart is another owner).</summary>
    public static readonly string ThisInstance = Name($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}");

    private static string Name(string owner) => owner.Length <= 200 ? owner : owner[^200..];

    private const string Claim = """
        UPDATE Leases SET Owner = @Owner, Until = @Until
        WHERE Name = @Name AND (Until < @Now OR Owner = @Owner)
        """;

    /// <summary>Takes or renews the lease until <paramref name="now"/> + <paramref name="duration"/>; false while another owner holds it.</summary>
    public async Task<bool> TryAcquireAsync(string name, string owner, DateTime now, TimeSpan duration, CancellationToken ct) =>
        await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<int>(new CommandDefinition(Claim + ";\n" + db.Dialect.SelectRowsAffected,
            new { Name = name, Owner = owner, Until = now + duration, Now = now }, tx, cancellationToken: ct)), ct) == 1;

    private const string Release = "UPDATE Leases SET Until = @Now WHERE Name = @Name AND Owner = @Owner";

    /// <summary>Gives the lease up early (on shutdown), so another instance need not wait for it to expire.</summary>
    public Task ReleaseAsync(string name, string owner, DateTime now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(Release, new { Name = name, Owner = owner, Now = now }, tx, cancellationToken: ct)), ct);
}

/// <summary>
/// A job run every <paramref name="period"/> by whichever instance holds its lease (held for two periods and renewed on
/// every run, so a dead instance's job moves to another within two periods; given up at shutdown).
/// </summary>
public abstract class LeasedJob(LeaseStore leases, TimeProvider time, ILogger logger, string name, TimeSpan period, bool runAtStart)
    : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected abstract Task RunAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, Time);
        if (!runAtStart && !await timer.WaitForNextTickAsync(stoppingToken))
        {
            return;
        }
        do
        {
            try
            {
                if (await leases.TryAcquireAsync(name, LeaseStore.ThisInstance, Time.GetUtcNow().UtcDateTime, period * 2, stoppingToken))
                {
                    await RunAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "{Job} failed; it runs again in {Period}", name, period);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await leases.ReleaseAsync(name, LeaseStore.ThisInstance, Time.GetUtcNow().UtcDateTime, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The lease expires by itself; another instance only waits a little longer.
            logger.LogWarning(e, "Could not give up the {Job} lease at shutdown", name);
        }
    }
}
