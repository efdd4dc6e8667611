using System.Data.Common;
using Dapper;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Shared;

namespace LianApi.Stats;

/// <summary>One read of the rollups: a dimension, the scope's key, days (yyyymmdd, inclusive), and maybe some group keys.</summary>
public sealed record RollupQuery(string Dimension, long Key1, int FromDay, int ToDay, IReadOnlyList<long>? Keys = null)
{
    /// <summary>A per-day read whose whole months may come from the monthly rows (grouping by month).</summary>
    public bool MonthsWhole { get; init; }

    /// <summary>
    /// Sum over these Key1s instead of <see cref="Key1"/> alone (a street's channels are its communities' rows); with
    /// <see cref="AnyKey1"/>, over every Key1 (the district's channels).
    /// </summary>
    public IReadOnlyList<long>? Key1s { get; init; }

    public bool AnyKey1 { get; init; }
}


/// <summary>Reads the district's numbers from StatsRollups, and recounts them from the case tables to check or rebuild them.</summary>
public sealed class StatsStore(Database db, TimeProvider time)
{
    private static readonly string Sums = string.Join(", ", CaseCounters.Columns.Select(c => $"SUM({c})"));

    // Seeks (Dimension, Key1, Day): the cost is days x groups, whatever the number of cases.
    private static readonly string SelectByGroup = $"""
        SELECT Key2, {Sums} FROM StatsRollups
        WHERE Dimension = @Dimension AND Key1 = @Key1 AND Day >= @FromDay AND Day <= @ToDay
        """;

    private static readonly string SelectByDay = $"""
        SELECT Day, {Sums} FROM StatsRollups
        WHERE Dimension = @Dimension AND Key1 = @Key1 AND Day >= @FromDay AND Day <= @ToDay
        """;

    /// <summary>
    /// The sums per group key (Key2), or per day, over the query's days; one round trip for all the queries. Whole
    /// months in the period are read from the monthly rows (Day = yyyymm00), the days before and after them from the
    /// daily ones, so a three-year period reads 36 rows a group instead of 1,095. Per day means per day, never months.
    /// </summary>
    public Task<IReadOnlyList<Dictionary<long, int[]>>> SumAsync(IReadOnlyList<(RollupQuery Query, bool ByDay)> queries, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<Dictionary<long, int[]>>>(async c =>
        {
            var results = new List<Dictionary<long, int[]>>();
            foreach (var (query, byDay) in queries)
            {
                var sums = new Dictionary<long, int[]>();
                // Per day reads days only; a total or a group reads whole months from the monthly rows. (Per month
                // asks per day of the monthly rows too: their Day is yyyymm00, which the caller folds into its month.)
                foreach (var part in byDay && !query.MonthsWhole ? [query] : Parts(query))
                {
                    var sql = (byDay ? SelectByDay : SelectByGroup).Replace("Key1 = @Key1", part.AnyKey1 ? "1 = 1" : part.Key1s is null ? "Key1 = @Key1" : "Key1 IN @Key1s")
                        + (part.Keys is null ? "" : " AND Key2 IN @Keys")
                        + (byDay ? " GROUP BY Day" : " GROUP BY Key2");
                    await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(sql, new
                    {
                        part.Dimension, part.Key1, part.FromDay, part.ToDay, Keys = part.Keys?.ToArray(), Key1s = part.Key1s?.ToArray(),
                    }, cancellationToken: ct));
                    foreach (var (key, values) in await ReadSums(reader, ct))
                    {
                        sums[key] = sums.TryGetValue(key, out var existing) ? [.. existing.Zip(values, (a, b) => a + b)] : values;
                    }
                }
                results.Add(sums);
            }
            return results;
        }, ct);

    private const string SelectReceivedByPair = """
        SELECT Key1, Key2, SUM(Received) AS Received FROM StatsRollups
        WHERE Dimension = @Dimension AND Day >= @FromDay AND Day <= @ToDay
        """;

