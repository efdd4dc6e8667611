using System.Data.Common;
using Dapper;
using LianApi.Data;

namespace LianApi.Wechat;

/// <summary>One unit of deferred WeChat work as a handler sees it. <see cref="Attempts"/> counts this run.</summary>
public sealed record WechatJob
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Payload { get; init; } = "";
    public int Attempts { get; init; }
}

/// <summary>
/// Runs the jobs of one kind. A job can run more than once (a retry after a failure, or after an instance died while
/// running it), so a handler must be idempotent: applying the same result twice changes nothing the second time.
/// Throwing makes the job retry with backoff.
/// </summary>
public interface IWechatJobHandler
{
    string Kind { get; }

    Task RunAsync(WechatJob job, CancellationToken ct);
}

/// <summary>
/// The durable queue of WeChat work (the WechatJobs table): push events to apply, media to submit for checking, and
/// whatever else must survive a crash between "stored" and "done". A job is enqueued in the transaction that makes it
/// necessary (<see cref="EnqueueAsync(DbConnection, DbTransaction, NewJob, DateTime, CancellationToken)"/>), claimed by a guarded update, retried with exponential backoff, and given up
/// (kept, with its last error, for ops) after <see cref="MaxAttempts"/> runs.
/// </summary>
public sealed class WechatJobStore(Database db)
{
    public const int MaxAttempts = 12;

    /// <summary>How long a claimed job is left to its runner before another instance may run it again.</summary>
    public static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(2);

    /// <summary>10 s after the first failure, doubling, at most an hour: 12 runs span about 6 hours.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(10 * Math.Pow(2, Math.Max(0, attempts - 1)), 3600));

    private const string InsertJob = """
        INSERT INTO WechatJobs (Kind, DedupKey, Payload, Attempts, NextAttemptAt, CreatedAt)
        SELECT @JobKind, @JobDedupKey, @JobPayload, 0, @JobNextAttemptAt, @JobCreatedAt
        WHERE @JobDedupKey IS NULL OR NOT EXISTS (SELECT 1 FROM WechatJobs WHERE DedupKey = @JobDedupKey);
        """;

    /// <summary>A job to enqueue: a DedupKey is enqueued once; it is not attempted before NotBefore.</summary>
    public sealed record NewJob(string Kind, string? DedupKey, string Payload, DateTime NotBefore);

    private static object Parameters(NewJob job, DateTime now) => new
    {
        JobKind = job.Kind, JobDedupKey = job.DedupKey, JobPayload = job.Payload, JobNextAttemptAt = job.NotBefore, JobCreatedAt = now,
    };

    /// <summary>Enqueues a job in the transaction of the write that makes it necessary, so the two commit together or not at all.</summary>
    public static Task EnqueueAsync(DbConnection connection, DbTransaction transaction, NewJob job, DateTime now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(InsertJob, Parameters(job, now), transaction, cancellationToken: ct));

    /// <summary>Enqueues a job on its own (when nothing else has to be written with it); false if its DedupKey is queued already.</summary>
    public async Task<bool> EnqueueAsync(NewJob job, DateTime now, CancellationToken ct)
    {
        try
        {
            return await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<int>(new CommandDefinition(InsertJob + db.Dialect.SelectRowsAffected,
                Parameters(job, now), tx, cancellationToken: ct)), ct) == 1;
        }
        catch (Exception e) when (DuplicateKey.Is(e))
        {
            return false;
        }
    }

    private const string SelectDue = """
        SELECT Id, Kind, Payload, Attempts FROM WechatJobs
        WHERE NextAttemptAt <= @Now AND (ClaimedUntil IS NULL OR ClaimedUntil < @Now)
        ORDER BY NextAttemptAt, Id
        """;

    public async Task<IReadOnlyList<WechatJob>> ListDueAsync(DateTime now, int limit, CancellationToken ct) =>
        await db.ReadAsync(async c => (await c.QueryAsync<WechatJob>(new CommandDefinition(SelectDue + "\n" + db.Dialect.LimitRows,
            new { Now = now, Limit = limit }, cancellationToken: ct))).AsList(), ct);

    private const string Claim = """
        UPDATE WechatJobs SET ClaimedBy = @Owner, ClaimedUntil = @Until, Attempts = Attempts + 1
        WHERE Id = @Id AND NextAttemptAt <= @Now AND (ClaimedUntil IS NULL OR ClaimedUntil < @Now)
        """;

    /// <summary>Claims a due job for this instance; false when another instance took it first.</summary>
    public async Task<bool> TryClaimAsync(long id, string owner, DateTime now, CancellationToken ct) =>
        await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<int>(new CommandDefinition(Claim + ";\n" + db.Dialect.SelectRowsAffected,
            new { Id = id, Owner = owner, Until = now + ClaimDuration, Now = now }, tx, cancellationToken: ct)), ct) == 1;

    private const string Complete = """
        UPDATE WechatJobs SET NextAttemptAt = NULL, CompletedAt = @Now, ClaimedBy = NULL, ClaimedUntil = NULL, LastError = NULL
        WHERE Id = @Id AND ClaimedBy = @Owner
        """;

    public Task CompleteAsync(long id, string owner, DateTime now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(Complete, new { Id = id, Owner = owner, Now = now }, tx, cancellationToken: ct)), ct);

    private const string Fail = """
        UPDATE WechatJobs SET NextAttemptAt = @NextAttemptAt, FailedAt = @FailedAt, LastError = @Error, ClaimedBy = NULL, ClaimedUntil = NULL
        WHERE Id = @Id AND ClaimedBy = @Owner
        """;

    /// <summary>Schedules the next run after the backoff, or gives the job up after <see cref="MaxAttempts"/>; true when given up.</summary>
    public async Task<bool> FailAsync(WechatJob job, string owner, string error, DateTime now, CancellationToken ct)
    {
        var givenUp = job.Attempts >= MaxAttempts;
        await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(Fail, new
        {
            job.Id, Owner = owner, Error = error.Length <= 1000 ? error : error[..1000],
            NextAttemptAt = givenUp ? (DateTime?)null : now + Backoff(job.Attempts), FailedAt = givenUp ? now : (DateTime?)null,
        }, tx, cancellationToken: ct)), ct);
        return givenUp;
    }

    private const string SelectState = "SELECT Id, Kind, Payload, Attempts FROM WechatJobs WHERE Id = @Id";

    public Task<WechatJob?> FindAsync(long id, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<WechatJob>(new CommandDefinition(SelectState, new { Id = id }, cancellationToken: ct)), ct);
}

