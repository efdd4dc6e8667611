using System.Globalization;
using LianApi.Communities;
using LianApi.Complaints;
using LianApi.Infrastructure;
using LianApi.Resources;
using LianApi.Shared;
using LianApi.Staff;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.AspNetCore.Http.HttpResults;
using D = LianApi.Stats.RollupDimensions;

namespace LianApi.Stats;

/// <summary>Turns a staff member's question into rollup reads: their scope, narrowed by level/code, grouped and ranked.</summary>
public sealed class StatsReader(StatsStore store, OrgDirectory directory, StaffStore staffStore, HybridCache cache)
{
    /// <summary>
    /// 热点 are a meeting's agenda, not a live figure: kept this long per scope and period. The addresses of a month are
    /// read from the cases' rows (no index holds them), which is most of a district's call.
    /// </summary>
    public static readonly TimeSpan HotspotsLifetime = TimeSpan.FromMinutes(2);

    private static readonly HybridCacheEntryOptions HotspotsEntry = new() { Expiration = HotspotsLifetime, LocalCacheExpiration = HotspotsLifetime };

    private sealed record Scope(string Level, long Id, string? Code, string Name, IReadOnlyList<long> Communities);

    public async Task<(StatsReport? Report, ProblemHttpResult? Problem)> ReportAsync(StaffMember staff, StatsQuery query, CancellationToken ct)
    {
        var today = store.Today().Date;
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
        if (scope.Level == HandlingLevel.Department && query.GroupBy is StatsGroupings.Grid or StatsGroupings.Channel)
        {
            return (null, Problems.BadRequest("groupBy", Messages.StatsGroupByForDepartment));
        }
        var people = query.GroupBy is StatsGroupings.Recorder or StatsGroupings.Handler ? PeopleOf(scope, await staffStore.ListAsync(ct)) : [];
        var (totalFigures, groups) = await FiguresAsync(scope, query.GroupBy, from, to, names, streets, departments, people, ct);
        var callBacks = await store.CallBacksAsync(CallBackUnits(scope), Day(from), Day(to), ct);
        var whistles = await store.SumAsync([(WhistleQuery(scope, Day(from), Day(to)), false)], ct);
        StatsComparison? previous = null, yearBefore = null;
        if (query.Compare == true)
        {
            // Periods by day, week or month are other dates in another period: only the totals compare.
            var byUnit = query.GroupBy is not (null or StatsGroupings.Day or StatsGroupings.Week or StatsGroupings.Month) ? query.GroupBy : null;
            var (previousFrom, previousTo) = PreviousPeriod(from, to);
            var (p, pg) = await FiguresAsync(scope, byUnit, previousFrom, previousTo, names, streets, departments, people, ct);
            var (y, yg) = await FiguresAsync(scope, byUnit, from.AddYears(-1), to.AddYears(-1), names, streets, departments, people, ct);
            previous = new StatsComparison(previousFrom, previousTo, p, pg);
            yearBefore = new StatsComparison(from.AddYears(-1), to.AddYears(-1), y, yg);
        }
        return (new StatsReport(from, to, query.GroupBy, new StatsScope(scope.Level, scope.Code, scope.Name), totalFigures,
            Rank(groups, query.GroupBy, query.Sort), CallBacks(callBacks, names, streets, departments), Whistles(whistles[0], departments),
            previous, yearBefore), null);
    }

    /// <summary>The staff whose groups a scope shows: everyone for the center; a street's staff and its communities'; a unit's own.</summary>
    private static IReadOnlyList<StaffMember> PeopleOf(Scope scope, IReadOnlyList<StaffMember> staff) => scope.Level switch
    {
        HandlingLevel.District => staff,
        HandlingLevel.Street => [.. staff.Where(s => (s.UnitLevel == HandlingLevel.Street && s.UnitId == scope.Id)
            || (s.UnitLevel == HandlingLevel.Community && s.UnitId is { } unit && scope.Communities.Contains(unit)))],
        HandlingLevel.Community or HandlingLevel.Department => [.. staff.Where(s => s.UnitLevel == scope.Level && s.UnitId == scope.Id)],
        _ => throw Vocabulary.Unknown("handling levels", scope.Level),
    };

