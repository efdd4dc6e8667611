using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using LianApi.Communities;
using LianApi.Complaints;
using LianApi.Infrastructure;
using LianApi.Resources;
using LianApi.Shared;
using LianApi.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using D = LianApi.Complaints.RollupDimensions;

namespace LianApi.Stats;

public static class StatsGroupings
{
    public const string Street = "street";
    public const string Community = "community";
    public const string Department = "department";
    public const string Category = "category";
    public const string Day = "day";
    public const string Week = "week";
    public const string Month = "month";
}

public static class StatsOrders
{
    public const string Received = "received";
    public const string Completion = "completion";
    public const string Satisfaction = "satisfaction";
    public const string AcceptedOnTime = "acceptedOnTime";
    public const string ResolvedOnTime = "resolvedOnTime";
    public const string Overdue = "overdue";
}

public sealed record StatsQuery(
    [property: Description("First day of the period (Beijing), inclusive: 2026-01-01; default 1 January of this year")] DateOnly? From,
    [property: Description("Last day of the period (Beijing), inclusive; default today")] DateOnly? To,
    [property: Description("street | community | department | category | day | week (ISO, 2026-W49) | month; without it only the total")]
    [property: AllowedValues(null, StatsGroupings.Street, StatsGroupings.Community, StatsGroupings.Department, StatsGroupings.Category,
        StatsGroupings.Day, StatsGroupings.Week, StatsGroupings.Month, ErrorMessage = ValidationMessages.StatsGroupBy)] string? GroupBy,
    [property: Description("Narrow the scope to one unit inside the caller's: street | community | department, with code")]
    [property: AllowedValues(null, HandlingLevel.Street, HandlingLevel.Community, HandlingLevel.Department, ErrorMessage = ValidationMessages.StatsLevel)] string? Level,
    [property: Description("The code of the unit named by level")] string? Code,
    [property: Description("Ranking of unit and category groups, best first: received (default), completion, satisfaction, acceptedOnTime, resolvedOnTime, overdue (most first); periods are always in time order")]
    [property: AllowedValues(null, StatsOrders.Received, StatsOrders.Completion, StatsOrders.Satisfaction, StatsOrders.AcceptedOnTime,
        StatsOrders.ResolvedOnTime, StatsOrders.Overdue, ErrorMessage = ValidationMessages.StatsSort)] string? Sort);

public sealed record StatsScope(
    [property: OpenApiEnum(HandlingLevel.District, HandlingLevel.Street, HandlingLevel.Community, HandlingLevel.Department)]
    [property: Description("district | street | community | department")] string Level,
    [property: Description("The unit's code; null for the district")] string? Code,
    string Name);

public sealed record StatsReport(
    [property: Description("First day counted (Beijing), inclusive")] DateOnly From,
    [property: Description("Last day counted (Beijing), inclusive")] DateOnly To,
    [property: OpenApiEnum(StatsGroupings.Street, StatsGroupings.Community, StatsGroupings.Department, StatsGroupings.Category,
        StatsGroupings.Day, StatsGroupings.Week, StatsGroupings.Month)]
    string? GroupBy,
    StatsScope Scope,
    [property: Description("The whole scope")] StatsFigures Total,
    [property: Description("One entry per group with cases (a case not dispatched to any department is in no department group)")] IReadOnlyList<StatsFigures> Groups);

public sealed record StatsHeadline(
    [property: Description("2026, or \"all\"")] string Period,
    int Received,
    int Handled,
    [property: Description("办结率 = handled ÷ received")] double? CompletionRate,
    [property: Description("满意率 = (satisfied + basically satisfied) ÷ rated")] double? SatisfactionRate);

public sealed record PublicStats(StatsHeadline ThisYear, StatsHeadline AllTime, DateTimeOffset AsOf);

public static class StatsApi
{
    public const string DistrictName = "莲湖区";

