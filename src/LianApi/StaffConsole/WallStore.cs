using Dapper;
using LianApi.Complaints;
using LianApi.Data;
using LianApi.Shared;
using LianApi.Staff;

namespace LianApi.StaffConsole;

/// <summary>The open cases of a scope as the wallboard counts them.</summary>
public sealed record WallCounts
{
    public int OpenCases { get; init; }
    public int NewCases { get; init; }
    public int DueSoon { get; init; }
    public int Overdue { get; init; }
    public int Supervised { get; init; }
    public int Whistled { get; init; }
}

/// <summary>One street's or department's line on the dispatch center's wallboard.</summary>
public sealed record WallUnitRow
{
    public string Name { get; init; } = "";
    public int OpenCases { get; init; }
    public int DueSoon { get; init; }
    public int Overdue { get; init; }
}

public sealed record WallFigures(
    WallCounts Counts, int? CallBacks, bool CallBacksMore, IReadOnlyList<WallUnitRow> ByStreet, IReadOnlyList<WallUnitRow> ByDepartment,
    IReadOnlyList<InboxItem> MostUrgent, long Version, DateTime At);

/// <summary>
/// The wallboard's figures for a staff member's scope: the inbox's own scope predicates (<see cref="StaffInboxStore.Scopes"/>),
/// so the board never counts a case its viewer could not open; the most urgent cases are the inbox's urgent order itself.
/// </summary>
public sealed class WallStore(Database db, StaffInboxStore inbox, CallBackQueue callBacks, TimeProvider time)
{
    /// <summary>"Due soon" on the board: the running deadline falls within this (yellow), before it is overdue (red).</summary>
    public static readonly TimeSpan DueSoonWindow = TimeSpan.FromHours(24);

    private const int UrgentShown = 8;
    private const int CallBacksCounted = 50;

    internal const string CountColumns = """
        SELECT COUNT(*) AS OpenCases,
               COALESCE(SUM(CASE WHEN c.Status = @Submitted THEN 1 ELSE 0 END), 0) AS NewCases,
               COALESCE(SUM(CASE WHEN c.IsOverdue = @False AND c.DueAt IS NOT NULL AND c.DueAt <= @SoonUntil THEN 1 ELSE 0 END), 0) AS DueSoon,
               COALESCE(SUM(CASE WHEN c.IsOverdue = @True THEN 1 ELSE 0 END), 0) AS Overdue,
               COALESCE(SUM(CASE WHEN c.IsSupervised = @True THEN 1 ELSE 0 END), 0) AS Supervised,
               COALESCE(SUM(CASE WHEN c.WhistlePending = @True THEN 1 ELSE 0 END), 0) AS Whistled
        FROM Complaints c
        WHERE c.Status IN (@Submitted, @Accepted, @InProgress)
        """;

    internal const string SelectByStreet = """
        SELECT s.Name, COUNT(*) AS OpenCases,
               COALESCE(SUM(CASE WHEN c.IsOverdue = @False AND c.DueAt IS NOT NULL AND c.DueAt <= @SoonUntil THEN 1 ELSE 0 END), 0) AS DueSoon,
               COALESCE(SUM(CASE WHEN c.IsOverdue = @True THEN 1 ELSE 0 END), 0) AS Overdue
        FROM Complaints c JOIN Streets s ON s.Id = c.StreetId
        WHERE c.Status IN (@Submitted, @Accepted, @InProgress)
        GROUP BY s.Id, s.Name
        ORDER BY s.Name
        """;

    // The open cases are few, every case that ever reached a department many: the level only filters the open ones (through
    // the level's index SQLite read each department case of every year to check its status).
    internal const string SelectByDepartment = """
        SELECT d.Name, COUNT(*) AS OpenCases,
               COALESCE(SUM(CASE WHEN c.IsOverdue = @False AND c.DueAt IS NOT NULL AND c.DueAt <= @SoonUntil THEN 1 ELSE 0 END), 0) AS DueSoon,
               COALESCE(SUM(CASE WHEN c.IsOverdue = @True THEN 1 ELSE 0 END), 0) AS Overdue
        FROM Complaints c JOIN Departments d ON d.Id = c.HandlingUnitId
        WHERE c.Status IN (@Submitted, @Accepted, @InProgress) AND +c.HandlingLevel = @Department
        GROUP BY d.Id, d.Name
        ORDER BY d.Name
        """;

    // The newest step of any case: every transition appends one, on whichever instance it ran, so a board that sees this
    // number change knows to reload its figures. One seek at the end of the primary key.
    private const string SelectVersion = "SELECT COALESCE(MAX(Id), 0) FROM ComplaintEvents";

    public Task<long> VersionAsync(CancellationToken ct) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(SelectVersion, cancellationToken: ct)), ct);

    public async Task<WallFigures> FiguresAsync(StaffMember staff, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var parameters = new DynamicParameters(new
        {
            UnitId = staff.UnitId ?? 0, StaffId = staff.Id, staff.GridId,
            ComplaintStatus.Submitted, ComplaintStatus.Accepted, ComplaintStatus.InProgress,
            True = true, False = false, SoonUntil = now + DueSoonWindow, HandlingLevel.Department,
        });
        var scope = string.Join(" OR ", StaffInboxStore.Scopes(staff, parameters, column => column));
        var countSql = $"{CountColumns}\n  AND ({scope})";
        var (version, counts, streets, departments) = await db.ReadAsync(async c => (
            await c.ExecuteScalarAsync<long>(new CommandDefinition(SelectVersion, cancellationToken: ct)),
            await c.QuerySingleAsync<WallCounts>(new CommandDefinition(countSql, parameters, cancellationToken: ct)),
            staff.SeesEverything ? (await c.QueryAsync<WallUnitRow>(new CommandDefinition(SelectByStreet, parameters, cancellationToken: ct))).AsList() : [],
            staff.SeesEverything ? (await c.QueryAsync<WallUnitRow>(new CommandDefinition(SelectByDepartment, parameters, cancellationToken: ct))).AsList() : []), ct);
        var urgent = await inbox.ListAsync(staff, UrgentQuery, urgent: true, UrgentShown, after: null, ct);
        CallBackPage? queue = staff.SeesEverything ? await callBacks.ListAsync(staff, CallBacksCounted, null, ct) : null;
        return new WallFigures(counts, queue?.Items.Count, queue?.NextCursor is not null, streets, departments,
            [.. urgent.Items.Where(i => i.Status is ComplaintStatus.Submitted or ComplaintStatus.Accepted or ComplaintStatus.InProgress)], version, now);
    }

    private static readonly InboxQuery UrgentQuery = new(Status: null, Category: null, Overdue: null, ContentReview: null, ContentUnchecked: null,
        Level: null, Community: null, From: null, To: null, Sort: "urgent", Limit: UrgentShown, Cursor: null);
}