    /// <summary>The whistles of a scope by department: the scope's communities' (the district's: all), or one department's.</summary>
    private static RollupQuery WhistleQuery(Scope scope, int from, int to) => scope.Level switch
    {
        HandlingLevel.District => new(D.Whistle, 0, from, to) { AnyKey1 = true },
        HandlingLevel.Department => new(D.Whistle, 0, from, to, [scope.Id]) { AnyKey1 = true },
        HandlingLevel.Street or HandlingLevel.Community => new(D.Whistle, 0, from, to) { Key1s = scope.Communities },
        _ => throw Vocabulary.Unknown("handling levels", scope.Level),
    };

    /// <summary>Departments whistled to, the most whistled first.</summary>
    private static List<WhistleFigures> Whistles(Dictionary<long, int[]> sums, IReadOnlyDictionary<long, StatsStore.Unit> departments) =>
        [.. sums.Where(s => s.Value[CaseCounters.Whistled] > 0)
            .Select(s => departments.TryGetValue(s.Key, out var d) ? WhistleFigures.From(d.Code, d.Name, s.Value)
                : WhistleFigures.From(s.Key.ToString(CultureInfo.InvariantCulture), "", s.Value))
            .OrderByDescending(w => w.Whistled).ThenBy(w => w.Code, StringComparer.Ordinal)];

    private async Task<(StatsFigures Total, List<StatsFigures> Groups)> FiguresAsync(Scope scope, string? groupBy, DateOnly from, DateOnly to,
        OrgDirectory.Snapshot names, IReadOnlyDictionary<long, StatsStore.Unit> streets, IReadOnlyDictionary<long, StatsStore.Unit> departments,
        IReadOnlyList<StaffMember> people, CancellationToken ct)
    {
        var (fromDay, toDay) = (Day(from), Day(to));
        var total = TotalQuery(scope, fromDay, toDay);
        (RollupQuery, bool)? grouping = groupBy is not null ? GroupQuery(scope, groupBy, fromDay, toDay, names, people) : null;
        var sums = await store.SumAsync(grouping is null ? [(total, false)] : [(total, false), grouping.Value], ct);
        return (StatsFigures.From("total", scope.Name, Add(sums[0].Values)), grouping is null ? [] : Groups(groupBy!, sums[1], names, streets, departments, people));
    }

    /// <summary>
    /// 热点 of the caller's scope: the community × category pairs that rose most against the previous period, and the grids
    /// and addresses reported <see cref="Hotspots.Repeats"/> times or more in the 30 days ending with the period.
    /// </summary>
    public async Task<(Hotspots? Hotspots, ProblemHttpResult? Problem)> HotspotsAsync(StaffMember staff, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var today = store.Today().Date;
        var (start, end) = (from ?? (to ?? today).AddDays(-(Hotspots.PlacesDays - 1)), to ?? today);
        if (!ChinaTime.IsInputDay(start) || !ChinaTime.IsInputDay(end))
        {
            return (null, Problems.BadRequest(ChinaTime.IsInputDay(start) ? "to" : "from", Messages.FieldDayRange));
        }
        if (end < start)
        {
            return (null, Problems.BadRequest("to", Messages.FieldStatsRange));
        }
        var names = await directory.GetAsync(ct);
        var (streets, departments) = await store.UnitsAsync(ct);
        var scope = ScopeOf(staff, names, streets, departments);
        if (scope is null)
        {
            return (null, Problems.Forbidden(Messages.StatsNotForRole, ProblemCodes.Forbidden));
        }
        if (scope.Level == HandlingLevel.Department)
        {
            return (null, Problems.Forbidden(Messages.HotspotsNotForDepartments, ProblemCodes.Forbidden));
        }
        var key = $"stats:hotspots:{scope.Level}:{scope.Id}:{start:yyyyMMdd}:{end:yyyyMMdd}";
        return (await cache.GetOrCreateAsync(key, (Reader: this, Scope: scope, Start: start, End: end, Names: names),
            static (state, token) => new ValueTask<Hotspots>(state.Reader.ReadHotspotsAsync(state.Scope, state.Start, state.End, state.Names, token)),
            HotspotsEntry, cancellationToken: ct), null);
    }

