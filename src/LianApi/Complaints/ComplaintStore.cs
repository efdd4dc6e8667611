using System.Data.Common;
using Dapper;
using LianApi.Communities;
using LianApi.Data;
using LianApi.Idempotency;

namespace LianApi.Complaints;

public sealed record NewComplaint(
    long UserId, string ClientRequestId, long CommunityId, long CategoryId, string Description, string? Address,
    double? Latitude, double? Longitude, string? ContactPhoneProtected, string? ContactPhoneMasked, bool Anonymous,
    DateTime SubmittedAt, DateTime ResponseDueAt, string CommunityName);

public abstract record SubmitOutcome
{
    public sealed record Created(ComplaintDetail Complaint) : SubmitOutcome;
    public sealed record AlreadyDone(IdempotencyRecord Record) : SubmitOutcome;
    /// <summary>A retry that arrived after its idempotency key was pruned: the report itself still remembers the key.</summary>
    public sealed record AlreadyFiled(ComplaintDetail Complaint) : SubmitOutcome;
}

/// <summary>Complaints and their append-only timeline.</summary>
public sealed class ComplaintStore(Database db, OrgDirectory directory)
{
    public const string SubmitEndpoint = "POST /api/complaints";

    // China Standard Time has no daylight saving, so a fixed offset is exact and needs no tz database.
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private const string InsertComplaint = """
        INSERT INTO Complaints (TrackingNo, UserId, ClientRequestId, CommunityId, CategoryId, Description, Address, Latitude, Longitude,
            ContactPhoneProtected, ContactPhoneMasked, Anonymous, Status, HandlingLevel, HandlingUnitId, SubmittedAt, ReceivedAt,
            ResponseDueAt, DueAt, UpdatedAt, Version)
        VALUES (@TrackingNo, @UserId, @ClientRequestId, @CommunityId, @CategoryId, @Description, @Address, @Latitude, @Longitude,
            @ContactPhoneProtected, @ContactPhoneMasked, @Anonymous, @Status, @HandlingLevel, @CommunityId, @SubmittedAt, @SubmittedAt,
            @ResponseDueAt, @ResponseDueAt, @SubmittedAt, 1);
        """;

    private const string InsertEvent = """
        INSERT INTO ComplaintEvents (ComplaintId, Kind, Status, ActorUserId, UnitName, Note, IsPublic, OccurredAt)
        VALUES (@ComplaintId, @Kind, @Status, @ActorUserId, @UnitName, @Note, @IsPublic, @OccurredAt)
        """;

    private const string SelectTrackingNoByClientRequest =
        "SELECT TrackingNo FROM Complaints WHERE UserId = @UserId AND ClientRequestId = @ClientRequestId";

    /// <summary>
    /// Claims the idempotency key, numbers the report, stores it and its first timeline event in one transaction:
    /// when this returns Created the report is on disk (synchronous=FULL), and a retry can only replay it.
    /// </summary>
    public Task<SubmitOutcome> SubmitAsync(NewComplaint complaint, IdempotencyClaim claim, Func<ComplaintDetail, string> serialize, CancellationToken ct) =>
        db.WriteAsync<SubmitOutcome>(async (c, tx) =>
        {
            if (await IdempotencyStore.FindAsync(c, tx, claim, ct) is { } done)
            {
                return new SubmitOutcome.AlreadyDone(done);
            }
            if (await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(SelectTrackingNoByClientRequest,
                    new { complaint.UserId, complaint.ClientRequestId }, tx, cancellationToken: ct)) is { } filed)
            {
                return new SubmitOutcome.AlreadyFiled((await FindAsync(c, tx, filed, complaint.UserId, ct))!);
            }
            var trackingNo = await NextTrackingNoAsync(c, tx, complaint.SubmittedAt, ct);
            // One batch: SQL Server's SCOPE_IDENTITY() only sees inserts of its own batch.
            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertComplaint + "\n" + db.Dialect.SelectInsertedId, new
            {
                TrackingNo = trackingNo, complaint.UserId, complaint.ClientRequestId, complaint.CommunityId, complaint.CategoryId,
                complaint.Description, complaint.Address, complaint.Latitude, complaint.Longitude, complaint.ContactPhoneProtected,
                complaint.ContactPhoneMasked, complaint.Anonymous, Status = ComplaintStatus.Submitted, HandlingLevel = HandlingLevel.Community,
                complaint.SubmittedAt, complaint.ResponseDueAt,
            }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(InsertEvent, new
            {
                ComplaintId = id, Kind = "submitted", Status = ComplaintStatus.Submitted, ActorUserId = complaint.UserId,
                UnitName = complaint.CommunityName, Note = (string?)null, IsPublic = true, OccurredAt = complaint.SubmittedAt,
            }, tx, cancellationToken: ct));

