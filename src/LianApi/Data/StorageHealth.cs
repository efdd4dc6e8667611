using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace LianApi.Data;

/// <summary>The database could not store or read data because its disk is full or failing; the API answers 503.</summary>
public sealed class StorageUnavailableException(Exception inner)
    : Exception("The database cannot store data right now: " + inner.Message, inner);

/// <summary>
/// Whether the database's storage works, as the units of work saw it: failing from the first storage-full or I/O
/// error until a write of <see cref="ProbeBytes"/> commits (readiness's probe). Any smaller write that commits proves
/// nothing: on a nearly full disk a lease renewal or a counter fits where a report does not (issue 23: readiness said
/// 200 between two refused reports). It logs the condition when it starts, at most once a minute while it lasts and
/// once when it clears, so a full disk does not fill up further with one stack trace per request.
/// </summary>
public sealed class StorageHealth(TimeProvider time, ILogger<StorageHealth> logger)
{
    public static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What the probe writes: more than the largest report (1000 + 200 characters with everything it updates writes
    /// about 170 KB of SQLite log, 42 pages; pinned by a test), with room for the report to grow. A report attaching
    /// photos writes more, and is refused on its own when that does not fit.
    /// </summary>
    public const int ProbeBytes = 256 * 1024;

    private readonly Lock gate = new();
    private volatile Failing? failing;
    private DateTimeOffset lastProbe = DateTimeOffset.MinValue;

    public sealed record Failure(DateTimeOffset Since, string Reason);

    /// <summary>Null while storage works; otherwise since when and why writes fail.</summary>
    public Failure? Current
    {
        get
        {
            lock (gate)
            {
                return failing is { } f ? new Failure(f.Since, f.Reason) : null;
            }
        }
    }

    /// <summary>
    /// Storage full or failing on either provider, also when wrapped: SQLITE_FULL (13) and SQLITE_IOERR (10, with
    /// its extended codes); SQL Server 1101/1105 (no room in a filegroup) and 9002 (transaction log full).
    /// </summary>
    public static bool IsStorageFailure(Exception e) => Find(e) is not null;

    private static Exception? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case StorageUnavailableException:
                    return e;
                case SqliteException sqlite when (sqlite.SqliteErrorCode & 0xFF) is 10 or 13 || (sqlite.SqliteExtendedErrorCode & 0xFF) is 10 or 13:
                    return e;
                case SqlException sql when sql.Errors.Cast<SqlError>().Any(error => error.Number is 1101 or 1105 or 9002):
                    return e;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Select(Find).FirstOrDefault(found => found is not null);
            }
        }
        return null;
    }

    /// <summary>Records a storage failure a unit of work met and returns what its caller throws instead.</summary>
    public StorageUnavailableException Failed(Exception e)
    {
        var now = time.GetUtcNow();
        var cause = Find(e) switch
        {
            StorageUnavailableException { InnerException: { } inner } => inner,
            { } found => found,
            null => e,
        };
        lock (gate)
        {
            if (failing is null)
            {
                failing = new Failing(now, Describe(cause)) { LastLogged = now };
                logger.LogError(cause, "Storage is failing ({Reason}); writes get 503 until it recovers. " +
                    "Further failures are counted and logged at most once a minute", failing.Reason);
            }
            else
            {
                failing.Failures++;
                failing.SinceLastLog++;
                if (now - failing.LastLogged >= LogInterval)
                {
                    logger.LogError("Storage still failing since {Since:O}: {Failures} more failures in the last {Minutes:0} min; latest: {Reason}",
                        failing.Since, failing.SinceLastLog, (now - failing.LastLogged).TotalMinutes, Describe(cause));
                    failing.LastLogged = now;
                    failing.SinceLastLog = 0;
                }
            }
        }
        return e as StorageUnavailableException ?? new StorageUnavailableException(cause);
    }

    /// <summary>A write of <see cref="ProbeBytes"/> committed: a report fits, storage works (again).</summary>
    public void ProbeCommitted()
    {
        if (failing is null)
        {
            return;
        }
        lock (gate)
        {
            if (failing is { } recovered)
            {
                failing = null;
                logger.LogWarning("Storage recovered after {Duration}: a report-sized write commits again ({Failures} more failures after the first one)",
                    time.GetUtcNow() - recovered.Since, recovered.Failures);
            }
        }
    }

    /// <summary>Whether to try a write now to see if storage recovered: only while failing, at most every <see cref="ProbeInterval"/>.</summary>
    public bool TryStartProbe()
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (failing is null || now - lastProbe < ProbeInterval)
            {
                return false;
            }
            lastProbe = now;
            return true;
        }
    }

    private static string Describe(Exception e) => e switch
    {
        SqliteException sqlite => $"{sqlite.Message} (extended code {sqlite.SqliteExtendedErrorCode})",
        SqlException sql => $"SQL Server error {sql.Number}: {sql.Message}",
        _ => e.Message,
    };

    private sealed class Failing(DateTimeOffset since, string reason)
    {
        public DateTimeOffset Since { get; } = since;
        public string Reason { get; } = reason;
        public DateTimeOffset LastLogged { get; set; }
        public int Failures { get; set; }
        public int SinceLastLog { get; set; }
    }
}