    /// <summary>
    /// Reports received per (Key1, Key2) of a pair dimension (community × category) in a period, for the given Key1s or
    /// all: whole months of a long period from the monthly rows, like <see cref="SumAsync"/>.
    /// </summary>
    public Task<Dictionary<(long Key1, long Key2), int>> ReceivedByPairAsync(string dimension, IReadOnlyList<long>? key1s, int fromDay, int toDay,
        CancellationToken ct) =>
        db.ReadAsync(async c =>
        {
            var sums = new Dictionary<(long, long), int>();
            foreach (var part in Parts(new RollupQuery(dimension, 0, fromDay, toDay)))
            {
                var sql = SelectReceivedByPair + (key1s is null ? "" : " AND Key1 IN @Keys") + " GROUP BY Key1, Key2";
                foreach (var (key1, key2, received) in await c.QueryAsync<(long, long, long)>(new CommandDefinition(sql, new
                {
                    part.Dimension, part.FromDay, part.ToDay, Keys = key1s?.ToArray(),
                }, cancellationToken: ct)))
                {
                    sums[(key1, key2)] = sums.GetValueOrDefault((key1, key2)) + (int)received;
                }
            }
            return sums;
        }, ct);

    public sealed record PlaceCount
    {
        public long CommunityId { get; init; }
        public string Place { get; init; } = "";
        public long? GridId { get; init; }
        public int Reports { get; init; }
        public DateTime LastAt { get; init; }
    }

    // Through IX_Complaints_Received (the time received, with the community, street and grid): the grids of 30 days
    // never read a case's row; the addresses read the scope's rows of those 30 days.
    private const string SelectRepeatedGrids = """
        SELECT c.CommunityId, '' AS Place, c.GridId, COUNT(*) AS Reports, MAX(c.SubmittedAt) AS LastAt FROM Complaints c
        WHERE c.SubmittedAt >= @Since AND c.SubmittedAt < @Until AND c.GridId IS NOT NULL
        """;

    private const string SelectRepeatedAddresses = """
        SELECT c.CommunityId, c.Address AS Place, NULL AS GridId, COUNT(*) AS Reports, MAX(c.SubmittedAt) AS LastAt FROM Complaints c
        WHERE c.SubmittedAt >= @Since AND c.SubmittedAt < @Until AND c.Address IS NOT NULL
        """;

    /// <summary>Grids and addresses (per community) with at least <paramref name="repeats"/> reports in [since, until), most first, of a street or community or all.</summary>
    public Task<(List<PlaceCount> Grids, List<PlaceCount> Addresses)> RepeatedPlacesAsync(DateTime since, DateTime until, long? streetId, long? communityId,
        int repeats, int limit, CancellationToken ct) =>
        db.ReadAsync(async c =>
        {
            var (grids, addresses) = RepeatedPlacesSql(db.Dialect, streetId is not null, communityId is not null);
            var parameters = new { Since = since, Until = until, StreetId = streetId, CommunityId = communityId, Repeats = repeats, Limit = limit };
            async Task<List<PlaceCount>> Read(string sql) => (await c.QueryAsync<PlaceCount>(new CommandDefinition(sql, parameters, cancellationToken: ct))).AsList();
            return (await Read(grids), await Read(addresses));
        }, ct);

    /// <summary>
    /// The two statements of <see cref="RepeatedPlacesAsync"/>. The scope is checked on the entries of the index of the time
    /// received: through the street's or community's own index SQLite read every case the unit ever had (1 s at a million).
    /// </summary>
    internal static (string Grids, string Addresses) RepeatedPlacesSql(SqlDialect dialect, bool byStreet, bool byCommunity)
    {
        var scope = byStreet ? $" AND {dialect.NotAnIndexKey("c.StreetId")} = @StreetId"
            : byCommunity ? $" AND {dialect.NotAnIndexKey("c.CommunityId")} = @CommunityId" : "";
        string Sql(string select, string groupBy) =>
            $"{select}{scope}\nGROUP BY {groupBy} HAVING COUNT(*) >= @Repeats\nORDER BY Reports DESC, LastAt DESC\n{dialect.LimitRows}";
        return (Sql(SelectRepeatedGrids, "c.CommunityId, c.GridId"), Sql(SelectRepeatedAddresses, "c.CommunityId, c.Address"));
    }