    private async Task<Hotspots> ReadHotspotsAsync(Scope scope, DateOnly start, DateOnly end, OrgDirectory.Snapshot names, CancellationToken ct)
    {
        IReadOnlyList<long>? communities = scope.Level == HandlingLevel.District ? null : scope.Communities;
        var (previousFrom, previousTo) = PreviousPeriod(start, end);
        var now = await store.ReceivedByPairAsync(D.CommunityCategory, communities, Day(start), Day(end), ct);
        var before = await store.ReceivedByPairAsync(D.CommunityCategory, communities, Day(previousFrom), Day(previousTo), ct);
        var rising = now.Select(n => (Pair: n.Key, Received: n.Value, Before: before.GetValueOrDefault(n.Key)))
            .Where(p => p.Received > p.Before && names.CommunitiesById.ContainsKey(p.Pair.Key1) && names.CategoriesById.ContainsKey(p.Pair.Key2))
            .OrderByDescending(p => p.Received - p.Before).ThenByDescending(p => p.Received).ThenBy(p => p.Pair)
            .Take(Hotspots.RisingCount)
            .Select(p => new RisingProblem(Ref(names.CommunitiesById[p.Pair.Key1]), new NamedRef(names.CategoriesById[p.Pair.Key2].Code,
                names.CategoriesById[p.Pair.Key2].Name), p.Received, p.Before, p.Received - p.Before))
            .ToList();

        var placesFrom = end.AddDays(-(Hotspots.PlacesDays - 1));
        var (grids, addresses) = await store.RepeatedPlacesAsync(StartUtc(placesFrom), StartUtc(end.AddDays(1)),
            scope.Level == HandlingLevel.Street ? scope.Id : null, scope.Level == HandlingLevel.Community ? scope.Id : null,
            Hotspots.Repeats, Hotspots.PlacesCount, ct);
        var places = grids.Select(g => (Count: g, Grid: names.GridsOf(g.CommunityId).FirstOrDefault(x => x.Id == g.GridId)))
            .Where(g => g.Grid is not null && names.CommunitiesById.ContainsKey(g.Count.CommunityId))
            .Select(g => new RepeatedPlace(RepeatedPlace.Grid, Ref(names.CommunitiesById[g.Count.CommunityId]), g.Grid!.Name, g.Grid.Code, g.Count.Reports,
                g.Count.LastAt.AsChinaTime()))
            .Concat(addresses.Where(a => names.CommunitiesById.ContainsKey(a.CommunityId))
                .Select(a => new RepeatedPlace(RepeatedPlace.Address, Ref(names.CommunitiesById[a.CommunityId]), a.Place, null, a.Reports, a.LastAt.AsChinaTime())))
            .OrderByDescending(p => p.Reports).ThenByDescending(p => p.LastReportedAt).Take(Hotspots.PlacesCount).ToList();
        return new Hotspots(start, end, previousFrom, previousTo, new StatsScope(scope.Level, scope.Code, scope.Name), rising, placesFrom, places);
    }

    private static NamedRef Ref(CommunityRow community) => new(community.Code, community.Name);

