using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using LianApi.Communities;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Demo;
using LianApi.Shared;
using LianApi.Staff;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Staff;

/// <summary>
/// Every inbox filter the API offers, in both orders, on a few hundred demo case histories: the pages hold exactly the
/// cases a plain recount selects, in order; and each statement finds its page through an index in the page's order,
/// never by sorting every match (what made some filters take a second at a million cases in scripts/bench-stats).
/// </summary>
public sealed class InboxFilterTests
{
    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    private static LianApiFactory app = null!;
    private static HttpClient dispatcher = null!;
    private static StaffInboxStore.ReceivedSpan received = null!;

    // (query string, the same selection written plainly on the table); the times are added once the demo cases exist.
    private static readonly List<(string Query, string Where)> Filters =
    [
        ("", "1 = 1"),
        ("status=submitted", "Status = 'submitted'"),
        ("status=closed", "Status = 'closed'"),
        ("category=property", "CategoryId = (SELECT Id FROM Categories WHERE Code = 'property')"),
        ("community=gongyuanmen", "CommunityId = (SELECT Id FROM Communities WHERE Code = 'gongyuanmen')"),
        ("overdue=true", "IsOverdue = 1"),
        ("overdue=false", "IsOverdue = 0"),
        ("contentReview=true", "ContentReview = 1"),
        ("contentReview=false", "ContentReview = 0"),
        ("contentUnchecked=true", "ContentUnchecked = 1"),
        ("contentUnchecked=false", "ContentUnchecked = 0"),
        ("whistled=true", "WhistlePending = 1"),
        ("whistled=false", "WhistlePending = 0"),
        ("level=department", "HandlingLevel = 'department'"),
        ("level=street", "HandlingLevel = 'street'"),
        ("overdue=false&level=community&category=property", "IsOverdue = 0 AND HandlingLevel = 'community' AND CategoryId = (SELECT Id FROM Categories WHERE Code = 'property')"),
    ];