            var detail = (await FindAsync(c, tx, trackingNo, complaint.UserId, ct))!;
            var location = $"/api/complaints/{trackingNo}";
            await IdempotencyStore.SaveAsync(c, tx, claim, StatusCodes.Status201Created, location, serialize(detail), complaint.SubmittedAt, ct);
            return new SubmitOutcome.Created(detail);
        }, ct);

    /// <summary>LH + the China date + a per-day sequence: short enough to read out on the phone, unique by construction.</summary>
    private async Task<string> NextTrackingNoAsync(DbConnection c, DbTransaction tx, DateTime submittedAt, CancellationToken ct)
    {
        var day = (submittedAt + ChinaOffset).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var sequence = await c.ExecuteScalarAsync<long>(new CommandDefinition(db.Dialect.NextCounterValue, new { Name = "tracking:" + day }, tx, cancellationToken: ct));
        return $"LH{day}-{sequence:D4}";
    }

    // Community and category names come from the in-memory directory, not from joins: this is the hottest read.
    private const string SelectComplaintColumns = """
        SELECT c.Id, c.TrackingNo, c.UserId, c.Description, c.Address, c.Latitude, c.Longitude, c.ContactPhoneMasked, c.Anonymous,
               c.Status, c.HandlingLevel, c.SubmittedAt, COALESCE(c.DueAt, c.ResolutionDueAt, c.ResponseDueAt) AS ResponseDueAt,
               c.CommunityId, c.CategoryId
        FROM Complaints c
        """;

    private const string SelectOwnComplaint = SelectComplaintColumns + """

        WHERE c.TrackingNo = @TrackingNo AND c.UserId = @UserId
        """;

    private const string SelectPublicEvents = """
        SELECT Id, Kind, Status, UnitName, Note, OccurredAt FROM ComplaintEvents
        WHERE ComplaintId = @ComplaintId AND IsPublic = @IsPublic
        ORDER BY Id
        """;

    /// <summary>The resident's own report with its public timeline; someone else's is simply not found.</summary>
    public Task<ComplaintDetail?> FindForUserAsync(string trackingNo, long userId, CancellationToken ct) =>
        db.ReadAsync(c => FindAsync(c, null, trackingNo, userId, ct), ct);

    private async Task<ComplaintDetail?> FindAsync(DbConnection c, DbTransaction? tx, string trackingNo, long userId, CancellationToken ct)
    {
        var complaint = await NamedAsync(await c.QuerySingleOrDefaultAsync<ComplaintRow>(new CommandDefinition(SelectOwnComplaint,
            new { TrackingNo = trackingNo, UserId = userId }, tx, cancellationToken: ct)), ct);
        if (complaint is null)
        {
            return null;
        }
        var events = await c.QueryAsync<ComplaintEventRow>(new CommandDefinition(SelectPublicEvents,
            new { ComplaintId = complaint.Id, IsPublic = true }, tx, cancellationToken: ct));
        return complaint.AsDetail(events);
    }

    private const string SelectOwnPage = SelectComplaintColumns + """

        WHERE c.UserId = @UserId AND (@Status IS NULL OR c.Status = @Status) AND (@BeforeId IS NULL OR c.Id < @BeforeId)
        ORDER BY c.Id DESC
        """;

    /// <summary>Newest first, by keyset: a page never shifts when new reports arrive while the resident scrolls.</summary>
    public Task<(IReadOnlyList<ComplaintListItem> Items, long? LastId)> ListForUserAsync(
        long userId, string? status, long? beforeId, int limit, CancellationToken ct) =>
        db.ReadAsync(async c =>
        {
            var rows = (await c.QueryAsync<ComplaintRow>(new CommandDefinition(SelectOwnPage + "\n" + db.Dialect.LimitRows,
                new { UserId = userId, Status = status, BeforeId = beforeId, Limit = limit + 1 }, cancellationToken: ct))).AsList();
            var names = await directory.GetAsync(ct);
            var page = rows.Take(limit).Select(r => Named(r, names)).ToList();
            long? last = rows.Count > limit ? page[^1].Id : null;
            return ((IReadOnlyList<ComplaintListItem>)page.Select(r => r.AsListItem()).ToList(), last);
        }, ct);

    private const string SelectAnyComplaint = SelectComplaintColumns + """

        WHERE c.TrackingNo = @TrackingNo
        """;

    private const string SelectAllEvents = """
        SELECT Id, Kind, Status, UnitName, Note, OccurredAt, IsPublic FROM ComplaintEvents
        WHERE ComplaintId = @ComplaintId
        ORDER BY Id
        """;

    /// <summary>The staff view: the whole timeline, internal notes included. Scope is checked by the caller.</summary>
    public Task<(ComplaintRow Complaint, IReadOnlyList<ComplaintEventRow> Events)?> FindForStaffAsync(string trackingNo, CancellationToken ct) =>
        db.ReadAsync<(ComplaintRow, IReadOnlyList<ComplaintEventRow>)?>(async c =>
        {
            var complaint = await NamedAsync(await c.QuerySingleOrDefaultAsync<ComplaintRow>(new CommandDefinition(SelectAnyComplaint, new { TrackingNo = trackingNo }, cancellationToken: ct)), ct);
            if (complaint is null)
            {
                return null;
            }
            var events = await c.QueryAsync<ComplaintEventRow>(new CommandDefinition(SelectAllEvents, new { ComplaintId = complaint.Id }, cancellationToken: ct));
            return (complaint, events.AsList());
        }, ct);

    private async ValueTask<ComplaintRow?> NamedAsync(ComplaintRow? row, CancellationToken ct) =>
        row is null ? null : Named(row, await directory.GetAsync(ct));

    private static ComplaintRow Named(ComplaintRow row, OrgDirectory.Snapshot names)
    {
        var community = names.CommunitiesById[row.CommunityId];
        var category = names.CategoriesById[row.CategoryId];
        return row with
        {
            CommunityCode = community.Code, CommunityName = community.Name,
            CategoryCode = category.Code, CategoryName = category.Name,
            CategoryIsEmergency = category.IsEmergency, CategoryHotline = category.Hotline,
        };
    }
}
