using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Dapper;
using LianApi.Communities;
using LianApi.Data;
using LianApi.Infrastructure;
using LianApi.Privacy;
using LianApi.Shared;
using LianApi.Staff;

namespace LianApi.Complaints;

public sealed record InboxQuery(
    [property: Description("submitted | accepted | in_progress | resolved | closed | rejected")]
    [property: AllowedValues(null, ComplaintStatus.Submitted, ComplaintStatus.Accepted, ComplaintStatus.InProgress, ComplaintStatus.Resolved,
        ComplaintStatus.Closed, ComplaintStatus.Rejected, ErrorMessage = ValidationMessages.Status)] string? Status,
    [property: Description("A category code")] string? Category,
    [property: Description("Only overdue (true) or only on-time (false) cases")] bool? Overdue,
    [property: Description("Only cases WeChat's content check sent to human review: their text, or a photo found review or risky (true), or only the others (false)")] bool? ContentReview,
    [property: Description("Only cases whose text or photo WeChat could not check (true), or only the others (false)")] bool? ContentUnchecked,
    [property: Description("community | street | district | department: where the case is now")]
    [property: AllowedValues(null, HandlingLevel.Community, HandlingLevel.Street, HandlingLevel.District, HandlingLevel.Department,
        ErrorMessage = ValidationMessages.Level)] string? Level,
    [property: Description("A community code")] string? Community,
    [property: DataType(DataType.DateTime)]
    [property: Description("Submitted at or after this time: ISO 8601 (2026-12-01, 2026-12-01T08:00, 2026-12-01T00:00:00Z); without an offset it is Beijing time")] ChinaTimeParameter? From,
    [property: DataType(DataType.DateTime)]
    [property: Description("Submitted before this time: ISO 8601; without an offset it is Beijing time (to=2026-12-02 ends with 1 December, Beijing)")] ChinaTimeParameter? To,
    [property: Description("newest (default): the latest received first; or urgent: overdue, supervised and urged first, then the nearest deadline")]
    [property: AllowedValues(null, "newest", "urgent", ErrorMessage = ValidationMessages.Sort)] string? Sort,
    [property: Description("Page size, 1–50 (default 20)"), Range(1, ComplaintLists.MaxPageSize, ErrorMessage = ValidationMessages.PageSize)] int? Limit,
    [property: Description("The nextCursor of the previous page")] string? Cursor,
    [property: Description("Only whistled cases (吹哨) still waiting for their department to report (true), or only the others (false)")] bool? Whistled = null,
    [property: Description("Find cases: a tracking number (LH20261202-0043, any case, spaces or no dash), or text found anywhere in the description, address, resolution or reply (Chinese matched as a substring). One or two characters search only the newest " + CaseQueryText.Window + " cases of the district; three or more search every case. Results are newest first (sort=urgent is refused)")]
    [property: CharacterLength(100, ErrorMessage = ValidationMessages.SearchText)] string? Q = null,
    [property: Description("Cases whose resident's or recorded phone is this number, in any written form (+86 138 1234 5678, 0086…, 029-88881234); found through a keyed blind index, never by decrypting. Newest first")]
    [property: CharacterLength(30, ErrorMessage = ValidationMessages.Phone)] string? Phone = null,
    [property: Description("A department's code: the cases it holds now")] string? Department = null,
    [property: Description("A street's code: the cases of its communities")] string? Street = null,
    [property: Description("A grid's code (网格): the cases of that grid")] string? Grid = null,
    [property: AllowedValues(null, Channels.MiniProgram, Channels.DoorKnock, Channels.CollectionPoint, Channels.WechatGroup, Channels.Hotline,
        Channels.Visit, Channels.Other, Channels.Open311, ErrorMessage = ValidationMessages.Channel)]
    [property: Description("How the case came in: " + Channels.Description)] string? Channel = null,
    [property: Description("A grid worker's staff id: the cases assigned to them")] long? Assignee = null);

/// <summary>Texts of the search shared by the spec and the code.</summary>
public static class CaseQueryText
{
    public const string Window = "10,000";
}

public sealed record InboxItem(
    string TrackingNo,
    [property: OpenApiEnum(typeof(ComplaintStatus))]
    string Status,
    string StatusLabel,
    [property: OpenApiEnum(typeof(HandlingLevel))]
    [property: Description("community | street | district | department")] string Level,
    NamedRef Community,
    NamedRef Category,
    string Summary,
    DateTimeOffset SubmittedAt,
    [property: Description(DueAtText.Description)] DateTimeOffset? DueAt,
    bool IsOverdue,
    bool IsSupervised,
    int UrgeCount,
    int ReopenCount,
    DateTimeOffset? ExtensionRequestedUntil,
    [property: Description(ContentFlagText.Review)] bool ContentReview,
    [property: Description(ContentFlagText.Unchecked)] bool ContentUnchecked,
    [property: Description("Masked; the full number needs the audited contact call")] string? ContactPhone,
    int Version,
    [property: OpenApiEnum(typeof(Channels))]
    [property: Description(Channels.Description)] string Channel,
    [property: Description("The grid (网格) the case belongs to, if any")] NamedRef? Grid,
    [property: Description("Whistled to a paired department that has not reported yet")] bool WhistlePending,
    [property: Description("What the caller may do on the case now, each action with the fields its request needs and takes (computed by the state machine)")] IReadOnlyList<AllowedAction> AllowedActions);

