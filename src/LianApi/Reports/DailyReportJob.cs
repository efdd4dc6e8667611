using LianApi.Data;
using Microsoft.Extensions.Options;

namespace LianApi.Reports;

/// <summary>
/// Looks every <see cref="DailyReportOptions.CheckEvery"/> whether a report is due and writes it, on the instance that
/// holds the lease; a period already kept is never written again, so restarts and other instances change nothing. The
/// first look is one period after start, not at start: a report embeds the whole Chinese font and takes tens of MB while
/// it is drawn, which a starting (or restarting) instance should not add to its first requests; a due report waits at
/// most that long.
/// </summary>
internal sealed class DailyReportJob(DailyReportService reports, LeaseStore leases, IOptions<DailyReportOptions> options, TimeProvider time,
    ILogger<DailyReportJob> logger)
    : LeasedJob(leases, time, logger, LeaseStore.Reports, options.Value.CheckEvery, runAtStart: false)
{
    protected override async Task RunAsync(CancellationToken ct)
    {
        if (options.Value.Enabled)
        {
            await reports.RunDueAsync(Time.GetUtcNow().UtcDateTime, ct);
        }
    }
}
