using LianApi.Complaints;
using LianApi.Shared;
using LianApi.Staff;
using LianApi.Stats;

namespace LianApi.Reports;

/// <summary>
/// Reads a report's figures as the dispatch center sees them (the whole district) through the statistics and the inbox,
/// so the report says exactly what GET /api/staff/stats and the overdue list say for the same period and time.
/// </summary>
public sealed class DailyReportBuilder(StatsReader stats, StaffInboxStore inbox)
{
    /// <summary>The district's scope: the statistics and the inbox give the dispatch center everything.</summary>
    internal static readonly StaffMember District = new()
    {
        Name = "日报/周报", Role = StaffRoles.Dispatcher, UnitLevel = HandlingLevel.District, UnitName = DispatchCenter.Name, IsActive = true,
    };

    private static readonly string[] OpenStatuses = [ComplaintStatus.Submitted, ComplaintStatus.Accepted, ComplaintStatus.InProgress];

    public async Task<DailyReport> BuildAsync(string kind, DateOnly date, DateTime now, CancellationToken ct)
    {
        var (from, to) = ReportKinds.PeriodOf(kind, date);
        var byStreet = await ReportAsync(from, to, StatsGroupings.Street, ct);
        var byDepartment = await ReportAsync(from, to, StatsGroupings.Department, ct);
        var (previous, yearBefore) = (byStreet.Previous!, byStreet.YearBefore!);

        var (overdue, capped) = await OverdueAsync(now, ct);
        var (current, before, yearAgo) = (byStreet.Total, previous.Total, yearBefore.Total);
        IReadOnlyList<HeadlineFigure> headline =
        [
            new("受理量", false, current.Received, before.Received, yearAgo.Received),
            new("办结量", false, current.Handled, before.Handled, yearAgo.Handled),
            new("办结率", true, current.CompletionRate, before.CompletionRate, yearAgo.CompletionRate),
            new("及时签收率", true, current.AcceptedOnTimeRate, before.AcceptedOnTimeRate, yearAgo.AcceptedOnTimeRate),
            new("按时办结率", true, current.ResolvedOnTimeRate, before.ResolvedOnTimeRate, yearAgo.ResolvedOnTimeRate),
            new("满意率", true, current.SatisfactionRate, before.SatisfactionRate, yearAgo.SatisfactionRate),
            new("当前超期件", false, overdue.Count, null, null) { Compares = false },
        ];

        // 热点 are a trend: one day against the day before is noise, so both reports count the 30 days to the period's end.
        var risingFrom = to.AddDays(-(DailyReport.RisingDays - 1));
        var (hotspots, problem) = await stats.HotspotsAsync(District, risingFrom, to, ct);
        if (hotspots is null)
        {
            throw new InvalidOperationException($"The district's hotspots were refused ({problem?.StatusCode}): the report reads them as the dispatch center.");
        }

        return new DailyReport(kind, from, to, ReportKinds.Title(kind, from, to), now,
            new ReportPeriods(from, to, previous.From, previous.To, yearBefore.From, yearBefore.To), headline,
            new UnitRow("total", "合计", current, before.Received, yearAgo.Received),
            Units(byStreet), Units(byDepartment),
            overdue, capped,
            hotspots.From, hotspots.To, hotspots.PreviousFrom, hotspots.PreviousTo, hotspots.Rising);
    }

    private async Task<StatsReport> ReportAsync(DateOnly from, DateOnly to, string groupBy, CancellationToken ct)
    {
        var (report, problem) = await stats.ReportAsync(District, new StatsQuery(from, to, groupBy, null, null, null, Compare: true), ct);
        return report ?? throw new InvalidOperationException($"The district's statistics were refused ({problem?.StatusCode}): the report reads them as the dispatch center.");
    }

    /// <summary>
    /// Each unit with cases now or in the period before (a street whose reports fell to none still shows its fall),
    /// most received first, as the statistics rank them.
    /// </summary>
    private static List<UnitRow> Units(StatsReport report)
    {
        var previous = report.Previous!.Groups.ToDictionary(g => g.Key);
        var yearBefore = report.YearBefore!.Groups.ToDictionary(g => g.Key);
        var rows = report.Groups.Select(g => new UnitRow(g.Key, g.Name, g, previous.GetValueOrDefault(g.Key)?.Received ?? 0,
            yearBefore.GetValueOrDefault(g.Key)?.Received ?? 0)).ToList();
        var shown = rows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        rows.AddRange(report.Previous.Groups.Where(p => !shown.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new UnitRow(p.Key, p.Name, StatsFigures.From(p.Key, p.Name, new int[CaseCounters.Count]), p.Received,
                yearBefore.GetValueOrDefault(p.Key)?.Received ?? 0)));
        return rows;
    }

    /// <summary>The district's open cases past their deadline at <paramref name="now"/>, most overdue first; true when more were there than read.</summary>
    private async Task<(List<OverdueCase> Cases, bool Capped)> OverdueAsync(DateTime now, CancellationToken ct)
    {
        var cases = new List<OverdueCase>();
        var query = new InboxQuery(null, null, Overdue: true, null, null, null, null, null, null, Sort: "urgent", null, null);
        var capped = await inbox.ForEachAsync(District, query, urgent: true, DailyReport.OverdueMax, (r, names) =>
        {
            if (OpenStatuses.Contains(r.Status) && r.DueAt is { } due && due < now && due < Complaint.NoDeadline)
            {
                cases.Add(new OverdueCase(r.TrackingNo, r.CommunityName, r.CategoryName, names.UnitName(r.HandlingLevel, r.HandlingUnitId) ?? "",
                    r.SubmittedAt, due, (int)Math.Ceiling((now - due).TotalDays)));
            }
            return ValueTask.CompletedTask;
        }, ct);
        return ([.. cases.OrderBy(c => c.DueAt).ThenBy(c => c.TrackingNo, StringComparer.Ordinal)], capped);
    }
}