public sealed record InboxPage(IReadOnlyList<InboxItem> Items, string? NextCursor,
    [property: Description("How many cases the filters select in the caller's scope, counted up to " + InboxTotal.CapText + " (see totalCapped)")] int Total = 0,
    [property: Description("True when more than total cases may match: the count stops at " + InboxTotal.CapText +
                           ", and a search by words counts among its newest " + InboxTotal.SearchMatchesReadText + " matches (one or two characters: among the newest " +
                           InboxTotal.CapText + " cases), so that it stays one short read at a million cases")] bool TotalCapped = false);

/// <summary>
/// The bound of an inbox's count: past it, "1000+" is all a screen needs to say. A count reads an entry per case it
/// counts, and where no index holds every filter, the case itself, so the bound is what keeps it one short read.
/// </summary>
public static class InboxTotal
{
    public const int Cap = 1_000;
    public const string CapText = "1,000";

    /// <summary>A search by words examines its newest matches up to this many for its count (the page has no such bound).</summary>
    public const int SearchMatchesRead = 5_000;
    public const string SearchMatchesReadText = "5,000";
}

public sealed record InboxRow
{
    public long Id { get; init; }
    public string TrackingNo { get; init; } = "";
    public string Status { get; init; } = "";
    public string HandlingLevel { get; init; } = "";
    public string CommunityCode { get; init; } = "";
    public string CommunityName { get; init; } = "";
    public string CategoryCode { get; init; } = "";
    public string CategoryName { get; init; } = "";
    public string Description { get; init; } = "";
    public DateTime SubmittedAt { get; init; }
    public DateTime? DueAt { get; init; }
    public int Priority { get; init; }
    public bool IsOverdue { get; init; }
    public bool IsSupervised { get; init; }
    public int UrgeCount { get; init; }
    public int ReopenCount { get; init; }
    public DateTime? ExtensionRequestedUntil { get; init; }
    public string? ContactPhoneMasked { get; init; }
    public bool Anonymous { get; init; }
    public bool ContentReview { get; init; }
    public bool ContentUnchecked { get; init; }
    public int Version { get; init; }
    public string Channel { get; init; } = Channels.MiniProgram;
    public string? GridCode { get; init; }
    public string? GridName { get; init; }
    public bool WhistlePending { get; init; }
    // What the state machine reads to say which actions the caller may take (allowedActions).
    public long? HandlingUnitId { get; init; }
    public long CommunityId { get; init; }
    public long StreetId { get; init; }
    public long? GridId { get; init; }
    public long? AssignedStaffId { get; init; }
    public long? RecordedByStaffId { get; init; }
    public bool PublicConsent { get; init; }
    public bool Unpublished { get; init; }
    public string? CloseReason { get; init; }
    public string? LastHandlingLevel { get; init; }
    public DateTime? ResolutionDueAt { get; init; }
    public bool RequiresResolutionPhoto { get; init; }
    public string? LastSatisfaction { get; init; }
    public bool? LastEvaluationResolved { get; init; }

    /// <summary>The case as far as the state machine's guards read it: enough to ask which actions it accepts, never to apply one.</summary>
    public Complaint AsGuardedCase() => new()
    {
        Id = Id, TrackingNo = TrackingNo, Status = Status, HandlingLevel = HandlingLevel, HandlingUnitId = HandlingUnitId, CommunityId = CommunityId,
        StreetId = StreetId, GridId = GridId, AssignedStaffId = AssignedStaffId, RecordedByStaffId = RecordedByStaffId, IsOverdue = IsOverdue,
        IsSupervised = IsSupervised, ExtensionRequestedUntil = ExtensionRequestedUntil, ContentReview = ContentReview, ContentUnchecked = ContentUnchecked,
        WhistlePending = WhistlePending, PublicConsent = PublicConsent, Unpublished = Unpublished, CloseReason = CloseReason,
        LastHandlingLevel = LastHandlingLevel, ResolutionDueAt = ResolutionDueAt, CategoryRequiresResolutionPhoto = RequiresResolutionPhoto,
        Version = Version, ReopenCount = ReopenCount, UrgeCount = UrgeCount, SubmittedAt = SubmittedAt,
    };

    public InboxItem AsItem(IReadOnlyList<AllowedAction> allowed) => new(TrackingNo, Status, ComplaintStatus.Labels[Status], HandlingLevel,
        new NamedRef(CommunityCode, CommunityName), new NamedRef(CategoryCode, CategoryName),
        TextSummary.Of(Description), SubmittedAt.AsChinaTime(), DueAt?.AsChinaTime(),
        IsOverdue, IsSupervised, UrgeCount, ReopenCount, ExtensionRequestedUntil?.AsChinaTime(), ContentReview, ContentUnchecked,
        Anonymous ? null : ContactPhoneMasked, Version, Channel, GridCode is null ? null : new NamedRef(GridCode, GridName ?? GridCode), WhistlePending, allowed);
}