    /// <summary>The days of a period as daily pieces around a run of whole months.</summary>
    internal static IEnumerable<RollupQuery> Parts(RollupQuery query)
    {
        var (from, to) = (Date(query.FromDay), Date(query.ToDay));
        var firstWhole = from.Day == 1 ? from : new DateOnly(from.Year, from.Month, 1).AddMonths(1);
        var lastWhole = to.AddDays(1).Day == 1 ? new DateOnly(to.Year, to.Month, 1) : new DateOnly(to.Year, to.Month, 1).AddMonths(-1);
        if (query.FromDay > query.ToDay || firstWhole > lastWhole || query.ToDay - query.FromDay < 62)
        {
            yield return query;
            yield break;
        }
        if (from < firstWhole)
        {
            yield return query with { ToDay = Number(firstWhole.AddDays(-1)) };
        }
        yield return query with { Dimension = query.Dimension + RollupDimensions.Monthly, FromDay = new BeijingDay(firstWhole).MonthKey, ToDay = new BeijingDay(lastWhole).MonthKey };
        var afterWhole = lastWhole.AddMonths(1);
        if (afterWhole <= to)
        {
            yield return query with { FromDay = Number(afterWhole) };
        }
    }

    private static DateOnly Date(int day) => day <= 10000101 ? DateOnly.MinValue : day >= 99991231 ? DateOnly.MaxValue.AddDays(-40)
        : BeijingDay.FromKey(day).Date;

    private static int Number(DateOnly date) => BeijingDay.KeyOf(date);