    /// <summary>The UTC instant a Beijing day starts.</summary>
    private static DateTime StartUtc(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - ChinaTime.Offset;

    /// <summary>
    /// 环比's period: whole calendar months are compared with as many whole months just before (November with October,
    /// a quarter with the quarter before); any other period with the same number of days just before it.
    /// </summary>
    public static (DateOnly From, DateOnly To) PreviousPeriod(DateOnly from, DateOnly to)
    {
        if (from.Day == 1 && to.AddDays(1).Day == 1)
        {
            var months = (to.Year - from.Year) * 12 + to.Month - from.Month + 1;
            return (from.AddMonths(-months), from.AddDays(-1));
        }
        var days = to.DayNumber - from.DayNumber + 1;
        return (from.AddDays(-days), from.AddDays(-1));
    }

    /// <summary>The units whose call-back figures a scope shows: the center's every unit (itself included), a street itself and its communities.</summary>
    private static IReadOnlyList<(string Level, IReadOnlyList<long>? Units)> CallBackUnits(Scope scope) => scope.Level switch
    {
        HandlingLevel.District => [.. HandlingLevel.All.Select(level => (level, (IReadOnlyList<long>?)null))],
        HandlingLevel.Street => [(HandlingLevel.Street, [scope.Id]), (HandlingLevel.Community, scope.Communities)],
        HandlingLevel.Community or HandlingLevel.Department => [(scope.Level, [scope.Id])],
        _ => throw Vocabulary.Unknown("handling levels", scope.Level),
    };

    /// <summary>The call-back figures of the scope's units (read for the scope's units only), by level and name.</summary>
    private static List<CallBackFigures> CallBacks(IReadOnlyList<CallBackCounts> rows, OrgDirectory.Snapshot names,
        IReadOnlyDictionary<long, StatsStore.Unit> streets, IReadOnlyDictionary<long, StatsStore.Unit> departments)
    {
        (string? Code, string Name) Unit(CallBackCounts r) => r.UnitLevel switch
        {
            HandlingLevel.Community when names.CommunitiesById.TryGetValue(r.UnitId ?? 0, out var c) => (c.Code, c.Name),
            HandlingLevel.Street when streets.TryGetValue(r.UnitId ?? 0, out var s) => (s.Code, s.Name),
            HandlingLevel.Department when departments.TryGetValue(r.UnitId ?? 0, out var d) => (d.Code, d.Name),
            HandlingLevel.District => (null, DispatchCenter.Name),
            _ => (r.UnitId?.ToString(CultureInfo.InvariantCulture), HandlingLevel.Names.GetValueOrDefault(r.UnitLevel, r.UnitLevel)),
        };
        return rows.Select(r => Unit(r) is var (code, name) ? CallBackFigures.From(r.UnitLevel, code, name, r) : null!)
            .OrderBy(f => f.Level, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The published figures of one part of the district, for the public wall: the dispatch center's report narrowed to
    /// the street or community and, with a category, that category's group — the same rollups and the same rules as
    /// GET /api/staff/stats for the same filters, so the two always agree. Null when a code is unknown.
    /// </summary>
    public async Task<(StatsFigures Figures, DateOnly From, DateOnly To)?> PublicFiguresAsync(string? streetCode, string? communityCode,
        string? categoryCode, CancellationToken ct)
    {
        var today = store.Today().Date;
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
        var byCategory = await store.SumAsync([GroupQuery(scope, StatsGroupings.Category, fromDay, toDay, names, [])], ct);
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
            HandlingLevel.Department => departments.Values.FirstOrDefault(d => string.Equals(d.Code, code, StringComparison.OrdinalIgnoreCase)) is { } d
                ? new Scope(HandlingLevel.Department, d.Id, d.Code, d.Name, []) : null,
            _ => throw Vocabulary.Unknown("handling levels", level),
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
        HandlingLevel.Street or HandlingLevel.Community => new(D.Community, 0, from, to, scope.Communities),
        _ => throw Vocabulary.Unknown("handling levels", scope.Level),
    };

    /// <summary>Which rollup answers "this scope by that": the dimension, the scope's key, and whether it is a time series.</summary>
    private static (RollupQuery, bool) GroupQuery(Scope scope, string groupBy, int from, int to, OrgDirectory.Snapshot names, IReadOnlyList<StaffMember> people)
    {
        var byTime = groupBy is StatsGroupings.Day or StatsGroupings.Week or StatsGroupings.Month;
        if (byTime)
        {
            return (TotalQuery(scope, from, to) with { MonthsWhole = groupBy == StatsGroupings.Month }, true);
        }
        var query = (scope.Level, groupBy) switch
        {
            // By channel: the communities' rows, summed over the scope's communities (the district's: all of them).
            (HandlingLevel.District, StatsGroupings.Channel) => new RollupQuery(D.CommunityChannel, 0, from, to) { AnyKey1 = true },
            (HandlingLevel.Street or HandlingLevel.Community, StatsGroupings.Channel) => new RollupQuery(D.CommunityChannel, 0, from, to) { Key1s = scope.Communities },
            (HandlingLevel.District, StatsGroupings.Grid) => new RollupQuery(D.Grid, 0, from, to),
            (HandlingLevel.Street or HandlingLevel.Community, StatsGroupings.Grid) =>
                new RollupQuery(D.Grid, 0, from, to, [.. scope.Communities.SelectMany(names.GridsOf).Select(g => g.Id)]),
            // By staff: the district every row; a unit its own staff's rows.
            (HandlingLevel.District, StatsGroupings.Recorder) => new RollupQuery(D.Recorder, 0, from, to),
            (HandlingLevel.District, StatsGroupings.Handler) => new RollupQuery(D.Handler, 0, from, to),
            (_, StatsGroupings.Recorder) => new RollupQuery(D.Recorder, 0, from, to, [.. people.Select(p => p.Id)]),
            (_, StatsGroupings.Handler) => new RollupQuery(D.Handler, 0, from, to, [.. people.Select(p => p.Id)]),
            (HandlingLevel.Department, StatsGroupings.Channel or StatsGroupings.Grid) => throw new InvalidOperationException("refused before: a department has no rows by channel or grid"),
            (HandlingLevel.District, StatsGroupings.Category) => new RollupQuery(D.Category, 0, from, to),
            (HandlingLevel.District, StatsGroupings.Department) => new RollupQuery(D.Department, 0, from, to),
            (HandlingLevel.District, _) => new RollupQuery(D.Community, 0, from, to),
            (HandlingLevel.Street, StatsGroupings.Category) => new RollupQuery(D.StreetCategory, scope.Id, from, to),
            (HandlingLevel.Street, StatsGroupings.Department) => new RollupQuery(D.StreetDepartment, scope.Id, from, to),
            (HandlingLevel.Street, _) => new RollupQuery(D.Community, 0, from, to, scope.Communities),
            (HandlingLevel.Community, StatsGroupings.Category) => new RollupQuery(D.CommunityCategory, scope.Id, from, to),
            (HandlingLevel.Community, StatsGroupings.Department) => new RollupQuery(D.CommunityDepartment, scope.Id, from, to),
            (HandlingLevel.Community, _) => new RollupQuery(D.Community, 0, from, to, scope.Communities),
            (HandlingLevel.Department, StatsGroupings.Category) => new RollupQuery(D.DepartmentCategory, scope.Id, from, to),
            (HandlingLevel.Department, StatsGroupings.Department) => new RollupQuery(D.Department, 0, from, to, [scope.Id]),
            (HandlingLevel.Department, _) => new RollupQuery(D.DepartmentCommunity, scope.Id, from, to),
            _ => throw Vocabulary.Unknown("handling levels", scope.Level),
        };
        return (query, false);
    }

    private static List<StatsFigures> Groups(string groupBy, Dictionary<long, int[]> sums, OrgDirectory.Snapshot names,
        IReadOnlyDictionary<long, StatsStore.Unit> streets, IReadOnlyDictionary<long, StatsStore.Unit> departments, IReadOnlyList<StaffMember> people)
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
            StatsGroupings.Channel => sums.Select(s => RollupDimensions.ChannelOf(s.Key) is var channel ? (channel, Channels.Labels[channel], s.Value) : default),
            StatsGroupings.Grid => sums.Select(s => names.Communities.SelectMany(c => names.GridsOf(c.Id)).FirstOrDefault(g => g.Id == s.Key) is { } grid
                ? (grid.Code, grid.Name, s.Value) : (s.Key.ToString(CultureInfo.InvariantCulture), "", s.Value)),
            StatsGroupings.Recorder or StatsGroupings.Handler => sums.Select(s => people.FirstOrDefault(p => p.Id == s.Key) is { } person
                ? (person.Id.ToString(CultureInfo.InvariantCulture), StaffLabel(person), s.Value) : (s.Key.ToString(CultureInfo.InvariantCulture), "", s.Value)),
            StatsGroupings.Category => sums.Select(s => names.CategoriesById.TryGetValue(s.Key, out var c)
                ? (c.Code, c.Name, s.Value) : (s.Key.ToString(CultureInfo.InvariantCulture), "", s.Value)),
            StatsGroupings.Department => sums.Select(s => departments.TryGetValue(s.Key, out var d)
                ? (d.Code, d.Name, s.Value) : (s.Key.ToString(CultureInfo.InvariantCulture), "", s.Value)),
            _ => throw Vocabulary.Unknown("statistics groupings", groupBy),
        };
        return rows.Where(r => r.Sums[CaseCounters.Received] > 0).Select(r => StatsFigures.From(r.Key, r.Name, r.Sums)).ToList();
    }

    /// <summary>A staff member as a group's name: two people of one name in different units stay apart.</summary>
    internal static string StaffLabel(StaffMember person) => $"{person.Name}（{person.UnitName}）";

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
            null or StatsOrders.Received => g => g.Received,
            _ => throw Vocabulary.Unknown("statistics orders", sort),
        };
        return [.. groups.OrderByDescending(measure).ThenByDescending(g => g.Received).ThenBy(g => g.Key, StringComparer.Ordinal)];
    }

    private static string Period(string groupBy, long day)
    {
        if (day % 100 == 0)
        {
            return $"{day / 10000:D4}-{day / 100 % 100:D2}";   // a monthly row (yyyymm00): only asked for when grouping by month
        }
        var date = BeijingDay.FromKey((int)day).Date;
        return groupBy switch
        {
            StatsGroupings.Day => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            StatsGroupings.Month => date.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            StatsGroupings.Week => $"{ISOWeek.GetYear(date.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue)):D2}",
            _ => throw Vocabulary.Unknown("statistics groupings", groupBy),
        };
    }

    internal static int Day(DateOnly date) => BeijingDay.KeyOf(date);

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