    public static IEndpointRouteBuilder MapStats(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/stats")
            .WithTag("Statistics", "The district's published figures for the mini-program's home page (no token needed)")
            .AllowAnonymous()
            .MapGet("/public", GetPublicStats)
            .WithName(nameof(GetPublicStats))
            .WithSummary("This year's and all-time received, handled, completion and satisfaction of the district (cached for a minute)");

        var staff = routes.MapGroup("/api/staff/stats")
            .WithTag("Staff statistics", "三率 and 零遗漏/零延误/零差评 by unit, category and period, scoped like the inbox (staff token)")
            .RequireActiveStaff();
        staff.MapGet("/", GetStats)
            .WithName(nameof(GetStats))
            .WithSummary("The measures of the caller's scope (a community itself, a street its communities, a department itself, the dispatch center everything), grouped and ranked")
            .ProducesStandardProblems(400, 404);
        staff.MapGet("/export", ExportStats)
            .WithName(nameof(ExportStats))
            .WithSummary("The same figures as a file for the monthly report: CSV (UTF-8 with BOM, opens in Excel) or xlsx")
            .Produces<Stream>(StatusCodes.Status200OK, "text/csv", StatsExport.XlsxContentType)
            .ProducesStandardProblems(400, 404)
            .ProducesHeader(StatusCodes.Status200OK, HeaderNames.ContentDisposition, "attachment; filename=stats-SCOPE-FROM-TO.csv (or .xlsx)", required: true);
        return routes;
    }

    public static async Task<Ok<PublicStats>> GetPublicStats(PublicStatsCache cache, HttpContext http, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = $"public, max-age={(int)PublicStatsCache.Lifetime.TotalSeconds}";
        return TypedResults.Ok(await cache.GetAsync(ct));
    }

    public static async Task<Results<Ok<StatsReport>, ProblemHttpResult>> GetStats(
        [AsParameters] StatsQuery query, HttpContext http, StatsReader reader, CancellationToken ct) =>
        await reader.ReportAsync(http.Staff(), query, ct) switch
        {
            { Report: { } report } => TypedResults.Ok(report),
            { Problem: var problem } => problem!,
        };

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportStats(
        [AsParameters] StatsQuery query,
        [Description("csv (default) or xlsx")][AllowedValues(null, "csv", "xlsx", ErrorMessage = ValidationMessages.StatsFormat)] string? format,
        HttpContext http, StatsReader reader, CancellationToken ct)
    {
        var (report, problem) = await reader.ReportAsync(http.Staff(), query, ct);
        if (report is null)
        {
            return problem!;
        }
        var name = $"stats-{report.Scope.Code ?? "district"}-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}";
        return format == "xlsx"
            ? TypedResults.File(await StatsExport.XlsxAsync(report, ct), StatsExport.XlsxContentType, name + ".xlsx")
            : TypedResults.File(StatsExport.Csv(report), "text/csv; charset=utf-8", name + ".csv");
    }
}

/// <summary>Turns a staff member's question into rollup reads: their scope, narrowed by level/code, grouped and ranked.</summary>
public sealed class StatsReader(StatsStore store, OrgDirectory directory)
{
    private sealed record Scope(string Level, long Id, string? Code, string Name, IReadOnlyList<long> Communities);

    public async Task<(StatsReport? Report, ProblemHttpResult? Problem)> ReportAsync(StaffMember staff, StatsQuery query, CancellationToken ct)
    {
        var today = DateOnly.ParseExact(store.Today().ToString(CultureInfo.InvariantCulture), "yyyyMMdd", CultureInfo.InvariantCulture);
        var from = query.From ?? new DateOnly(today.Year, 1, 1);
        var to = query.To ?? today;
        // A day outside the input days (year 1, year 9999) is refused before any period arithmetic touches it.
        if (!ChinaTime.IsInputDay(from) || !ChinaTime.IsInputDay(to))
        {
            return (null, Problems.BadRequest(ChinaTime.IsInputDay(from) ? "to" : "from", Messages.FieldDayRange));
        }
        if (to < from)
        {
            return (null, Problems.BadRequest("to", Messages.FieldStatsRange));
        }
        if ((query.Level is null) != (query.Code is null))
        {
            return (null, Problems.BadRequest(query.Level is null ? "level" : "code", Messages.FieldStatsLevelAndCode));
        }
        var names = await directory.GetAsync(ct);
        var (streets, departments) = await store.UnitsAsync(ct);
        var scope = ScopeOf(staff, names, streets, departments);
        if (scope is null)
        {
            return (null, Problems.Forbidden(Messages.StatsNotForRole, ProblemCodes.Forbidden));
        }
        if (query.Level is { } level)
        {
            scope = Narrow(scope, level, query.Code!, names, streets, departments);
            if (scope is null)
            {
                return (null, Problems.NotFound(Text.Format(Messages.StatsUnitNotInScope, query.Code)));
            }
        }
        var (fromDay, toDay) = (Day(from), Day(to));
        var total = TotalQuery(scope, fromDay, toDay);
        (RollupQuery, bool)? grouping = query.GroupBy is { } groupBy ? GroupQuery(scope, groupBy, fromDay, toDay) : null;
        var sums = await store.SumAsync(grouping is null ? [(total, false)] : [(total, false), grouping.Value], ct);
        var totalFigures = StatsFigures.From("total", scope.Name, Add(sums[0].Values));
        var groups = grouping is null ? [] : Groups(query.GroupBy!, sums[1], names, streets, departments);
        return (new StatsReport(from, to, query.GroupBy, new StatsScope(scope.Level, scope.Code, scope.Name), totalFigures,
            Rank(groups, query.GroupBy, query.Sort)), null);
    }