    // Times inside the demo cases' own span (read from them, not from the clock), in UTC as stored: a period of a
    // twelfth of the span, an open start, an open end, half the span, and whole Beijing months (the edges of the month
    // branches of the urgent order) from a month boundary to another.
    private static IEnumerable<(string, string)> Periods(DateTime first, DateTime last)
    {
        string Query(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        string Stored(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        DateTime Second(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        (string, string) Between(DateTime from, DateTime to) => ($"from={Query(from)}&to={Query(to)}", $"SubmittedAt >= '{Stored(from)}' AND SubmittedAt < '{Stored(to)}'");
        var span = last - first;
        var (from, to) = (Second(first + span * 5 / 12), Second(first + span * 6 / 12));
        yield return Between(from, to);
        yield return ($"from={Query(from)}", $"SubmittedAt >= '{Stored(from)}'");
        yield return ($"to={Query(to)}&status=closed", $"SubmittedAt < '{Stored(to)}' AND Status = 'closed'");
        yield return Between(Second(first + span / 4), Second(first + span * 3 / 4));
        var month = ChinaTime.ToChina(first + span / 4);
        var monthStart = new DateTime(month.Year, month.Month, 1, 0, 0, 0, DateTimeKind.Utc) - ChinaTime.Offset;
        yield return Between(monthStart, monthStart.AddMonths(3));
        // A flag asked set, in a period: through the flag's own index.
        var (query, where) = Between(Second(first + span / 4), Second(first + span * 3 / 4));
        yield return ($"whistled=true&{query}", $"WhistlePending = 1 AND {where}");
        yield return ($"overdue=true&from={Query(from)}", $"IsOverdue = 1 AND SubmittedAt >= '{Stored(from)}'");
        yield return ($"contentReview=true&to={Query(to)}", $"ContentReview = 1 AND SubmittedAt < '{Stored(to)}'");
    }

    [OneTimeSetUp]
    public static async Task Fill()
    {
        app = new LianApiFactory();
        dispatcher = await app.StaffAsync("inbox-filter-dispatcher", "dispatcher", null);
        await app.Service<DemoData>().FillAsync(600, 1, TextWriter.Null, Ct);
        // Demo histories raise no content flags and blow no whistles, and whether a running case is overdue depends on
        // today: some cases get each flag (overdue with its rank, as the store writes them), so both values select some.
        await app.Service<Database>().WriteAsync((c, tx) => c.ExecuteAsync("""
            UPDATE Complaints SET ContentReview = CASE WHEN Id % 7 = 0 THEN 1 ELSE 0 END,
                                  ContentUnchecked = CASE WHEN Id % 11 = 0 THEN 1 ELSE 0 END,
                                  WhistlePending = CASE WHEN Id % 13 = 0 THEN 1 ELSE 0 END;
            UPDATE Complaints SET IsOverdue = 1, Priority = Priority + 4, UrgencyRank = UrgencyRank - 4 WHERE IsOverdue = 0 AND Id % 5 = 0;
            """, transaction: tx), Ct);
        var (first, last) = await app.Service<Database>().ReadAsync(c => c.QuerySingleAsync<(DateTime, DateTime)>(
            "SELECT MIN(SubmittedAt), MAX(SubmittedAt) FROM Complaints"), Ct);
        received = new StaffInboxStore.ReceivedSpan(first, last);
        Filters.AddRange(Periods(DateTime.SpecifyKind(first, DateTimeKind.Utc), DateTime.SpecifyKind(last, DateTimeKind.Utc)));
    }

    [OneTimeTearDown]
    public static async Task Stop()
    {
        dispatcher.Dispose();
        await app.DisposeAsync();
    }

    [Test]
    public async Task EveryFilter_InBothOrders_PagesThroughExactlyTheCasesItSelects()
    {
        var counted = await CountAsync("IsOverdue = 1");
        Assert.That(counted, Is.GreaterThan(0), "the demo histories include overdue cases");
        foreach (var (query, where) in Filters)
        {
            // Newest first is by the time received in a period and for a flag asked set (their indexes give that order).
            var period = query.Contains("from=", StringComparison.Ordinal) && query.Contains("to=", StringComparison.Ordinal);
            var byReceived = Timed(query) || query.Contains("=true", StringComparison.Ordinal);
            foreach (var (sort, order) in new[] { ("newest", byReceived ? "SubmittedAt DESC, Id DESC" : "Id DESC"), ("urgent", "UrgencyRank, DueSort, Id") })
            {
                var expected = (await app.Service<Database>().ReadAsync(c => c.QueryAsync<string>(
                    $"SELECT TrackingNo FROM Complaints WHERE {where} ORDER BY {order}"), Ct)).ToList();
                if (period)
                {
                    Assert.That(expected, Is.Not.Empty, $"the period {query} holds demo cases");
                }
                var listed = await ListAllAsync($"sort={sort}&{query}");
                Assert.That(listed, Is.EqualTo(expected), $"{query}, {sort}: {listed.Count} listed, {expected.Count} selected");
            }
        }
    }

    [Test]
    public async Task EveryFilter_InBothOrders_FindsItsPageThroughAnIndex_WithoutSortingEveryMatch()
    {
        var names = await app.Service<OrgDirectory>().GetAsync(Ct);
        var store = app.Service<StaffInboxStore>();
        var department = names.DepartmentNamesById.Keys.First();
        var scopes = new[]
        {
            new StaffMember { Id = 1, Role = StaffRoles.Dispatcher, IsActive = true },
            new StaffMember { Id = 2, Role = StaffRoles.Department, UnitId = department, IsActive = true },
            new StaffMember { Id = 3, Role = StaffRoles.Street, UnitId = names.Communities[0].StreetId, IsActive = true },
            new StaffMember { Id = 4, Role = StaffRoles.Community, UnitId = names.Communities[0].Id, IsActive = true },
        };
        var problems = new List<string>();
        foreach (var staff in scopes)
        {
            foreach (var (query, _) in Filters)
            {
                foreach (var urgent in new[] { false, true })
                {
                    foreach (var cursor in new[] { null, new InboxCursor(1_000_000, 0, new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc)) })
                    {
                        var (sql, parameters) = store.Statement(staff, Parse(query), urgent, 20, cursor, names, received)!.Value;
                        var plan = await app.Service<Database>().ReadAsync(async c => (await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
                            "EXPLAIN QUERY PLAN " + sql, parameters)).ToList(), Ct);
                        string Problem(string what) => $"{staff.Role}, {query}, {(urgent ? "urgent" : "newest")}{(cursor is null ? "" : ", page 2")}: {what}\n    "
                                                       + string.Join("\n    ", plan.Select(p => $"[{p.Id} in {p.Parent}] {p.Detail}"));
                        // A query block that reads Complaints by a range and sorts what it read has sorted every match.
                        // A set flag is rare: the urgent order may sort its few matches. Sorting a page (the union of a
                        // two-kind scope's two pages, or the rows a point lookup by id found) costs nothing.
                        var rareFlag = urgent && query.Contains("=true", StringComparison.Ordinal);
                        var reads = plan.Where(p => p.Detail.StartsWith("S", StringComparison.Ordinal) && p.Detail.Contains(" c ", StringComparison.Ordinal)
                                                    && !p.Detail.Contains("(rowid=?)", StringComparison.Ordinal)).ToList();
                        bool Sorts(IEnumerable<(long Id, long Parent, long NotUsed, string Detail)> blockReads) =>
                            plan.Any(p => p.Detail.Contains("TEMP B-TREE", StringComparison.Ordinal) && blockReads.Any(r => r.Parent == p.Parent));
                        var contentFlag = new[] { "contentReview=true", "contentUnchecked=true", "whistled=true" }.Any(f => query.Contains(f, StringComparison.Ordinal));
                        // A period in the urgent order is read month by month, each month in that order: no sort but
                        // the page's (a year's cases sorted took 37 ms a page at a million).
                        if (urgent && Timed(query) && !contentFlag)
                        {
                            if (reads.Count == 0 || reads.Any(p => !p.Detail.Contains("IX_Complaints_Month_Urgent (ReceivedMonth=?", StringComparison.Ordinal)) || Sorts(reads))
                            {
                                problems.Add(Problem("not month by month in the urgent order"));
                            }
                            continue;
                        }
                        // A period newest first is read backwards through the index of the time received in every
                        // scope, or a set flag's own (flag, SubmittedAt, Id) index: no sort.
                        if (Timed(query))
                        {
                            if (reads.Count == 0 || reads.Any(p => !p.Detail.Contains("_Received", StringComparison.Ordinal)) || (!urgent && Sorts(reads))
                                || (contentFlag && reads.Any(p => p.Detail.Contains("IX_Complaints_Received", StringComparison.Ordinal))))
                            {
                                problems.Add(Problem("not through the index of the time received (a set flag's own)"));
                            }
                            continue;
                        }
                        var sorts = plan.GroupBy(p => p.Parent).Where(block =>
                            block.Any(p => p.Detail.Contains("TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal))
                            && block.Any(p => (p.Detail.StartsWith("SEARCH c ", StringComparison.Ordinal) || p.Detail.StartsWith("SCAN c", StringComparison.Ordinal))
                                              && !p.Detail.Contains("(rowid=?)", StringComparison.Ordinal))).ToList();
                        // The dispatch center sees everything: a filter that selects a part has to seek that part, not
                        // scan the district for it (a clear flag selects nearly everything: scanning in order is right).
                        var selective = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
                            .Any(f => !f.EndsWith("=false", StringComparison.Ordinal) && !f.StartsWith("from=", StringComparison.Ordinal) && !f.StartsWith("to=", StringComparison.Ordinal));
                        var scans = staff.SeesEverything && selective && plan.Any(p => p.Detail.StartsWith("SCAN c", StringComparison.Ordinal));
                        if ((sorts.Count > 0 && !rareFlag) || scans)
                        {
                            problems.Add(Problem("sorts every match or scans the district"));
                        }
                    }
                }
            }
        }
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [Test]
    public async Task PeriodCount_InANarrowScope_ReadsThePeriodsEntries_NotEveryCaseOfTheScope_AndCountsExactly()
    {
        // At a million cases a street's count of a month a year ago was slow: SQLite took the street's own indexes (an
        // OR of two) and read every case the street ever had from the table to check its time.
        var names = await app.Service<OrgDirectory>().GetAsync(Ct);
        var store = app.Service<StaffInboxStore>();
        var community = names.Communities[0];
        var scopes = new (StaffMember Staff, string Where)[]
        {
            (new StaffMember { Id = 2, Role = StaffRoles.Department, UnitId = names.DepartmentNamesById.Keys.First(), IsActive = true },
                $"HandlingLevel = 'department' AND HandlingUnitId = {names.DepartmentNamesById.Keys.First()}"),
            (new StaffMember { Id = 3, Role = StaffRoles.Street, UnitId = community.StreetId, IsActive = true },
                $"(StreetId = {community.StreetId} OR (HandlingLevel = 'street' AND HandlingUnitId = {community.StreetId}))"),
            (new StaffMember { Id = 4, Role = StaffRoles.Community, UnitId = community.Id, IsActive = true },
                $"(CommunityId = {community.Id} OR (HandlingLevel = 'community' AND HandlingUnitId = {community.Id}))"),
        };
        var problems = new List<string>();
        foreach (var (staff, scope) in scopes)
        {
            foreach (var (query, where) in Filters.Where(f => Timed(f.Query) && !f.Query.Contains("=true", StringComparison.Ordinal)))
            {
                var (sql, parameters) = store.Count(staff, Parse(query), names, received: received)!.Value;
                var (plan, counted, expected) = await app.Service<Database>().ReadAsync(async c => (
                    (await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters)).Select(p => p.Detail).ToList(),
                    await c.ExecuteScalarAsync<long>(sql, parameters),
                    await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM Complaints WHERE {scope} AND {where}")), Ct);
                if (!plan.Any(p => p.Contains("IX_Complaints_Received", StringComparison.Ordinal)) || plan.Any(p => p.Contains("MULTI-INDEX OR", StringComparison.Ordinal)))
                {
                    problems.Add($"{staff.Role}, {query}: not through the period's entries\n    {string.Join("\n    ", plan)}");
                }
                if (counted != expected)
                {
                    problems.Add($"{staff.Role}, {query}: counted {counted}, expected {expected}");
                }
            }
        }
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [Test]
    public async Task UrgentPeriod_OfMoreMonthsThanOneStatementHolds_SortsThePeriodInstead_AndFindsThePage()
    {
        // 16 years and more of cases in one period would be over 400 month branches (SQLite takes 500 parts at most).
        var names = await app.Service<OrgDirectory>().GetAsync(Ct);
        var store = app.Service<StaffInboxStore>();
        var dispatcherMember = new StaffMember { Id = 1, Role = StaffRoles.Dispatcher, IsActive = true };
        var longAgo = received.First!.Value.AddYears(-20);
        var query = Parse($"from={longAgo:yyyy-MM-dd}T00:00:00Z&to=2100-01-01T00:00:00Z");

        var (sql, parameters) = store.Statement(dispatcherMember, query, urgent: true, 20, null, names, received with { First = longAgo })!.Value;
        var (byMonth, _) = store.Statement(dispatcherMember, query, urgent: true, 20, null, names, received)!.Value;
        var page = await app.Service<Database>().ReadAsync(async c => (await c.QueryAsync<InboxRow>(sql, parameters)).Select(r => r.Id).ToList(), Ct);
        var expected = await app.Service<Database>().ReadAsync(async c => (await c.QueryAsync<long>(
            "SELECT Id FROM Complaints ORDER BY UrgencyRank, DueSort, Id LIMIT 21")).ToList(), Ct);

        Assert.Multiple(() =>
        {
            Assert.That(sql, Does.Not.Contain("ReceivedMonth"));
            Assert.That(byMonth, Does.Contain("ReceivedMonth = @Month0"), "the demo cases' own span is read month by month");
            Assert.That(page, Is.EqualTo(expected));
        });
    }

    [Test]
    public async Task ReceivedMonth_InTheDatabase_IsTheBeijingMonthChinaTimeComputes_AtEveryEdge()
    {
        // UTC as stored; the last tick of a Beijing month would round into the next one if SQLite parsed the fraction.
        var edges = new[]
        {
            new DateTime(2026, 1, 31, 15, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999), new DateTime(2026, 1, 31, 16, 0, 0, DateTimeKind.Utc),
            new DateTime(2025, 12, 31, 15, 59, 59, 999, DateTimeKind.Utc), new DateTime(2025, 12, 31, 16, 0, 0, DateTimeKind.Utc),
            new DateTime(2024, 2, 29, 16, 0, 0, DateTimeKind.Utc), new DateTime(2026, 6, 15, 3, 0, 0, 500, DateTimeKind.Utc),
        };
        // Written, read and put back in one transaction: the other tests' cases keep their times.
        var stored = await app.Service<Database>().WriteAsync(async (c, tx) =>
        {
            var ids = (await c.QueryAsync<(long Id, string At)>("SELECT Id, SubmittedAt FROM Complaints ORDER BY Id LIMIT @N", new { N = edges.Length }, tx)).ToList();
            var months = new List<int>();
            foreach (var (edge, (id, _)) in edges.Zip(ids))
            {
                await c.ExecuteAsync("UPDATE Complaints SET SubmittedAt = @Edge WHERE Id = @Id", new { Edge = edge, Id = id }, tx);
                // Read from the index (what the month branches seek), not computed again from the row.
                months.Add(await c.ExecuteScalarAsync<int>("SELECT ReceivedMonth FROM Complaints INDEXED BY IX_Complaints_Month_Urgent WHERE Id = @Id AND ReceivedMonth > 0", new { Id = id }, tx));
            }
            await c.ExecuteAsync("UPDATE Complaints SET SubmittedAt = @At WHERE Id = @Id", ids.Select(i => new { i.Id, i.At }), tx);
            return months;
        }, Ct);

        Assert.Multiple(() =>
        {
            Assert.That(stored, Is.EqualTo(new[] { 202601, 202602, 202512, 202601, 202403, 202606 }));
            Assert.That(stored, Is.EqualTo(edges.Select(ChinaTime.MonthKey)));
            Assert.That(ChinaTime.MonthKeys(edges[3], edges[1]), Is.EqualTo(new[] { 202601, 202602 }));
            Assert.That(ChinaTime.MonthKeys(new DateTime(2025, 11, 30, 16, 0, 0, DateTimeKind.Utc), edges[0]), Is.EqualTo(new[] { 202512, 202601 }));
        });
    }

    private static bool Timed(string query) => query.Contains("from=", StringComparison.Ordinal) || query.Contains("to=", StringComparison.Ordinal);

    private static InboxQuery Parse(string query)
    {
        var values = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        bool? Flag(string name) => values.TryGetValue(name, out var v) ? bool.Parse(v) : null;
        ChinaTimeParameter? Time(string name) => values.TryGetValue(name, out var v) ? new ChinaTimeParameter(DateTimeOffset.Parse(v, System.Globalization.CultureInfo.InvariantCulture)) : null;
        return new InboxQuery(values.GetValueOrDefault("status"), values.GetValueOrDefault("category"), Flag("overdue"), Flag("contentReview"),
            Flag("contentUnchecked"), values.GetValueOrDefault("level"), values.GetValueOrDefault("community"), Time("from"), Time("to"), null, null, null,
            Flag("whistled"));
    }

    private static Task<long> CountAsync(string where) =>
        app.Service<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM Complaints WHERE {where}"), Ct);

    private static async Task<List<string>> ListAllAsync(string query)
    {
        var listed = new List<string>();
        string? cursor = null;
        do
        {
            var page = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/staff/complaints?limit=50&{query}{(cursor is null ? "" : "&cursor=" + cursor)}", Ct);
            listed.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("trackingNo").GetString()!));
            cursor = page.GetProperty("nextCursor") is { ValueKind: JsonValueKind.String } next ? next.GetString() : null;
        }
        while (cursor is not null);
        return listed;
    }
}
