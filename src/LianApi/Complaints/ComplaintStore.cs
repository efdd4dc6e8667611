using System.Data.Common;
using System.Text.Json;
using Dapper;
using LianApi.Communities;
using LianApi.Data;
using LianApi.Idempotency;

namespace LianApi.Complaints;

public sealed record NewComplaint(
    long UserId, string ClientRequestId, CommunityRow Community, CategoryRow Category, string Description, string? Address,
    double? Latitude, double? Longitude, string? ContactPhoneProtected, string? ContactPhoneMasked, bool Anonymous,
    DateTime SubmittedAt, DateTime ResponseDueAt);

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

    // The stored resident view: web casing, Chinese kept readable.
    private static readonly JsonSerializerOptions ViewJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    // China Standard Time has no daylight saving, so a fixed offset is exact and needs no tz database.
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private const string InsertComplaint = """
        INSERT INTO Complaints (TrackingNo, UserId, ClientRequestId, CommunityId, CategoryId, Description, Address, Latitude, Longitude,
            ContactPhoneProtected, ContactPhoneMasked, Anonymous, Status, HandlingLevel, HandlingUnitId, SubmittedAt, ReceivedAt,
            ResponseDueAt, DueAt, UpdatedAt, Version, ResidentView)
        VALUES (@TrackingNo, @UserId, @ClientRequestId, @CommunityId, @CategoryId, @Description, @Address, @Latitude, @Longitude,
            @ContactPhoneProtected, @ContactPhoneMasked, @Anonymous, @Status, @HandlingLevel, @CommunityId, @SubmittedAt, @SubmittedAt,
            @ResponseDueAt, @ResponseDueAt, @SubmittedAt, 1, @ResidentView);
        """;

    private const string InsertEvent = """
        INSERT INTO ComplaintEvents (ComplaintId, Kind, Status, ActorUserId, UnitName, Note, IsPublic, OccurredAt)
        VALUES (@ComplaintId, @Kind, @Status, @ActorUserId, @UnitName, @Note, @IsPublic, @OccurredAt)
        """;

    private const string SelectTrackingNoByClientRequest =
        "SELECT TrackingNo FROM Complaints WHERE UserId = @UserId AND ClientRequestId = @ClientRequestId";

    /// <summary>
    /// Claims the idempotency key, numbers the report, stores it and its first timeline event in one transaction:
    /// when this returns Created the report is on disk (synchronous=FULL), and a retry can only replay it. The
    /// answer is built from what was written, so the write holds SQLite's single writer as briefly as possible.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(NewComplaint complaint, IdempotencyClaim claim, Func<ComplaintDetail, string> serialize, CancellationToken ct)
    {
        try
        {
            return await db.WriteAsync<SubmitOutcome>(async (c, tx) =>
            {
                if (await IdempotencyStore.FindAsync(c, tx, claim, ct) is { } done)
                {
                    return new SubmitOutcome.AlreadyDone(done);
                }
                var trackingNo = await NextTrackingNoAsync(c, tx, complaint.SubmittedAt, ct);
                var submitted = new ComplaintEventRow
                {
                    Kind = "submitted", Status = ComplaintStatus.Submitted, UnitName = complaint.Community.Name, OccurredAt = complaint.SubmittedAt, IsPublic = true,
                };
                var detail = Named(new ComplaintRow
                {
                    TrackingNo = trackingNo, UserId = complaint.UserId, Description = complaint.Description, Address = complaint.Address,
                    Latitude = complaint.Latitude, Longitude = complaint.Longitude, ContactPhoneMasked = complaint.ContactPhoneMasked,
                    Anonymous = complaint.Anonymous, Status = ComplaintStatus.Submitted, HandlingLevel = HandlingLevel.Community,
                    SubmittedAt = complaint.SubmittedAt, ResponseDueAt = complaint.ResponseDueAt,
                }, complaint.Community, complaint.Category).AsDetail([submitted]);
                // One batch: SQL Server's SCOPE_IDENTITY() only sees inserts of its own batch.
                var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertComplaint + "\n" + db.Dialect.SelectInsertedId, new
                {
                    TrackingNo = trackingNo, complaint.UserId, complaint.ClientRequestId, CommunityId = complaint.Community.Id, CategoryId = complaint.Category.Id,
                    complaint.Description, complaint.Address, complaint.Latitude, complaint.Longitude, complaint.ContactPhoneProtected,
                    complaint.ContactPhoneMasked, complaint.Anonymous, Status = ComplaintStatus.Submitted, HandlingLevel = HandlingLevel.Community,
                    complaint.SubmittedAt, complaint.ResponseDueAt, ResidentView = JsonSerializer.Serialize(detail, ViewJson),
                }, tx, cancellationToken: ct));
                await c.ExecuteAsync(new CommandDefinition(InsertEvent, new
                {
                    ComplaintId = id, submitted.Kind, submitted.Status, ActorUserId = complaint.UserId, submitted.UnitName,
                    Note = (string?)null, submitted.IsPublic, submitted.OccurredAt,
                }, tx, cancellationToken: ct));
                await IdempotencyStore.SaveAsync(c, tx, claim, StatusCodes.Status201Created, $"/api/complaints/{trackingNo}",
                    serialize(detail), complaint.SubmittedAt, ct);
                return new SubmitOutcome.Created(detail);
            }, ct);
        }
        catch (Exception e) when (DuplicateKey.Is(e))
        {
            // The report itself remembers its key (UserId, ClientRequestId): a retry that outlived its idempotency
            // row, or a duplicate that committed first on another connection. The failed unit left nothing behind.
            var filed = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(SelectTrackingNoByClientRequest,
                new { complaint.UserId, complaint.ClientRequestId }, cancellationToken: ct)), ct);
            return filed is not null && await FindForUserAsync(filed, complaint.UserId, ct) is { } existing
                ? new SubmitOutcome.AlreadyFiled(existing)
                : throw new DuplicateKeyException(e);
        }
    }

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

    private const string SelectOwnView = "SELECT ResidentView FROM Complaints WHERE TrackingNo = @TrackingNo AND UserId = @UserId";

    /// <summary>The resident's own report with its public timeline; someone else's is simply not found.</summary>
    public async Task<ComplaintDetail?> FindForUserAsync(string trackingNo, long userId, CancellationToken ct)
    {
        var view = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(SelectOwnView,
            new { TrackingNo = trackingNo, UserId = userId }, cancellationToken: ct)), ct);
        return view is null ? null : JsonSerializer.Deserialize<ComplaintDetail>(view, ViewJson);
    }

    private const string SelectComplaintWithPublicEvents = """
        SELECT c.Id, c.TrackingNo, c.UserId, c.Description, c.Address, c.Latitude, c.Longitude, c.ContactPhoneMasked, c.Anonymous,
               c.Status, c.HandlingLevel, c.SubmittedAt, COALESCE(c.DueAt, c.ResolutionDueAt, c.ResponseDueAt) AS ResponseDueAt,
               c.CommunityId, c.CategoryId,
               e.Id AS EventId, e.Kind, e.Status, e.UnitName, e.Note, e.OccurredAt
        FROM Complaints c
        LEFT JOIN ComplaintEvents e ON e.ComplaintId = c.Id AND e.IsPublic = @IsPublic
        WHERE c.Id = @Id
        ORDER BY e.Id
        """;

    private const string UpdateResidentView = "UPDATE Complaints SET ResidentView = @ResidentView WHERE Id = @Id";

    /// <summary>Rewrites what the resident sees, inside the transaction that changed the case.</summary>
    public async Task RefreshResidentViewAsync(DbConnection c, DbTransaction tx, long complaintId, CancellationToken ct)
    {
        var rows = (await c.QueryAsync<ComplaintRow, ComplaintEventRow?, (ComplaintRow Complaint, ComplaintEventRow? Event)>(
            new CommandDefinition(SelectComplaintWithPublicEvents, new { Id = complaintId, IsPublic = true }, tx, cancellationToken: ct),
            (complaint, e) => (complaint, e), splitOn: "EventId")).AsList();
        if (rows.Count == 0)
        {
            throw new InvalidOperationException($"Complaint {complaintId} vanished inside the transaction that changed it.");
        }
        var detail = Named(rows[0].Complaint, await directory.GetAsync(ct))
            .AsDetail(rows.Where(r => r.Event is { EventId: > 0 }).Select(r => r.Event! with { IsPublic = true }));
        await c.ExecuteAsync(new CommandDefinition(UpdateResidentView,
            new { ResidentView = JsonSerializer.Serialize(detail, ViewJson), Id = complaintId }, tx, cancellationToken: ct));
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
        SELECT Id AS EventId, Kind, Status, UnitName, Note, OccurredAt, IsPublic FROM ComplaintEvents
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

    private static ComplaintRow Named(ComplaintRow row, OrgDirectory.Snapshot names) =>
        Named(row, names.CommunitiesById[row.CommunityId], names.CategoriesById[row.CategoryId]);

    private static ComplaintRow Named(ComplaintRow row, CommunityRow community, CategoryRow category)
    {
        return row with
        {
            CommunityId = community.Id, CategoryId = category.Id, CommunityCode = community.Code, CommunityName = community.Name,
            CategoryCode = category.Code, CategoryName = category.Name,
            CategoryIsEmergency = category.IsEmergency, CategoryHotline = category.Hotline,
        };
    }
}