    private static async Task<Dictionary<long, int[]>> ReadSums(DbDataReader reader, CancellationToken ct)
    {
        var sums = new Dictionary<long, int[]>();
        while (await reader.ReadAsync(ct))
        {
            var values = new int[CaseCounters.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i + 1) ? 0 : Convert.ToInt32(reader.GetValue(i + 1), System.Globalization.CultureInfo.InvariantCulture);
            }
            sums[Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)] = values;
        }
        return sums;
    }

    public sealed record Unit(long Id, string Code, string Name);

    private const string SelectUnits = "SELECT Id, Code, Name FROM Streets; SELECT Id, Code, Name FROM Departments;";

    /// <summary>Streets and departments by id (communities and categories come from the org directory).</summary>
    public Task<(IReadOnlyDictionary<long, Unit> Streets, IReadOnlyDictionary<long, Unit> Departments)> UnitsAsync(CancellationToken ct) =>
        db.ReadAsync<(IReadOnlyDictionary<long, Unit>, IReadOnlyDictionary<long, Unit>)>(async c =>
        {
            await using var grid = await c.QueryMultipleAsync(new CommandDefinition(SelectUnits, cancellationToken: ct));
            var streets = (await grid.ReadAsync<Unit>()).ToDictionary(u => u.Id);
            var departments = (await grid.ReadAsync<Unit>()).ToDictionary(u => u.Id);
            return (streets, departments);
        }, ct);

    /// <summary>
    /// The call-back (回访) counts of the units asked for, of the cases submitted in the days given, read from the rollups
    /// by resolving unit (<see cref="RollupDimensions.Resolver"/>) like every other figure: days (or months) x units,
    /// whatever the number of cases. No units given: every unit of that level.
    /// </summary>
    public async Task<IReadOnlyList<CallBackCounts>> CallBacksAsync(IReadOnlyList<(string Level, IReadOnlyList<long>? Units)> levels, int fromDay, int toDay,
        CancellationToken ct)
    {
        var sums = await SumAsync([.. levels.Select(l => (new RollupQuery(RollupDimensions.Resolver, RollupDimensions.LevelKey(l.Level), fromDay, toDay, l.Units), false))], ct);
        // A unit whose every case moved on to another resolver keeps rows of zeros: it resolved nothing of the period.
        return [.. levels.Zip(sums).SelectMany(l => l.Second.Where(u => u.Value[CaseCounters.ResolvedEver] > 0).Select(u => new CallBackCounts
        {
            UnitLevel = l.First.Level,
            UnitId = l.First.Level == HandlingLevel.District ? null : u.Key,
            Resolved = u.Value[CaseCounters.ResolvedEver],
            CalledBack = u.Value[CaseCounters.CalledBack],
            SaidResolved = u.Value[CaseCounters.CallBackSaidResolved],
            Satisfied = u.Value[CaseCounters.CallBackSatisfied],
            BasicallySatisfied = u.Value[CaseCounters.CallBackBasicallySatisfied],
            Unsatisfied = u.Value[CaseCounters.CallBackUnsatisfied],
        }))];
    }

    private const string SelectCasesForRecount = """
        SELECT c.Id, c.SubmittedAt, c.CommunityId, c.CategoryId, c.DepartmentId, c.Status, c.IsOverdue, c.ReopenCount, c.ResolvedAt,
               c.ResolutionDueAt, c.CloseReason, c.FirstAcceptedAt, c.ResponseMissed, c.ReturnCount, c.ExtensionCount,
               c.LeftCommunityLevel, c.ResolutionCount, c.ResolvedWorkingDays, c.LastEvaluationResolved, c.LastSatisfaction,
               c.LastHandlingLevel, c.LastHandlingUnitId, c.LastCallBackResolved, c.LastCallBackSatisfaction, m.StreetId, c.Channel, c.GridId,
               c.RecordedByStaffId, c.WhistledDepartmentId, c.WhistleReported, c.WhistleReportedOnTime, c.LastResolvedByStaffId
        FROM Complaints c JOIN Communities m ON m.Id = c.CommunityId
        """;

    private static readonly string SelectRollups = $"SELECT Dimension, Key1, Key2, Day, {string.Join(", ", CaseCounters.Columns)} FROM StatsRollups";

    /// <summary>Every case counted again from the Complaints table, with the same function the transitions use.</summary>
    public Task<Dictionary<RollupKey, int[]>> RecountAsync(CancellationToken ct) => db.ReadAsync(c => RecountAsync(c, null, ct), ct);

    private static async Task<Dictionary<RollupKey, int[]>> RecountAsync(DbConnection c, DbTransaction? tx, CancellationToken ct)
    {
        var totals = new Dictionary<RollupKey, int[]>();
        // Unbuffered: a million cases stream through; only the rollup rows stay in memory.
        await foreach (var row in c.QueryUnbufferedAsync<Complaint>(SelectCasesForRecount, transaction: tx).WithCancellation(ct))
        {
            foreach (var (key, values) in RollupDimensions.Delta(null, row))
            {
                var sum = totals.TryGetValue(key, out var existing) ? existing : totals[key] = new int[CaseCounters.Count];
                for (var i = 0; i < sum.Length; i++)
                {
                    sum[i] += values[i];
                }
            }
        }
        return totals;
    }

    /// <summary>The rollups as stored, rows of zeros left out (a case that moved leaves its old rows at zero).</summary>
    public Task<Dictionary<RollupKey, int[]>> StoredAsync(CancellationToken ct) =>
        db.ReadAsync(async c =>
        {
            var stored = new Dictionary<RollupKey, int[]>();
            await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(SelectRollups, cancellationToken: ct));
            while (await reader.ReadAsync(ct))
            {
                var values = new int[CaseCounters.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = Convert.ToInt32(reader.GetValue(i + 4), System.Globalization.CultureInfo.InvariantCulture);
                }
                if (values.Any(v => v != 0))
                {
                    stored[new RollupKey(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3))] = values;
                }
            }
            return stored;
        }, ct);

    /// <summary>The rows where the stored rollups and a recount differ, described for ops (empty when they agree).</summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(CancellationToken ct)
    {
        var recount = await RecountAsync(ct);
        var stored = await StoredAsync(ct);
        var differences = new List<string>();
        foreach (var key in recount.Keys.Union(stored.Keys).OrderBy(k => k.Dimension, StringComparer.Ordinal).ThenBy(k => k.Key1).ThenBy(k => k.Day).ThenBy(k => k.Key2))
        {
            var expected = recount.GetValueOrDefault(key) ?? new int[CaseCounters.Count];
            var actual = stored.GetValueOrDefault(key) ?? new int[CaseCounters.Count];
            var columns = Enumerable.Range(0, CaseCounters.Count).Where(i => expected[i] != actual[i])
                .Select(i => $"{CaseCounters.Columns[i]} stored {actual[i]}, recount {expected[i]}").ToList();
            if (columns.Count > 0)
            {
                differences.Add($"{key.Dimension} {key.Key1}/{key.Key2} day {key.Day}: {string.Join("; ", columns)}");
            }
        }
        return differences;
    }

    private static readonly string InsertRollup =
        $"INSERT INTO StatsRollups (Dimension, Key1, Key2, Day, {string.Join(", ", CaseCounters.Columns)}) " +
        $"VALUES (@Dimension, @Key1, @Key2, @Day, {string.Join(", ", CaseCounters.Columns.Select(c => "@" + c))})";

    /// <summary>
    /// Replaces the rollups by a recount, in one transaction (after an upgrade, or when verify found a drift). The
    /// rollups are locked before the cases are read: a transition waiting on them commits its delta after the rebuild,
    /// against the case state the recount saw (SQLite has one writer anyway).
    /// </summary>
    public Task<int> RebuildAsync(CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(db.Dialect.DeleteAllLocked("StatsRollups"), transaction: tx, cancellationToken: ct));
            var recount = await RecountAsync(c, tx, ct);
            // Into an empty table: one prepared INSERT, its parameters reset per row (a million rows in seconds, not hours).
            await using var insert = c.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = InsertRollup;
            var keys = new[] { "Dimension", "Key1", "Key2", "Day" }.Concat(CaseCounters.Columns).Select(name =>
            {
                var parameter = insert.CreateParameter();
                parameter.ParameterName = "@" + name;
                insert.Parameters.Add(parameter);
                return parameter;
            }).ToArray();
            foreach (var (key, values) in recount)
            {
                keys[0].Value = key.Dimension;
                keys[1].Value = key.Key1;
                keys[2].Value = key.Key2;
                keys[3].Value = key.Day;
                for (var i = 0; i < values.Length; i++)
                {
                    keys[4 + i].Value = values[i];
                }
                await insert.ExecuteNonQueryAsync(ct);
            }
            return recount.Count;
        }, ct);

    // In order, cheapest first (CASE stops at the first true WHEN): a database that has rows by resolving unit, as every
    // one with a resolved case has once rebuilt, never looks at the cases.
    private const string SelectNeedsBackfill = """
        SELECT CASE
            WHEN NOT EXISTS (SELECT 1 FROM StatsRollups) THEN CASE WHEN EXISTS (SELECT 1 FROM Complaints) THEN 1 ELSE 0 END
            WHEN NOT EXISTS (SELECT 1 FROM StatsRollups WHERE Dimension = @CommunityChannel) THEN CASE WHEN EXISTS (SELECT 1 FROM Complaints) THEN 1 ELSE 0 END
            WHEN EXISTS (SELECT 1 FROM StatsRollups WHERE Dimension = @Resolver) THEN 0
            WHEN EXISTS (SELECT 1 FROM Complaints WHERE ResolutionCount > 0 AND LastHandlingLevel IS NOT NULL) THEN 1
            ELSE 0 END
        """;

    /// <summary>
    /// Cases but no rollups (a database upgraded from before the statistics, migration 015), or resolved cases but no
    /// rows by resolving unit (upgraded from before the call-back rollups, migration 029: the rebuild also counts the
    /// call-backs in every other row), or cases but no rows by channel (from before the groupings by channel and grid).
    /// Migration 031 (whistle figures, groupings by staff) empties the rollups, so the first case makes them rebuilt.
    /// </summary>
    public Task<bool> NeedsBackfillAsync(CancellationToken ct) =>
        db.ReadAsync(async c => await c.ExecuteScalarAsync<int>(new CommandDefinition(SelectNeedsBackfill,
            new { RollupDimensions.Resolver, RollupDimensions.CommunityChannel }, cancellationToken: ct)) == 1, ct);

    /// <summary>Today in Beijing as yyyymmdd.</summary>
    public BeijingDay Today() => BeijingDay.Of(time.GetUtcNow().UtcDateTime);
}
