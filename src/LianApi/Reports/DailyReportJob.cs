using LianApi.Data;
using Microsoft.Extensions.Options;

namespace LianApi.Reports;

/// <summary>
/// Looks every <see cref="DailyReportOptions.CheckEvery"/> whether a report is due and writes it, on the instance that
/// holds the lease; a period already kept is never written again, so restarts and other instances change nothing.
/// </summary>
internal sealed class DailyReportJob(DailyReportService reports, LeaseStore leases, IOptions<DailyReportOptions> options, TimeProvider time,
    ILogger<DailyReportJob> logger)
    : LeasedJob(leases, time, logger, LeaseStore.Reports, options.Value.CheckEvery, runAtStart: true)
{
    protected override async Task RunAsync(CancellationToken ct)
    {
        if (options.Value.Enabled)
        {
            await reports.RunDueAsync(Time.GetUtcNow().UtcDateTime, ct);
        }
    }
}