    /// <summary>
    /// The published figures of one part of the district, for the public wall: the dispatch center's report narrowed to
    /// the street or community and, with a category, that category's group — the same rollups and the same rules as
    /// GET /api/staff/stats for the same filters, so the two always agree. Null when a code is unknown.
    /// </summary>
    public async Task<(StatsFigures Figures, DateOnly From, DateOnly To)?> PublicFiguresAsync(string? streetCode, string? communityCode,
        string? categoryCode, CancellationToken ct)
    {
        var today = DateOnly.ParseExact(store.Today().ToString(CultureInfo.InvariantCulture), "yyyyMMdd", CultureInfo.InvariantCulture);
        var from = new DateOnly(today.Year, 1, 1);
        var names = await directory.GetAsync(ct);
        var (streets, departments) = await store.UnitsAsync(ct);
        var scope = new Scope(HandlingLevel.District, 0, null, StatsApi.DistrictName, []);
        if (communityCode is not null)
        {
            scope = Narrow(scope, HandlingLevel.Community, communityCode, names, streets, departments);
        }
        else if (streetCode is not null)
        {
            scope = Narrow(scope, HandlingLevel.Street, streetCode, names, streets, departments);
        }
        CategoryRow? category = null;
        if (scope is null || (categoryCode is not null && !names.CategoriesByCode.TryGetValue(categoryCode, out category)))
        {
            return null;
        }
        var (fromDay, toDay) = (Day(from), Day(today));
        if (category is null)
        {
            var sums = await store.SumAsync([(TotalQuery(scope, fromDay, toDay), false)], ct);
            return (StatsFigures.From("total", scope.Name, Add(sums[0].Values)), from, today);
        }
        var byCategory = await store.SumAsync([GroupQuery(scope, StatsGroupings.Category, fromDay, toDay)], ct);
        return (StatsFigures.From(category.Code, category.Name, byCategory[0].GetValueOrDefault(category.Id) ?? new int[CaseCounters.Count]), from, today);
    }

    private static Scope? ScopeOf(StaffMember staff, OrgDirectory.Snapshot names,
        IReadOnlyDictionary<long, StatsStore.Unit> streets, IReadOnlyDictionary<long, StatsStore.Unit> departments) => staff.Role switch
    {
        StaffRoles.Dispatcher or StaffRoles.Admin => new Scope(HandlingLevel.District, 0, null, StatsApi.DistrictName, []),
        StaffRoles.Street when staff.UnitId is { } id && streets.TryGetValue(id, out var street) => StreetScope(street, names),
        StaffRoles.Community when staff.UnitId is { } id && names.CommunitiesById.TryGetValue(id, out var community) =>
            new Scope(HandlingLevel.Community, id, community.Code, community.Name, [id]),
        StaffRoles.Department when staff.UnitId is { } id && departments.TryGetValue(id, out var department) =>
            new Scope(HandlingLevel.Department, id, department.Code, department.Name, []),
        _ => null,
    };

    private static Scope StreetScope(StatsStore.Unit street, OrgDirectory.Snapshot names) =>
        new(HandlingLevel.Street, street.Id, street.Code, street.Name, names.Communities.Where(c => c.StreetId == street.Id).Select(c => c.Id).ToList());