/// <summary>
/// A unit's inbox: only what the staff member's scope allows, filtered, by keyset in either order. The SQL is built for
/// the caller's role and the filters present (codes turned into ids from the org directory, no `@x IS NULL OR …`), so
/// each statement can seek the index of its scope and order; a scope of two kinds (a community's area and the cases it
/// holds elsewhere) is a UNION of two seeks, each limited to a page.
/// </summary>
public sealed class StaffInboxStore(Database db, OrgDirectory directory, TimeProvider time, PhoneProtector? phones = null)
{
    internal const string InboxColumns = """
        SELECT c.Id, c.TrackingNo, c.Status, c.HandlingLevel, m.Code AS CommunityCode, m.Name AS CommunityName,
               k.Code AS CategoryCode, k.Name AS CategoryName, c.Description, c.SubmittedAt, c.DueAt, c.Priority, c.IsOverdue,
               c.IsSupervised, c.UrgeCount, c.ReopenCount, c.ExtensionRequestedUntil, c.ContactPhoneMasked, c.Anonymous,
               c.ContentReview, c.ContentUnchecked, c.Version,
               c.Channel, g.Code AS GridCode, g.Name AS GridName, c.WhistlePending,
               c.HandlingUnitId, c.CommunityId, c.StreetId, c.GridId, c.AssignedStaffId, c.RecordedByStaffId, c.PublicConsent, c.Unpublished,
               c.CloseReason, c.LastHandlingLevel, c.ResolutionDueAt, k.RequiresResolutionPhoto, c.LastSatisfaction, c.LastEvaluationResolved
        FROM Complaints c
        JOIN Communities m ON m.Id = c.CommunityId
        JOIN Categories k ON k.Id = c.CategoryId
        LEFT JOIN Grids g ON g.Id = c.GridId
        """;

    private const string NewestOrder = "c.Id DESC";
    private const string UrgentOrder = "c.UrgencyRank, c.DueSort, c.Id";
    private const string ReceivedOrder = "c.SubmittedAt DESC, c.Id DESC";

    public async Task<InboxPage> ListAsync(StaffMember staff, InboxQuery q, bool urgent, int limit, InboxCursor? after, CancellationToken ct)
    {
        var (received, units, names) = await ContextAsync(q, ct);
        if (Statement(staff, q, urgent, limit, after, names, received, units) is not var (sql, parameters)
            || Count(staff, q, names, units, received) is not var (countSql, countParameters))
        {
            return new InboxPage([], null);   // an unknown code, or a period without cases: nothing matches
        }
        var (rows, (total, matches)) = await db.ReadAsync(async c => (
            (await c.QueryAsync<InboxRow>(new CommandDefinition(sql, parameters, cancellationToken: ct))).AsList(),
            await c.QuerySingleOrDefaultAsync<(int Total, int Matches)>(new CommandDefinition(countSql, countParameters, cancellationToken: ct))), ct);
        var page = rows.Take(limit).ToList();
        var last = rows.Count > limit ? page[^1] : null;
        var next = last is null ? null
            : new InboxCursor(last.Id, last.Priority, ByReceived(q, urgent) ? last.SubmittedAt : last.DueAt ?? Complaint.NoDeadline).ToString();
        var now = time.GetUtcNow().UtcDateTime;
        return new InboxPage(page.Select(r => r.AsItem(ComplaintMachine.AllowedActions(staff, r.AsGuardedCase(), now))).ToList(), next,
            Math.Min(total, InboxTotal.Cap), total > InboxTotal.Cap || matches > InboxTotal.SearchMatchesRead);
    }

    /// <summary>
    /// The inbox's filtered set in the inbox's order and scope, up to <paramref name="maxRows"/> rows, each handed to
    /// <paramref name="row"/> as it is read (never held whole): a case list for a file. True when more cases matched.
    /// </summary>
    public async Task<bool> ForEachAsync(StaffMember staff, InboxQuery q, bool urgent, int maxRows, Func<InboxRow, OrgDirectory.Snapshot, ValueTask> row,
        CancellationToken ct)
    {
        var (received, units, names) = await ContextAsync(q, ct);
        if (Statement(staff, q, urgent, maxRows, null, names, received, units) is not var (sql, parameters))
        {
            return false;
        }
        return await db.ReadAsync(async c =>
        {
            var read = 0;
            await foreach (var r in c.QueryUnbufferedAsync<InboxRow>(sql, parameters).WithCancellation(ct))
            {
                if (++read > maxRows)
                {
                    return true;
                }
                await row(r, names);
            }
            return false;
        }, ct);
    }

    /// <summary>What a query's statements are built from: the span of times received (for a period), the units its codes name, the org's names.</summary>
    private async Task<(ReceivedSpan? Received, UnitIds Units, OrgDirectory.Snapshot Names)> ContextAsync(InboxQuery q, CancellationToken ct)
    {
        var received = (q.From ?? q.To) is not null
            ? await db.ReadAsync(async c => (await c.QueryAsync<(DateTime? First, DateTime? Last)>(new CommandDefinition(SelectReceivedSpan, cancellationToken: ct)))
                .Select(span => new ReceivedSpan(span.First, span.Last)).FirstOrDefault(), ct)
            : null;
        return (received, await UnitsAsync(q, ct), await directory.GetAsync(ct));
    }

    /// <summary>The ids of the street, department and grid codes a query names (null: not asked; 0: no such unit).</summary>
    public sealed record UnitIds(long? Street, long? Department, long? Grid);

    private const string SelectUnitIds = """
        SELECT (SELECT Id FROM Streets WHERE Code = @Street) AS Street, (SELECT Id FROM Departments WHERE Code = @Department) AS Department,
               (SELECT Id FROM Grids WHERE Code = @Grid) AS Grid
        """;