/// <summary>
/// Tells this instance's job loop to look for due jobs: now (a job was just enqueued here), or after a delay (a job
/// enqueued to run later). Other instances find the jobs on their next poll.
/// </summary>
public sealed class WechatJobSignal(TimeProvider time)
{
    private readonly SemaphoreSlim wake = new(0, 1);

    public void Wake()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: one run picks up everything due.
        }
    }

    // Held until they fire: a timer nobody references may be collected before it fires.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<object, ITimer> pending = new();

    public void WakeAfter(TimeSpan delay)
    {
        var key = new object();
        pending[key] = time.CreateTimer(_ =>
        {
            Wake();
            if (pending.TryRemove(key, out var fired))
            {
                fired.Dispose();
            }
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    internal Task WokenAsync(CancellationToken ct) => wake.WaitAsync(ct);
}

/// <summary>
/// Runs due jobs, each claimed first, so every instance may run it: at once when woken (<see cref="WechatJobSignal"/>),
/// and every <see cref="PollPeriod"/> for retries, delayed jobs and jobs other instances left.
/// </summary>
public sealed class WechatJobRunner(WechatJobStore jobs, IEnumerable<IWechatJobHandler> handlers, TimeProvider time, ILogger<WechatJobRunner> logger)
{
    public static readonly TimeSpan PollPeriod = TimeSpan.FromSeconds(10);
    public const int Batch = 20;

    private readonly Dictionary<string, IWechatJobHandler> byKind = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>Runs the jobs due now; returns how many were due (a full batch: look again).</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = await jobs.ListDueAsync(now, Batch, ct);
        foreach (var job in due)
        {
            if (!await jobs.TryClaimAsync(job.Id, LeaseStore.ThisInstance, now, ct))
            {
                continue;
            }
            var running = job with { Attempts = job.Attempts + 1 };
            try
            {
                if (!byKind.TryGetValue(job.Kind, out var handler))
                {
                    throw new InvalidOperationException($"No handler for WeChat jobs of kind '{job.Kind}' in this version");
                }
                await handler.RunAsync(running, ct);
                await jobs.CompleteAsync(job.Id, LeaseStore.ThisInstance, time.GetUtcNow().UtcDateTime, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var givenUp = await jobs.FailAsync(running, LeaseStore.ThisInstance, $"{e.GetType().Name}: {e.Message}", time.GetUtcNow().UtcDateTime, ct);
                logger.Log(givenUp ? LogLevel.Error : LogLevel.Warning, e,
                    "WeChat job {JobId} ({Kind}) failed on run {Attempt}{Outcome}", job.Id, job.Kind, running.Attempts,
                    givenUp ? "; given up, see WechatJobs.LastError" : "; it runs again after the backoff");
            }
        }
        return due.Count;
    }
}

/// <summary>The runner's loop in the background: at start, when woken, and every poll period.</summary>
internal sealed class WechatJobLoop(WechatJobRunner runner, WechatJobSignal signal, TimeProvider time, ILogger<WechatJobLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A new one-shot wait after each run, not a periodic timer: a clock that jumps (a test's, or a resumed VM's)
        // gives one run, not one per period skipped.
        Task? sleep = null;
        Task? woken = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await runner.RunDueAsync(stoppingToken) == WechatJobRunner.Batch)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The WeChat job runner failed; it looks again in {Period}", WechatJobRunner.PollPeriod);
            }
            sleep ??= Task.Delay(WechatJobRunner.PollPeriod, time, stoppingToken);
            woken ??= signal.WokenAsync(stoppingToken);
            try
            {
                var done = await Task.WhenAny(sleep, woken);
                await done;
                if (done == sleep)
                {
                    sleep = null;
                }
                else
                {
                    woken = null;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