    /// <summary>A unit inside the scope, or null: the dispatch center sees every unit, a street its communities, others only themselves.</summary>
    private static Scope? Narrow(Scope scope, string level, string code, OrgDirectory.Snapshot names,
        IReadOnlyDictionary<long, StatsStore.Unit> streets, IReadOnlyDictionary<long, StatsStore.Unit> departments)
    {
        Scope? wanted = level switch
        {
            HandlingLevel.Street => streets.Values.FirstOrDefault(s => string.Equals(s.Code, code, StringComparison.OrdinalIgnoreCase)) is { } s ? StreetScope(s, names) : null,
            HandlingLevel.Community => names.CommunitiesByCode.TryGetValue(code, out var c) ? new Scope(HandlingLevel.Community, c.Id, c.Code, c.Name, [c.Id]) : null,
            _ => departments.Values.FirstOrDefault(d => string.Equals(d.Code, code, StringComparison.OrdinalIgnoreCase)) is { } d
                ? new Scope(HandlingLevel.Department, d.Id, d.Code, d.Name, []) : null,
        };
        return wanted is null ? null
            : scope.Level == HandlingLevel.District ? wanted
            : scope.Level == wanted.Level && scope.Id == wanted.Id ? wanted
            : scope.Level == HandlingLevel.Street && wanted.Level == HandlingLevel.Community && scope.Communities.Contains(wanted.Id) ? wanted
            : null;
    }

    private static RollupQuery TotalQuery(Scope scope, int from, int to) => scope.Level switch
    {
        HandlingLevel.District => new(D.District, 0, from, to),
        HandlingLevel.Department => new(D.Department, 0, from, to, [scope.Id]),
        _ => new(D.Community, 0, from, to, scope.Communities),
    };

    /// <summary>Which rollup answers "this scope by that": the dimension, the scope's key, and whether it is a time series.</summary>
    private static (RollupQuery, bool) GroupQuery(Scope scope, string groupBy, int from, int to)
    {
        var byTime = groupBy is StatsGroupings.Day or StatsGroupings.Week or StatsGroupings.Month;
        if (byTime)
        {
            return (TotalQuery(scope, from, to) with { MonthsWhole = groupBy == StatsGroupings.Month }, true);
        }
        var query = (scope.Level, groupBy) switch
        {
            (HandlingLevel.District, StatsGroupings.Category) => new RollupQuery(D.Category, 0, from, to),
            (HandlingLevel.District, StatsGroupings.Department) => new RollupQuery(D.Department, 0, from, to),
            (HandlingLevel.District, _) => new RollupQuery(D.Community, 0, from, to),
            (HandlingLevel.Street, StatsGroupings.Category) => new RollupQuery(D.StreetCategory, scope.Id, from, to),
            (HandlingLevel.Street, StatsGroupings.Department) => new RollupQuery(D.StreetDepartment, scope.Id, from, to),
            (HandlingLevel.Street, _) => new RollupQuery(D.Community, 0, from, to, scope.Communities),
            (HandlingLevel.Community, StatsGroupings.Category) => new RollupQuery(D.CommunityCategory, scope.Id, from, to),
            (HandlingLevel.Community, StatsGroupings.Department) => new RollupQuery(D.CommunityDepartment, scope.Id, from, to),
            (HandlingLevel.Community, _) => new RollupQuery(D.Community, 0, from, to, scope.Communities),
            (_, StatsGroupings.Category) => new RollupQuery(D.DepartmentCategory, scope.Id, from, to),
            (_, StatsGroupings.Department) => new RollupQuery(D.Department, 0, from, to, [scope.Id]),
            _ => new RollupQuery(D.DepartmentCommunity, scope.Id, from, to),
        };
        return (query, false);
    }