    private async Task<UnitIds> UnitsAsync(InboxQuery q, CancellationToken ct)
    {
        if ((q.Street ?? q.Department ?? q.Grid) is null)
        {
            return new UnitIds(null, null, null);
        }
        var found = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<UnitIds>(new CommandDefinition(SelectUnitIds, new { q.Street, q.Department, q.Grid }, cancellationToken: ct)), ct)
            ?? new UnitIds(null, null, null);
        return new UnitIds(q.Street is null ? null : found.Street ?? 0, q.Department is null ? null : found.Department ?? 0, q.Grid is null ? null : found.Grid ?? 0);
    }

    /// <summary>
    /// The count of the page's filtered set, stopped at one past <see cref="InboxTotal.Cap"/>: the same predicates without the
    /// cursor, the planner free to pick the narrowest index. It reads at most Cap + 1 entries of an index that selects the
    /// set, or (a filter without an index of its own in a large scope) the scope's entries; null when nothing can match.
    /// A period in a narrow scope is counted through the index of the time received when that reads fewer entries than
    /// the scope's own index would (see <see cref="CountsThroughPeriod"/>). <paramref name="received"/> is needed for a period.
    /// </summary>
    internal (string Sql, DynamicParameters Parameters)? Count(StaffMember staff, InboxQuery q, OrgDirectory.Snapshot names, UnitIds? units = null,
        ReceivedSpan? received = null)
    {
        var parameters = new DynamicParameters(new { CountLimit = InboxTotal.Cap + 1, UnitId = staff.UnitId ?? 0, StaffId = staff.Id, staff.GridId });
        var filters = new List<string>();
        string Same(string column) => column;
        // A search's rows drive its count as they drive its page; otherwise the planner picks the narrowest index.
        var search = Search(q, parameters, key: Same);
        Func<string, string> key = search is not null || CountsThroughPeriod(staff, q, names, received) ? db.Dialect.NotAnIndexKey : Same;
        if (!Filters(q, urgent: false, db.Dialect, key, key, names, filters, parameters, withPeriod: true, units ?? new UnitIds(null, null, null)))
        {
            return null;
        }
        var scopes = Scopes(staff, parameters, key);
        var from = search?.From ?? "Complaints c";
        var predicates = search?.Predicates ?? [];
        var matches = "0";
        if (from == TextFromSqlite)
        {
            // Each match is a case read to check the scope and filters: only the newest ones are examined, and the total
            // says "at least" (capped) when there are more matches than that.
            from = TextNewestMatchesSqlite(search!.TextBounds);
            predicates = [.. predicates.Where(p => !p.StartsWith(TextMatchSqlite, StringComparison.Ordinal))];
            matches = TextMatchesSqlite(search.TextBounds);
            parameters.Add("MatchesRead", InboxTotal.SearchMatchesRead);
            if (scopes.Count == 1 && !staff.SeesEverything)
            {
                scopes = [ScopeIdsOf(staff, parameters)];   // as the page checks them (see SearchStatement)
            }
        }
        else if (search?.ByLike == true)
        {
            // One or two characters are looked for by LIKE among the newest cases, each case read: the count reads fewer
            // of them than the page may, and says "at least" when the district has more.
            parameters.Add("Window", InboxTotal.Cap);
            matches = NewestCases(db.Dialect);
            parameters.Add("MatchesReadPlusOne", InboxTotal.Cap + 1);
        }
        var where = string.Join(" AND ", [$"({string.Join(" OR ", scopes)})", .. predicates, .. filters]);
        return ($"SELECT (SELECT COUNT(*) FROM (SELECT 1 AS One FROM {from} WHERE {where} {db.Dialect.AnyRows}) n) AS Total, ({matches}) AS Matches", parameters);
    }

    // An entry of the covering index of the time received is read this many times faster than a case found through a
    // scope's index, whose time must be read from the case itself (the README's "Measured at a million cases").
    private const int CoveringEntryAdvantage = 13;

    /// <summary>
    /// Whether a period's count in a narrow scope reads the period's entries of the index of the time received rather than
    /// the scope's cases through the scope's index. Without statistics SQLite takes the scope's index (a street: every
    /// case it ever had, each read from the table); the period is cheaper unless it is long and the scope one of many
    /// units. The period's share of all cases is taken from its length against the span of the cases received, the
    /// scope's share as one of the units of its level.
    /// </summary>
    private static bool CountsThroughPeriod(StaffMember staff, InboxQuery q, OrgDirectory.Snapshot names, ReceivedSpan? received)
    {
        if (staff.SeesEverything || staff.Role == StaffRoles.Volunteer || (q.From ?? q.To) is null)
        {
            return false;   // everything (the planner's pick holds), or a volunteer's few cases through their own index
        }
        if (received is not { First: { } first, Last: { } last } || last <= first)
        {
            return true;
        }
        var from = q.From is { } f && f.UtcDateTime > first ? f.UtcDateTime : first;
        var to = q.To is { } t && t.UtcDateTime < last ? t.UtcDateTime : last;
        var periodShare = Math.Max(0, (to - from).Ticks) / (double)(last - first).Ticks;
        var units = staff.Role switch
        {
            StaffRoles.Street => names.Communities.Select(c => c.StreetId).Distinct().Count(),
            StaffRoles.Department => names.DepartmentNamesById.Count,
            StaffRoles.Community => names.Communities.Count,
            _ => throw Vocabulary.Unknown("staff roles", staff.Role),
        };
        return periodShare * Math.Max(1, units) <= CoveringEntryAdvantage;
    }

    /// <summary>When the first and the last case were received (null when there is none): the months a period can touch.</summary>
    public sealed record ReceivedSpan(DateTime? First, DateTime? Last);

    // Two seeks, one at each end of IX_Complaints_Received (MIN and MAX in one SELECT would read the whole index).
    private const string SelectReceivedSpan = """
        SELECT (SELECT MIN(SubmittedAt) FROM Complaints) AS First, (SELECT MAX(SubmittedAt) FROM Complaints) AS Last
        """;

    // A compound SELECT has at most 500 parts on SQLite: two scopes of 200 months (16 years of cases in one period).
    private const int MaxMonths = 200;

    /// <summary>
    /// The statement of one page (limit + 1 rows, to know whether another follows); null when nothing can match (a code
    /// that names nothing, a period without cases). <paramref name="received"/> is needed for a period in the urgent order.
    /// </summary>
    internal (string Sql, DynamicParameters Parameters)? Statement(StaffMember staff, InboxQuery q, bool urgent, int limit, InboxCursor? after,
        OrgDirectory.Snapshot names, ReceivedSpan? received = null, UnitIds? units = null)
    {
        var parameters = new DynamicParameters(new { Limit = limit + 1, UnitId = staff.UnitId ?? 0, StaffId = staff.Id, staff.GridId });
        var filters = new List<string>();
        units ??= new UnitIds(null, null, null);
        if (Search(q, parameters, db.Dialect.NotAnIndexKey) is { } search)
        {
            return SearchStatement(staff, q, search, after, names, units, parameters);
        }
        // A period in the urgent order is read month by month: each month's cases in that order are one seek of
        // IX_Complaints_Month_Urgent that stops at a page, and the page is the best of those pages, so its cost is the
        // number of months, not of cases (sorting a year's cases for every page does not scale). An open end is closed
        // by the first or last case received. A flag asked set is found through its own index instead (see below).
        var timed = (q.From ?? q.To) is not null;
        var months = urgent && timed && !FewFlagged(q, urgent) ? Months(q, received) : null;
        if (months is [])
        {
            return null;
        }
        // A period newest first (either end given) is found through the index of the time received, which covers every
        // scope and filter column, read backwards from its end: its cost is at most the period's cases, whatever the
        // scope. Through the scope's index in the order of ids, a month a year ago (or to= alone) meant skipping every
        // case received since.
        // A flag asked set in a period is the same: every key but the flag's is kept off the indexes. The urgent order of
        // a period too long to read by month sorts the period's entries from that index (from= and to= both given).
        var period = months is not null || (timed && (!urgent || FewFlagged(q, urgent) || (q.From is not null && q.To is not null)));
        Func<string, string> key = period ? db.Dialect.NotAnIndexKey : column => column;
        // By month, the rank is the month index's second key: overdue (a rank range) seeks it.
        Func<string, string> rankKey = months is not null ? column => column : key;
        if (!Filters(q, urgent, db.Dialect, key, rankKey, names, filters, parameters, withPeriod: months is null, units))
        {
            return null;
        }
        // A period's newest first is by the time received, then id: the index gives that order with no sort (ids follow
        // the time received, so it is the order of ids but for reports of the same instant).
        var byReceived = ByReceived(q, urgent);
        if (after is not null)
        {
            parameters.AddDynamicParams(new { AfterId = after.Id, AfterRank = Complaint.UrgencyRankOf(after.Priority), AfterAt = after.At });
            filters.Add(urgent ? db.Dialect.After(["c.UrgencyRank", "c.DueSort", "c.Id"], ["@AfterRank", "@AfterAt", "@AfterId"])
                : byReceived ? db.Dialect.Before(["c.SubmittedAt", "c.Id"], ["@AfterAt", "@AfterId"])
                : "c.Id < @AfterId");
        }
        var order = urgent ? UrgentOrder : byReceived ? ReceivedOrder : NewestOrder;
        var scopes = Scopes(staff, parameters, key);
        if (scopes.Count == 1 && !period)
        {
            return ($"{InboxColumns}\nWHERE {string.Join(" AND ", [scopes[0], .. filters])}\nORDER BY {order}\n{db.Dialect.LimitRows}", parameters);
        }
        // Each branch seeks its own index and stops at a page; the union of the pages holds the page. A period's branches
        // sort ids from a covering index alone, and only the page's rows are read.
        var parts = months is null ? scopes.Select(scope => (List<string>)[scope, .. filters]).ToList() : MonthParts(q, months, scopes, filters, parameters);
        var branches = parts.Select((predicates, i) =>
            $"SELECT b{i}.Id FROM (SELECT c.Id FROM Complaints c WHERE {string.Join(" AND ", predicates)} ORDER BY {order}\n{db.Dialect.LimitRows}) b{i}");
        return ($"{InboxColumns}\nWHERE c.Id IN ({string.Join("\nUNION\n", branches)})\nORDER BY {order}\n{db.Dialect.LimitRows}", parameters);
    }

    /// <summary>
    /// What q and phone add: the rows that drive the statement (From, its id column giving newest first) and predicates.
    /// Null when neither is asked.
    /// </summary>
    private sealed record SearchPart(string From, string Id, List<string> Predicates)
    {
        /// <summary>One or two characters: a LIKE over the newest cases (<see cref="ShortText"/>), not the text index.</summary>
        public bool ByLike { get; init; }

        /// <summary>The period as bounds of the text index's rowids (see <see cref="IdsOfPeriod"/>), or empty.</summary>
        public string TextBounds { get; init; } = "";
    }

    // SQLite: the trigram index, newest first by its rowid (the case's Id), each match's case read by its key.
    private const string TextFromSqlite = "ComplaintText t JOIN Complaints c ON c.Id = t.rowid";
    private const string TextMatchSqlite = "t.ComplaintText MATCH @Match";
    // The count's rows: the newest matches only (FTS5 reads its index backwards by rowid), and how many matches there are up to one past that.
    private static string TextNewestMatchesSqlite(string bounds) =>
        $"(SELECT rowid FROM ComplaintText WHERE ComplaintText MATCH @Match{bounds} ORDER BY rowid DESC LIMIT @MatchesRead) t JOIN Complaints c ON c.Id = t.rowid";
    private static string NewestCases(SqlDialect dialect) =>
        $"SELECT COUNT(*) FROM (SELECT Id FROM Complaints ORDER BY Id DESC {dialect.LimitRows.Replace("@Limit", "@MatchesReadPlusOne", StringComparison.Ordinal)}) w";
    private static string TextMatchesSqlite(string bounds) =>
        $"SELECT COUNT(*) FROM (SELECT 1 FROM ComplaintText WHERE ComplaintText MATCH @Match{bounds} LIMIT @MatchesRead + 1) m";

    /// <summary>
    /// How far apart in time two reports can be and still take their ids in the other order: a report's time is taken in
    /// its request, which ends within the request timeout (15 s), and its id when the writer inserts it.
    /// </summary>
    private static readonly TimeSpan IdOrderSlack = TimeSpan.FromHours(1);

    /// <summary>
    /// A period as a range of case ids, for the text index, which knows ids but not times: every case received in the
    /// period has an id above the newest case received more than <see cref="IdOrderSlack"/> before it, and below the
    /// oldest received more than that after it. Two seeks of the index of the time received; the times themselves are
    /// still checked on each case.
    /// </summary>
    private static string IdsOfPeriod(string id, InboxQuery q, DynamicParameters parameters)
    {
        var bounds = "";
        if (q.From is { } from)
        {
            bounds += $" AND {id} > COALESCE((SELECT b.Id FROM Complaints b WHERE b.SubmittedAt < @IdsFrom ORDER BY b.SubmittedAt DESC, b.Id DESC LIMIT 1), 0)";
            parameters.Add("IdsFrom", from.UtcDateTime - IdOrderSlack);
        }
        if (q.To is { } to)
        {
            bounds += $" AND {id} < COALESCE((SELECT b.Id FROM Complaints b WHERE b.SubmittedAt >= @IdsTo ORDER BY b.SubmittedAt, b.Id LIMIT 1), 9223372036854775807)";
            parameters.Add("IdsTo", to.UtcDateTime + IdOrderSlack);
        }
        return bounds;
    }
    // SQL Server: the cases holding every bigram of the text, then only those where the text really is a substring.
    private const string TextMatchSqlServer = """
        c.Id IN (SELECT g.ComplaintId FROM ComplaintGrams g WHERE g.Gram IN @Grams GROUP BY g.ComplaintId HAVING COUNT(*) = @GramCount)
        AND (c.Description LIKE @Like ESCAPE '\' OR c.Address LIKE @Like ESCAPE '\' OR EXISTS (SELECT 1 FROM ComplaintEvents e
             WHERE e.ComplaintId = c.Id AND e.Kind IN ('resolved', 'replied') AND e.Note LIKE @Like ESCAPE '\'))
        """;
    // Too short for the index: a LIKE over the newest cases of the district only, so it reads at most ShortWindow rows.
    private static string ShortText(SqlDialect dialect, Func<string, string> key) => $"""
        c.Id >= (SELECT MIN(w.Id) FROM (SELECT Id FROM Complaints ORDER BY Id DESC {dialect.LimitRows.Replace("@Limit", "@Window", StringComparison.Ordinal)}) w)
        AND ({key("c.Description")} LIKE @Like ESCAPE '\' OR {key("c.Address")} LIKE @Like ESCAPE '\')
        """;

    private SearchPart? Search(InboxQuery q, DynamicParameters parameters, Func<string, string> key)
    {
        var text = CaseQuery.Parse(q.Q);
        var phone = q.Phone is null ? null : phones?.BlindIndex(q.Phone) ?? "";
        if (text is null && phone is null)
        {
            return null;
        }
        var part = new SearchPart("Complaints c", "c.Id", []);
        if (phone is not null)
        {
            part.Predicates.Add("c.ContactPhoneIndex = @PhoneIndex");
            parameters.Add("PhoneIndex", phone);
        }
        if (text?.TrackingNo is { } trackingNo)
        {
            part.Predicates.Add("c.TrackingNo = @TrackingNo");
            parameters.Add("TrackingNo", trackingNo);
        }
        else if (text?.Text is { } words)
        {
            var sqlite = db.Dialect == SqlDialect.Sqlite;
            parameters.Add("Like", text.Like);
            if (words.Length < (sqlite ? 3 : 2))
            {
                part = part with { ByLike = true };
                part.Predicates.Add(ShortText(db.Dialect, key));
                parameters.Add("Window", CaseQuery.ShortWindow);
            }
            else if (sqlite)
            {
                // A phone (few cases) drives the statement; the text then only checks them.
                part = phone is null ? part with { From = TextFromSqlite, Id = "t.rowid", TextBounds = IdsOfPeriod("rowid", q, parameters) }
                    : part with { Predicates = [.. part.Predicates, "EXISTS (SELECT 1 FROM ComplaintText t WHERE " + TextMatchSqlite + " AND t.rowid = c.Id)"] };
                if (phone is null)
                {
                    // The period bounds the text index's own scan: a month a year ago no longer reads a year of newer matches.
                    part.Predicates.Add(TextMatchSqlite + IdsOfPeriod("t.rowid", q, parameters));
                }
                parameters.Add("Match", text.Phrase);
            }
            else
            {
                var grams = CaseText.Bigrams(words);
                part.Predicates.Add(TextMatchSqlServer);
                parameters.Add("Grams", grams);
                parameters.Add("GramCount", grams.Count);
            }
        }
        return part;
    }

    /// <summary>
    /// A search's page, newest first: the search's rows drive it (the phone's index, the trigram index read backwards, the
    /// tracking number's key, or the newest cases for a short text), and the scope and filters only check each one, so
    /// none of their indexes is taken: its cost is the matches read until a page of the scope is found.
    /// </summary>
    private (string Sql, DynamicParameters Parameters)? SearchStatement(StaffMember staff, InboxQuery q, SearchPart search, InboxCursor? after,
        OrgDirectory.Snapshot names, UnitIds units, DynamicParameters parameters)
    {
        var filters = new List<string>();
        var key = db.Dialect.NotAnIndexKey;
        if (!Filters(q, urgent: false, db.Dialect, key, key, names, filters, parameters, withPeriod: false, units))
        {
            return null;
        }
        if (q.From is { } from) { filters.Add($"{key("c.SubmittedAt")} >= @From"); parameters.Add("From", from.UtcDateTime); }
        if (q.To is { } to) { filters.Add($"{key("c.SubmittedAt")} < @To"); parameters.Add("To", to.UtcDateTime); }
        if (after is not null)
        {
            filters.Add($"{search.Id} < @AfterId");
            parameters.Add("AfterId", after.Id);
        }
        var scopes = Scopes(staff, parameters, key);
        if (search.From == TextFromSqlite && scopes.Count == 1 && !staff.SeesEverything)
        {
            // A scope of one index (a department's, a volunteer's): its ids are gathered from that index first, and each
            // match is checked against them before its case is read, so the matches outside the scope (nearly all of a
            // common phrase's, for a department's closed cases of one category) cost no read of their case.
            scopes = [ScopeIdsOf(staff, parameters)];
        }
        var where = string.Join(" AND ", [$"({string.Join(" OR ", scopes)})", .. search.Predicates, .. filters]);
        return ($"{InboxColumns}\nWHERE c.Id IN (SELECT {search.Id} FROM {search.From} WHERE {where}\nORDER BY {search.Id} DESC\n{db.Dialect.LimitRows})\n" +
                $"ORDER BY {NewestOrder}\n{db.Dialect.LimitRows}", parameters);
    }

    private static string ScopeIdsOf(StaffMember staff, DynamicParameters parameters) =>
        $"+t.rowid IN (SELECT s.Id FROM Complaints s WHERE {Scopes(staff, parameters, column => "s." + column[2..])[0]})";

    /// <summary>The Beijing months a period touches among those that hold cases; null when there are too many for one statement.</summary>
    private static List<int>? Months(InboxQuery q, ReceivedSpan? received)
    {
        if (received is not { First: { } first, Last: { } last })
        {
            return [];
        }
        var from = q.From is { } f && f.UtcDateTime > first ? f.UtcDateTime : first;
        var to = q.To is { } t && t.UtcDateTime <= last ? t.UtcDateTime.AddTicks(-1) : last;
        var months = from <= to ? ChinaTime.MonthKeys(from, to).Take(MaxMonths + 1).ToList() : [];
        return months.Count > MaxMonths ? null : months;
    }

    /// <summary>A branch per month and scope; the period's own ends only bound its first and last month.</summary>
    private List<List<string>> MonthParts(InboxQuery q, List<int> months, List<string> scopes, List<string> filters, DynamicParameters parameters)
    {
        var parts = new List<List<string>>();
        for (var i = 0; i < months.Count; i++)
        {
            parameters.Add($"Month{i}", months[i]);
            var month = new List<string> { $"c.ReceivedMonth = @Month{i}" };
            if (i == 0 && q.From is { } from)
            {
                month.Add($"{db.Dialect.NotAnIndexKey("c.SubmittedAt")} >= @From");
                parameters.Add("From", from.UtcDateTime);
            }
            if (i == months.Count - 1 && q.To is { } to)
            {
                month.Add($"{db.Dialect.NotAnIndexKey("c.SubmittedAt")} < @To");
                parameters.Add("To", to.UtcDateTime);
            }
            parts.AddRange(scopes.Select(scope => (List<string>)[.. month, scope, .. filters]));
        }
        return parts;
    }

    /// <summary>
    /// Newest first by the time received, then id (a period's order, and a set flag's: their indexes give it without a
    /// sort); otherwise by id alone. The two differ only for reports of the same instant, as ids follow the time received.
    /// </summary>
    private static bool ByReceived(InboxQuery q, bool urgent) => !urgent && ((q.From ?? q.To) is not null || FewFlagged(q, urgent));

    /// <summary>
    /// A flag asked set selects few cases (content review, unchecked, a whistle waiting; overdue newest first — in the
    /// urgent order overdue is a range of the rank): its (flag, SubmittedAt, Id) index finds them, in any period.
    /// </summary>
    private static bool FewFlagged(InboxQuery q, bool urgent) =>
        q.ContentReview == true || q.ContentUnchecked == true || q.Whistled == true || (!urgent && q.Overdue == true);

    /// <summary>Who sees what, as one or two predicates that each match an index (see CanSee and IsHandler).</summary>
    internal static List<string> Scopes(StaffMember staff, DynamicParameters parameters, Func<string, string> key)
    {
        if (staff.SeesEverything)
        {
            return ["1 = 1"];
        }
        if (staff.Role == StaffRoles.Volunteer)
        {
            return [$"{key("c.RecordedByStaffId")} = @StaffId"];
        }
        if (staff.Role == StaffRoles.Community && staff.GridId is not null)
        {
            return [$"{key("c.CommunityId")} = @UnitId AND {key("c.GridId")} = @GridId", $"{key("c.AssignedStaffId")} = @StaffId"];
        }
        parameters.Add("StaffLevel", StaffRoles.LevelOf(staff.Role));
        var holds = $"{key("c.HandlingLevel")} = @StaffLevel AND {key("c.HandlingUnitId")} = @UnitId";
        return staff.Role switch
        {
            StaffRoles.Community => [$"{key("c.CommunityId")} = @UnitId", holds],
            StaffRoles.Street => [$"{key("c.StreetId")} = @UnitId", holds],
            StaffRoles.Department => [holds],
            _ => throw Vocabulary.Unknown("staff roles", staff.Role),
        };
    }

    /// <summary>The filters present, by id; false when a code names nothing (the page is empty).</summary>
    private static bool Filters(InboxQuery q, bool urgent, SqlDialect dialect, Func<string, string> key, Func<string, string> rankKey, OrgDirectory.Snapshot names,
        List<string> filters, DynamicParameters parameters, bool withPeriod, UnitIds units)
    {
        void Add(string predicate, string name, object? value)
        {
            filters.Add(predicate);
            parameters.Add(name, value);
        }
        // A flag set is rare: its (flag, SubmittedAt, Id) index finds the few, in a period too. A flag clear is nearly
        // every case: the scope's index in the page's order finds the page, the flag only filters it.
        void Flag(string column, string name, bool value) => Add($"{(value ? column : dialect.NotAnIndexKey(column))} = @{name}", name, value);
        if (q.Status is { } status) { Add($"{key("c.Status")} = @Status", "Status", status); }
        if (q.Category is { } category)
        {
            if (!names.CategoriesByCode.TryGetValue(category, out var row)) { return false; }
            Add($"{key("c.CategoryId")} = @CategoryId", "CategoryId", row.Id);
        }
        if (q.Community is { } community)
        {
            if (!names.CommunitiesByCode.TryGetValue(community, out var row)) { return false; }
            Add($"{key("c.CommunityId")} = @CommunityId", "CommunityId", row.Id);
        }
        if (q.Overdue is { } overdue)
        {
            // In the urgent order overdue is the rank's top bit (UrgencyRank 0–3: overdue, 4–7: on time), so the filter
            // is a range of the order's own index; as an equality on IsOverdue, SQLite took the (IsOverdue, Id) index
            // and sorted every on-time case of the district for each page.
            if (urgent) { filters.Add(overdue ? $"{rankKey("c.UrgencyRank")} < {Complaint.OnTimeRank}" : $"{rankKey("c.UrgencyRank")} >= {Complaint.OnTimeRank}"); }
            else { Flag("c.IsOverdue", "Overdue", overdue); }
        }
        if (q.ContentReview is { } review) { Flag("c.ContentReview", "ContentReview", review); }
        if (q.ContentUnchecked is { } unchecked_) { Flag("c.ContentUnchecked", "ContentUnchecked", unchecked_); }
        if (q.Whistled is { } whistled) { Flag("c.WhistlePending", "Whistled", whistled); }
        if (q.Level is { } level) { Add($"{key("c.HandlingLevel")} = @Level", "Level", level); }
        // A unit named by its code (0: no such unit). A department is the one holding the case now (the index of holders).
        if (units.Street is { } street) { if (street == 0) { return false; } Add($"{key("c.StreetId")} = @FilterStreetId", "FilterStreetId", street); }
        if (units.Department is { } department)
        {
            if (department == 0) { return false; }
            Add($"{key("c.HandlingLevel")} = @DepartmentLevel AND {key("c.HandlingUnitId")} = @FilterDepartmentId", "FilterDepartmentId", department);
            parameters.Add("DepartmentLevel", HandlingLevel.Department);
        }
        if (units.Grid is { } grid) { if (grid == 0) { return false; } Add($"{key("c.GridId")} = @FilterGridId", "FilterGridId", grid); }
        if (q.Assignee is { } assignee) { Add($"{key("c.AssignedStaffId")} = @Assignee", "Assignee", assignee); }
        // The mini-program brings most cases: the scope's index finds its page. Any other channel is few, found through
        // the partial index of those, which SQLite uses only when the query states the index's own condition.
        if (q.Channel is { } channel)
        {
            Add(channel == Channels.MiniProgram ? $"{dialect.NotAnIndexKey("c.Channel")} = @Channel"
                : $"{key("c.Channel")} = @Channel AND c.Channel <> '{Channels.MiniProgram}'", "Channel", channel);
        }
        if (withPeriod && q.From is { } from) { Add("c.SubmittedAt >= @From", "From", from.UtcDateTime); }
        if (withPeriod && q.To is { } to) { Add("c.SubmittedAt < @To", "To", to.UtcDateTime); }
        return true;
    }
}

/// <summary>
/// Where the previous page ended: the sort key of its last row, so pages never shift as cases move. At is the time in
/// the order: the deadline in the urgent order, the time received in a period's newest first.
/// </summary>
public sealed record InboxCursor(long Id, int Priority, DateTime At)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id}.{Priority}.{At.Ticks}");

    public static bool TryParse(string? text, out InboxCursor? cursor)
    {
        cursor = null;
        var parts = text?.Split('.') ?? [];
        if (parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var priority)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTime.MaxValue.Ticks)
        {
            cursor = new InboxCursor(id, priority, new DateTime(ticks, DateTimeKind.Utc));
            return true;
        }
        return false;
    }
}