    private static List<StatsFigures> Groups(string groupBy, Dictionary<long, int[]> sums, OrgDirectory.Snapshot names,
        IReadOnlyDictionary<long, StatsStore.Unit> streets, IReadOnlyDictionary<long, StatsStore.Unit> departments)
    {
        IEnumerable<(string Key, string Name, int[] Sums)> rows = groupBy switch
        {
            StatsGroupings.Day or StatsGroupings.Week or StatsGroupings.Month => sums
                .GroupBy(s => Period(groupBy, s.Key))
                .Select(g => (g.Key, g.Key, Add(g.Select(s => s.Value)))),
            StatsGroupings.Street => sums
                .GroupBy(s => names.CommunitiesById.TryGetValue(s.Key, out var c) ? c.StreetId : 0)
                .Select(g => (streets.TryGetValue(g.Key, out var s) ? s.Code : g.Key.ToString(CultureInfo.InvariantCulture),
                    streets.TryGetValue(g.Key, out var n) ? n.Name : "", Add(g.Select(s => s.Value)))),
            StatsGroupings.Community => sums.Select(s => names.CommunitiesById.TryGetValue(s.Key, out var c)
                ? (c.Code, c.Name, s.Value) : (s.Key.ToString(CultureInfo.InvariantCulture), "", s.Value)),
            StatsGroupings.Category => sums.Select(s => names.CategoriesById.TryGetValue(s.Key, out var c)
                ? (c.Code, c.Name, s.Value) : (s.Key.ToString(CultureInfo.InvariantCulture), "", s.Value)),
            _ => sums.Select(s => departments.TryGetValue(s.Key, out var d)
                ? (d.Code, d.Name, s.Value) : (s.Key.ToString(CultureInfo.InvariantCulture), "", s.Value)),
        };
        return rows.Where(r => r.Sums[CaseCounters.Received] > 0).Select(r => StatsFigures.From(r.Key, r.Name, r.Sums)).ToList();
    }

    private static IReadOnlyList<StatsFigures> Rank(List<StatsFigures> groups, string? groupBy, string? sort)
    {
        if (groupBy is StatsGroupings.Day or StatsGroupings.Week or StatsGroupings.Month)
        {
            return [.. groups.OrderBy(g => g.Key, StringComparer.Ordinal)];
        }
        Func<StatsFigures, double> measure = sort switch
        {
            StatsOrders.Completion => g => g.CompletionRate ?? -1,
            StatsOrders.Satisfaction => g => g.SatisfactionRate ?? -1,
            StatsOrders.AcceptedOnTime => g => g.AcceptedOnTimeRate ?? -1,
            StatsOrders.ResolvedOnTime => g => g.ResolvedOnTimeRate ?? -1,
            StatsOrders.Overdue => g => g.OverdueNow,
            _ => g => g.Received,
        };
        return [.. groups.OrderByDescending(measure).ThenByDescending(g => g.Received).ThenBy(g => g.Key, StringComparer.Ordinal)];
    }

    private static string Period(string groupBy, long day)
    {
        if (day % 100 == 0)
        {
            return $"{day / 10000:D4}-{day / 100 % 100:D2}";   // a monthly row (yyyymm00): only asked for when grouping by month
        }
        var date = DateOnly.ParseExact(day.ToString(CultureInfo.InvariantCulture), "yyyyMMdd", CultureInfo.InvariantCulture);
        return groupBy switch
        {
            StatsGroupings.Day => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            StatsGroupings.Month => date.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            _ => $"{ISOWeek.GetYear(date.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue)):D2}",
        };
    }

    internal static int Day(DateOnly date) => date.Year * 10000 + date.Month * 100 + date.Day;

    internal static int[] Add(IEnumerable<int[]> rows)
    {
        var sum = new int[CaseCounters.Count];
        foreach (var row in rows)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += row[i];
            }
        }
        return sum;
    }
}

/// <summary>The home page's figures, read at most once a minute per instance: every resident's phone asks for them.</summary>
public sealed class PublicStatsCache(StatsStore store, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private PublicStats? cached;

    public async Task<PublicStats> GetAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (cached is { } fresh && now - fresh.AsOf < Lifetime)
        {
            return fresh;
        }
        var today = store.Today();
        var year = today / 10000;
        var sums = await store.SumAsync([(new RollupQuery(D.District, 0, year * 10000 + 101, year * 10000 + 1231), false),
            (new RollupQuery(D.District, 0, 0, int.MaxValue), false)], ct);
        StatsHeadline Headline(string period, int[] s) => new(period, s[CaseCounters.Received], s[CaseCounters.Handled],
            StatsFigures.Rate(s[CaseCounters.Handled], s[CaseCounters.Received]),
            StatsFigures.Rate(s[CaseCounters.Satisfied] + s[CaseCounters.BasicallySatisfied], s[CaseCounters.Evaluated]));
        cached = new PublicStats(Headline(year.ToString(CultureInfo.InvariantCulture), StatsReader.Add(sums[0].Values)),
            Headline("all", StatsReader.Add(sums[1].Values)), now.ToOffset(ChinaTime.Offset));
        return cached;
    }
}
