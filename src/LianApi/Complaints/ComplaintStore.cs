using System.Data.Common;
using System.Text.Json;
using Dapper;
using LianApi.Communities;
using LianApi.Data;
using LianApi.Idempotency;
using LianApi.Photos;
using LianApi.Shared;

namespace LianApi.Complaints;

/// <summary>Tracking numbers are issued in upper case (LH20261202-0042); one read out or typed in lower case is the same.</summary>
public static class TrackingNumbers
{
    public static string Normalize(string trackingNo) => trackingNo.Trim().ToUpperInvariant();
}

/// <summary>How many reports one resident may file: in any 10 minutes, and in any 24 hours.</summary>
public sealed record SubmissionLimits(int Per10Minutes, int PerDay)
{
    public static readonly TimeSpan ShortWindow = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan LongWindow = TimeSpan.FromDays(1);

    /// <summary>Reports filed for residents by staff and partners: no resident's quota to count against.</summary>
    public static readonly SubmissionLimits None = new(int.MaxValue, int.MaxValue);

    /// <summary>
    /// Null when one more report fits; otherwise how long until it does. Decided by two reports: the Per10Minutes-th most
    /// recent within ten minutes and the PerDay-th most recent within the day (null when there are fewer), which the
    /// store reads by an index seek.
    /// </summary>
    public TimeSpan? WaitBeforeNext(DateTime? nthRecent, DateTime? nthOfDay, DateTime now)
    {
        TimeSpan? wait = nthRecent is { } r ? r + ShortWindow - now : null;
        if (nthOfDay is { } d)
        {
            var untilDay = d + LongWindow - now;
            wait = wait is { } w && w > untilDay ? w : untilDay;
        }
        return wait;
    }
}

/// <summary>The resident has filed as many reports as the limits allow; nothing of the refused request was stored.</summary>
public sealed class SubmissionLimitExceededException(TimeSpan retryAfter) : Exception("The resident's submission limit is reached.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

public sealed record NewComplaint(
    long UserId, string ClientRequestId, CommunityRow Community, CategoryRow Category, string Description, string? Address,
    double? Latitude, double? Longitude, string? ContactPhoneProtected, string? ContactPhoneMasked, bool Anonymous,
    DateTime SubmittedAt, DateTime ResponseDueAt, IReadOnlyList<string>? PhotoIds = null, IntakeFacts? Intake = null)
{
    /// <summary>The internal timeline step recording WeChat's text check, stored with the report; null when nothing was checked.</summary>
    public ComplaintEvent? ContentCheck { get; init; }
    public bool ContentReview { get; init; }
    public bool ContentUnchecked { get; init; }
    /// <summary>The resident agreed that the case may appear on the public wall and in Open311 once resolved.</summary>
    public bool PublicConsent { get; init; }
    /// <summary>The phone's keyed blind index (PhoneProtector.BlindIndex): how staff find the case by the number.</summary>
    public string? ContactPhoneIndex { get; init; }
}


/// <summary>
/// How a report came in beyond the resident's own form: the channel, the grid, and for a report recorded on a
/// resident's behalf who recorded it, the resident's name (protected like the phone) and whether they want a call back.
/// </summary>
public sealed record IntakeFacts(string Channel, GridRow? Grid, long? RecordedByStaffId, string? ResidentNameProtected, bool CallbackWanted,
    long? PhotoOwnerId = null, string? Partner = null);

/// <summary>A complaint with its whole timeline (internal events included), as staff and the state machine read it.</summary>
public sealed record ComplaintWithEvents(Complaint Complaint, IReadOnlyList<ComplaintEventRow> Events);

/// <summary>
/// The resident's view of a complaint as stored JSON, with the shape version it was written in. Stored views of the
/// current version are served as they are; older ones are rendered again from the rows.
/// </summary>
public sealed record ResidentView(string TrackingNo, string Json);

/// <summary>
/// The one owner of the Complaints table and its timeline. Every transition is one UPDATE guarded by the version the
/// decision was made on, plus its events and the resident's view, in one transaction: of two people acting at once,
/// one wins and one is told to reload.
/// </summary>
public sealed class ComplaintStore(Database db, OrgDirectory directory, PhotoStore photos, IEnumerable<IComplaintChangeListener>? listeners = null)
{
    private readonly IComplaintChangeListener[] changeListeners = [.. listeners ?? []];

    /// <summary>Bump when <see cref="ComplaintDetail"/> changes shape: stored views of older versions are re-rendered on read.</summary>
    public const int ResidentViewVersion = 3;

    // The stored resident view: the same casing, encoder and times as the HTTP responses, so it is served byte for byte.
    internal static readonly JsonSerializerOptions ViewJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        Converters = { new ChinaTimeJsonConverter() },
    };

    private static readonly string InsertComplaint = $"""
        INSERT INTO Complaints (TrackingNo, UserId, ClientRequestId, CommunityId, CategoryId, Description, Address, Latitude, Longitude,
            ContactPhoneProtected, ContactPhoneMasked, Anonymous, Status, HandlingLevel, HandlingUnitId, SubmittedAt, ReceivedAt,
            ResponseDueAt, DueAt, NextSweepAt, UpdatedAt, Version, ResidentView, ResidentViewVersion, ContentReview, ContentUnchecked, PublicConsent,
            StreetId, UrgencyRank, DueSort, ContactPhoneIndex)
        VALUES (@TrackingNo, @UserId, @ClientRequestId, @CommunityId, @CategoryId, @Description, @Address, @Latitude, @Longitude,
            @ContactPhoneProtected, @ContactPhoneMasked, @Anonymous, @Status, @HandlingLevel, @CommunityId, @SubmittedAt, @SubmittedAt,
            @ResponseDueAt, @ResponseDueAt, @ResponseDueAt, @SubmittedAt, 1, @ResidentView, @ResidentViewVersion, @ContentReview, @ContentUnchecked, @PublicConsent,
            @StreetId, {Complaint.NewReportRank}, @ResponseDueAt, @ContactPhoneIndex);
        """;

    private const string InsertFirstEvent = """
        INSERT INTO ComplaintEvents (ComplaintId, Kind, Status, ActorUserId, UnitName, Note, IsPublic, OccurredAt, PhotoIds)
        VALUES (@ComplaintId, @Kind, @Status, @ActorUserId, @UnitName, NULL, @IsPublic, @OccurredAt, @PhotoIds);
        """;

    // The intake facts of a new report, in its creating transaction (the INSERT stays the resident's own).
    private const string UpdateIntake = """
        UPDATE Complaints SET Channel = @Channel, GridId = @GridId, RecordedByStaffId = @RecordedByStaffId,
            ResidentNameProtected = @ResidentNameProtected, CallbackWanted = @CallbackWanted, Partner = @Partner
        WHERE Id = @ComplaintId;
        """;

    // What WeChat's text check said, right after the submission, internal; written in the same command as the first event.
    private const string InsertContentCheckEvent = """
        INSERT INTO ComplaintEvents (ComplaintId, Kind, Status, ActorUserId, UnitName, Note, IsPublic, OccurredAt)
        VALUES (@ComplaintId, @CheckKind, @Status, NULL, @CheckUnitName, @CheckNote, @CheckIsPublic, @OccurredAt);
        """;

    // The two reports that decide the limits (the N-th most recent in each window), read from (UserId, SubmittedAt):
    // reading every report of the day made each submission cost as many rows as the resident had filed.
    internal static string SelectDecidingSubmissions(SqlDialect dialect) => $"""
        SELECT SubmittedAt FROM Complaints WHERE UserId = @UserId AND SubmittedAt > @ShortSince ORDER BY SubmittedAt DESC {dialect.NthRow("@RecentSkip")};
        SELECT SubmittedAt FROM Complaints WHERE UserId = @UserId AND SubmittedAt > @Since ORDER BY SubmittedAt DESC {dialect.NthRow("@DaySkip")};
        """;

    /// <summary>
    /// Claims the idempotency key, counts the resident's recent reports, numbers the report (LH + the Beijing date + a
    /// per-day sequence) and stores it with its first timeline event, in one transaction: when this returns the report
    /// is on disk (synchronous=FULL), and a retry can only replay it. The key is claimed first, so a retry of a report in
    /// flight is a duplicate key (replayed), never a spent quota. A duplicate key, or a full quota
    /// (<see cref="SubmissionLimitExceededException"/>), throws and leaves nothing behind.
    /// </summary>
    public Task<ResidentView> SubmitAsync(NewComplaint complaint, IdempotencyClaim claim, SubmissionLimits limits, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var day = BeijingDay.Of(complaint.SubmittedAt).Stamp;
            var batch = db.Batch(c, tx);
            IdempotencyStore.AppendClaim(batch, claim, StatusCodes.Status201Created, complaint.SubmittedAt);
            batch.Append(SelectDecidingSubmissions(db.Dialect) + db.Dialect.NextCounterValue, new
            {
                complaint.UserId, ShortSince = complaint.SubmittedAt - SubmissionLimits.ShortWindow, RecentSkip = Math.Max(0, limits.Per10Minutes - 1),
                Since = complaint.SubmittedAt - SubmissionLimits.LongWindow, DaySkip = Math.Max(0, limits.PerDay - 1), Name = "tracking:" + day,
            });
            long sequence;
            await using (var first = await batch.QueryMultipleAsync(ct))
            {
                var nthRecent = await first.ReadSingleOrDefaultAsync<DateTime?>();
                var nthOfDay = await first.ReadSingleOrDefaultAsync<DateTime?>();
                sequence = await first.ReadSingleOrDefaultAsync<long>();
                if (limits.WaitBeforeNext(nthRecent, nthOfDay, complaint.SubmittedAt) is { } wait)
                {
                    throw new SubmissionLimitExceededException(wait);
                }
            }
            var trackingNo = $"LH{day}-{sequence:D4}";
            var submitted = new ComplaintEventRow
            {
                Kind = EventKinds.Submitted, Status = ComplaintStatus.Submitted, UnitName = complaint.Community.Name,
                OccurredAt = complaint.SubmittedAt, IsPublic = true, PhotoIds = PhotoIdList.Join(complaint.PhotoIds),
            };
            var row = Named(new Complaint
            {
                TrackingNo = trackingNo, UserId = complaint.UserId, Description = complaint.Description, Address = complaint.Address,
                Latitude = complaint.Latitude, Longitude = complaint.Longitude, ContactPhoneMasked = complaint.ContactPhoneMasked,
                Anonymous = complaint.Anonymous, Status = ComplaintStatus.Submitted, HandlingLevel = HandlingLevel.Community,
                HandlingUnitId = complaint.Community.Id, HandlingUnitName = complaint.Community.Name,
                SubmittedAt = complaint.SubmittedAt, ReceivedAt = complaint.SubmittedAt, ResponseDueAt = complaint.ResponseDueAt,
                PublicConsent = complaint.PublicConsent,
            }, complaint.Community, complaint.Category);
            var view = JsonSerializer.Serialize(row.AsDetail([submitted]), ViewJson);
            // One batch: SQL Server's SCOPE_IDENTITY() only sees inserts of its own batch.
            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertComplaint + "\n" + db.Dialect.SelectInsertedId, new
            {
                TrackingNo = trackingNo, complaint.UserId, complaint.ClientRequestId, CommunityId = complaint.Community.Id, CategoryId = complaint.Category.Id,
                complaint.Description, complaint.Address, complaint.Latitude, complaint.Longitude, complaint.ContactPhoneProtected,
                complaint.ContactPhoneMasked, complaint.Anonymous, Status = ComplaintStatus.Submitted, HandlingLevel = HandlingLevel.Community,
                complaint.SubmittedAt, complaint.ResponseDueAt, ResidentView = view, ResidentViewVersion, complaint.Community.StreetId,
                complaint.ContentReview, complaint.ContentUnchecked, complaint.PublicConsent, complaint.ContactPhoneIndex,
            }, tx, cancellationToken: ct));
            var check = complaint.ContentCheck;
            batch.Append(check is null ? InsertFirstEvent : InsertFirstEvent + InsertContentCheckEvent, new
            {
                ComplaintId = id, submitted.Kind, submitted.Status, ActorUserId = complaint.UserId, submitted.UnitName, submitted.IsPublic,
                submitted.OccurredAt, submitted.PhotoIds,
                CheckKind = check?.Kind, CheckUnitName = check?.UnitName, CheckNote = check?.Note, CheckIsPublic = false,
            });
            if (complaint.Intake is { } intake)
            {
                batch.Append(UpdateIntake, new
                {
                    intake.Channel, GridId = intake.Grid?.Id, intake.RecordedByStaffId, intake.ResidentNameProtected, intake.CallbackWanted, intake.Partner,
                });
                row = row with
                {
                    Channel = intake.Channel, GridId = intake.Grid?.Id, GridCode = intake.Grid?.Code, GridName = intake.Grid?.Name,
                    RecordedByStaffId = intake.RecordedByStaffId, CallbackWanted = intake.CallbackWanted, Partner = intake.Partner,
                };
            }
            // What must be written with the report (its numbers, the staff's alerts) joins the same batch.
            await NotifyAsync(batch, new ComplaintChange(null, row with { Id = id, Version = 1 }, [submitted], Actor.Resident(complaint.UserId), complaint.SubmittedAt), ct);
            await batch.ExecuteAsync(ct);
            // In the report's transaction: a photo that cannot be attached (PhotoNotAttachableException) leaves no report behind.
            // A report recorded by staff carries the photos the recorder took (its owner is an intake user, not them).
            foreach (var flag in await photos.AttachAsync(c, tx, complaint.PhotoIds ?? [], complaint.Intake?.PhotoOwnerId ?? complaint.UserId, id,
                PhotoPurposes.Report, complaint.SubmittedAt, ct))
            {
                // A verdict (or a missed check) that came before the report: the case is flagged as it is created.
                await FlagForPhotoAsync(c, tx, id, flag, complaint.SubmittedAt, bumpVersion: false, ct);
            }
            return new ResidentView(trackingNo, view);
        }, ct);

    private const string SelectOwnView = """
        SELECT TrackingNo, ResidentView, ResidentViewVersion FROM Complaints
        WHERE TrackingNo = @TrackingNo AND UserId = @UserId
        """;

    private const string SelectOwnViewByClientRequest = """
        SELECT TrackingNo, ResidentView, ResidentViewVersion FROM Complaints
        WHERE UserId = @UserId AND ClientRequestId = @ClientRequestId
        """;

    private sealed record StoredView
    {
        public string TrackingNo { get; init; } = "";
        public string? ResidentView { get; init; }
        public int ResidentViewVersion { get; init; }
    }

    /// <summary>The resident's own report as they see it; someone else's is simply not found. One indexed lookup.</summary>
    public async Task<ResidentView?> FindForUserAsync(string trackingNo, long userId, CancellationToken ct) =>
        await CurrentAsync(await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<StoredView>(new CommandDefinition(SelectOwnView,
            new { TrackingNo = TrackingNumbers.Normalize(trackingNo), UserId = userId }, cancellationToken: ct)), ct), ct);

    /// <summary>The report a resident's client filed under this request key, whatever became of the idempotency row.</summary>
    public async Task<ResidentView?> FindByClientRequestAsync(long userId, string clientRequestId, CancellationToken ct) =>
        await CurrentAsync(await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<StoredView>(new CommandDefinition(SelectOwnViewByClientRequest,
            new { UserId = userId, ClientRequestId = clientRequestId }, cancellationToken: ct)), ct), ct);

    private async Task<ResidentView?> CurrentAsync(StoredView? stored, CancellationToken ct)
    {
        if (stored is null)
        {
            return null;
        }
        if (stored.ResidentViewVersion == ResidentViewVersion && stored.ResidentView is { } json)
        {
            return new ResidentView(stored.TrackingNo, json);
        }
        // Written by an older shape: render it again from the rows (the next transition stores the new shape).
        var loaded = await LoadAsync(stored.TrackingNo, ct);
        return new ResidentView(stored.TrackingNo, JsonSerializer.Serialize(loaded!.Complaint.AsDetail(loaded.Events), ViewJson));
    }

    private const string ComplaintColumns = """
        Id, TrackingNo, Version, UserId, Description, Address, Latitude, Longitude, ContactPhoneMasked, Anonymous, SubmittedAt,
               CommunityId, CategoryId, Status, HandlingLevel, HandlingUnitId, DepartmentId, COALESCE(ReceivedAt, SubmittedAt) AS ReceivedAt,
               ResponseDueAt, AcceptedAt, ResolutionDueAt, IsOverdue, IsSupervised, UrgeCount, LastUrgedAt, ExtensionRequestedUntil,
               ReopenCount, LastHandlingLevel, LastHandlingUnitId, ResolvedAt, ClosedAt, CloseReason, ContentReview, ContentUnchecked,
               FirstAcceptedAt, ResponseMissed, ReturnCount, ExtensionCount, LeftCommunityLevel, ResolutionCount, ResolvedWorkingDays,
               LastEvaluationResolved, LastSatisfaction, LastCallBackResolved, LastCallBackSatisfaction,
               WhistledDepartmentId, WhistleReported, WhistleReportedOnTime, LastResolvedByStaffId,
               Channel, GridId, RecordedByStaffId, AssignedStaffId, CallbackWanted, WhistlePending, PublicConsent, Unpublished, Partner,
               (SELECT g.Code FROM Grids g WHERE g.Id = Complaints.GridId) AS GridCode,
               (SELECT g.Name FROM Grids g WHERE g.Id = Complaints.GridId) AS GridName,
               (SELECT s.Name FROM Staff s WHERE s.Id = Complaints.AssignedStaffId) AS AssignedStaffName
        """;

    private const string SelectComplaintColumns = "SELECT " + ComplaintColumns + "\nFROM Complaints";

    // ResidentStatus.RoundProgress in SQL: the highest rank (accepted 1, in_progress 2) of the events since the last reopen.
    private const string RoundProgress = """
        COALESCE((SELECT MAX(CASE e.Status WHEN @AcceptedStatus THEN 1 WHEN @InProgressStatus THEN 2 ELSE 0 END) FROM ComplaintEvents e
                  WHERE e.ComplaintId = Complaints.Id
                    AND e.Id >= COALESCE((SELECT MAX(r.Id) FROM ComplaintEvents r WHERE r.ComplaintId = Complaints.Id AND r.Kind = @ReopenedKind), 0)), 0)
        """;

    // The status filter is the resident's status: an open case matches by its round's progress, the others by their status.
    private const string SelectOwnPage = "SELECT " + ComplaintColumns + ",\n       " + RoundProgress + " AS RoundProgress\nFROM Complaints\n" + """
        WHERE UserId = @UserId AND (@BeforeId IS NULL OR Id < @BeforeId)
          AND (@Status IS NULL
               OR (@Progress IS NULL AND Status = @Status)
               OR (@Progress IS NOT NULL AND Status IN (@SubmittedStatus, @AcceptedStatus, @InProgressStatus) AND
        """ + "\n" + RoundProgress + " = @Progress))\n" + """
        ORDER BY Id DESC
        """;

    /// <summary>Newest first, by keyset: a page never shifts when new reports arrive while the resident scrolls.</summary>
    public async Task<(IReadOnlyList<ComplaintListItem> Items, long? LastId)> ListForUserAsync(
        long userId, string? status, long? beforeId, int limit, CancellationToken ct)
    {
        int? progress = status is ComplaintStatus.Submitted or ComplaintStatus.Accepted or ComplaintStatus.InProgress ? ResidentStatus.Rank(status) : null;
        var rows = await db.ReadAsync(async c =>
        {
            await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(SelectOwnPage + "\n" + db.Dialect.LimitRows, new
            {
                UserId = userId, Status = status, Progress = progress, BeforeId = beforeId, Limit = limit + 1,
                SubmittedStatus = ComplaintStatus.Submitted, AcceptedStatus = ComplaintStatus.Accepted, InProgressStatus = ComplaintStatus.InProgress,
                ReopenedKind = EventKinds.Reopened,
            }, cancellationToken: ct));
            var complaint = reader.GetRowParser<Complaint>();
            var read = new List<(Complaint Row, int Progress)>();
            while (await reader.ReadAsync(ct))
            {
                read.Add((complaint(reader), Convert.ToInt32(reader.GetValue(reader.GetOrdinal("RoundProgress")), System.Globalization.CultureInfo.InvariantCulture)));
            }
            return read;
        }, ct);
        var names = await NamesAsync(rows.Select(r => r.Row), ct);
        var page = rows.Take(limit).Select(r => (Row: Named(r.Row, names), r.Progress)).ToList();
        long? last = rows.Count > limit ? page[^1].Row.Id : null;
        return (page.Select(r => r.Row.AsListItem(r.Progress)).ToList(), last);
    }

    private const string SelectWithEvents = SelectComplaintColumns + """

        WHERE TrackingNo = @TrackingNo;
        SELECT e.Kind, e.Status, e.UnitName, e.Note, e.OccurredAt, e.IsPublic, e.PhotoIds,
               s.Name AS StaffName, s.UnitName AS StaffUnitName, s.Role AS StaffRole
        FROM ComplaintEvents e JOIN Complaints c ON c.Id = e.ComplaintId
        LEFT JOIN Staff s ON s.Id = e.StaffId
        WHERE c.TrackingNo = @TrackingNo
        ORDER BY e.Id;
        """;

    /// <summary>A complaint and its whole timeline in one round trip; scope is the caller's to check.</summary>
    public async Task<ComplaintWithEvents?> LoadAsync(string trackingNo, CancellationToken ct)
    {
        var (complaint, events) = await db.ReadAsync(async c =>
        {
            await using var grid = await c.QueryMultipleAsync(new CommandDefinition(SelectWithEvents,
                new { TrackingNo = TrackingNumbers.Normalize(trackingNo) }, cancellationToken: ct));
            var row = await grid.ReadSingleOrDefaultAsync<Complaint>();
            return (row, row is null ? [] : (await grid.ReadAsync<ComplaintEventRow>()).AsList());
        }, ct);
        return complaint is null ? null : new ComplaintWithEvents(Named(complaint, await NamesAsync([complaint], ct)), events);
    }

    private const string SelectComplaintById = SelectComplaintColumns + "\nWHERE Id = @Id";

    /// <summary>A complaint without its timeline, by its internal id (what a photo records); scope is the caller's to check.</summary>
    public async Task<Complaint?> FindByIdAsync(long id, CancellationToken ct)
    {
        var row = await db.ReadAsync(c => c.QuerySingleOrDefaultAsync<Complaint>(new CommandDefinition(SelectComplaintById, new { Id = id }, cancellationToken: ct)), ct);
        return row is null ? null : Named(row, await NamesAsync([row], ct));
    }

    private const string SelectSweepCandidates = SelectComplaintColumns + """

        WHERE NextSweepAt < @Now
        ORDER BY NextSweepAt, Id
        """;

    /// <summary>Cases whose next deadline has passed (an index seek, empty when nothing is due); the sweep decides what it means.</summary>
    public async Task<IReadOnlyList<Complaint>> ListSweepCandidatesAsync(DateTime now, int limit, CancellationToken ct)
    {
        var rows = await db.ReadAsync(async c => (await c.QueryAsync<Complaint>(new CommandDefinition(
            SelectSweepCandidates + "\n" + db.Dialect.LimitRows, new { Now = now, Limit = limit }, cancellationToken: ct))).AsList(), ct);
        var names = await NamesAsync(rows, ct);
        return rows.Select(r => Named(r, names)).ToList();
    }

    private const string UpdateComplaint = """
        UPDATE Complaints SET
            Status = @Status, HandlingLevel = @HandlingLevel, HandlingUnitId = @HandlingUnitId, DepartmentId = @DepartmentId,
            ReceivedAt = @ReceivedAt, ResponseDueAt = @ResponseDueAt, AcceptedAt = @AcceptedAt, ResolutionDueAt = @ResolutionDueAt,
            DueAt = @DueAt, NextSweepAt = @NextSweepAt, Priority = @Priority, UrgencyRank = @UrgencyRank, DueSort = @DueSort, IsOverdue = @IsOverdue, IsSupervised = @IsSupervised, UrgeCount = @UrgeCount,
            LastUrgedAt = @LastUrgedAt, ExtensionRequestedUntil = @ExtensionRequestedUntil, ReopenCount = @ReopenCount,
            LastHandlingLevel = @LastHandlingLevel, LastHandlingUnitId = @LastHandlingUnitId, ResolvedAt = @ResolvedAt,
            ClosedAt = @ClosedAt, CloseReason = @CloseReason, UpdatedAt = @Now, Version = Version + 1,
            FirstAcceptedAt = @FirstAcceptedAt, ResponseMissed = @ResponseMissed, ReturnCount = @ReturnCount, ExtensionCount = @ExtensionCount,
            LeftCommunityLevel = @LeftCommunityLevel, ResolutionCount = @ResolutionCount, ResolvedWorkingDays = @ResolvedWorkingDays,
            LastEvaluationResolved = @LastEvaluationResolved, LastSatisfaction = @LastSatisfaction,
            LastCallBackResolved = @LastCallBackResolved, LastCallBackSatisfaction = @LastCallBackSatisfaction,
            WhistledDepartmentId = @WhistledDepartmentId, WhistleReported = @WhistleReported, WhistleReportedOnTime = @WhistleReportedOnTime,
            LastResolvedByStaffId = @LastResolvedByStaffId,
            AssignedStaffId = @AssignedStaffId, WhistlePending = @WhistlePending,
            ResidentView = @ResidentView, ResidentViewVersion = @ResidentViewVersion, LastWriteId = @WriteId,
            ContentReview = @ContentReview, ContentUnchecked = @ContentUnchecked, Unpublished = @Unpublished
        WHERE Id = @Id AND Version = @Version
        """;

    private const string InsertEvent = """
        INSERT INTO ComplaintEvents (ComplaintId, Kind, Status, ActorUserId, StaffId, UnitName, Note, IsPublic, OccurredAt, PhotoIds)
        VALUES (@ComplaintId, @Kind, @Status, @ActorUserId, @StaffId, @UnitName, @Note, @IsPublic, @OccurredAt, @PhotoIds);
        """;

    // 回访 by the dispatch center, in the batch of its transition (ComplaintId, StaffId and OccurredAt are the batch's).
    private const string InsertCallBack = """
        INSERT INTO CallBacks (ComplaintId, StaffId, UnitLevel, UnitId, Resolved, Satisfaction, Comment, Rated, CalledAt)
        VALUES (@ComplaintId, @StaffId, @CallBackLevel, @CallBackUnitId, @CallBackResolved, @CallBackSatisfaction, @CallBackComment, @CallBackRated, @OccurredAt);
        """;

    private const string SelectLastWriteId = "SELECT LastWriteId FROM Complaints WHERE Id = @Id";

    private const string InsertEvaluation = """
        INSERT INTO ComplaintEvaluations (ComplaintId, Round, Resolved, Satisfaction, Comment, EvaluatedAt, ByPhone)
        VALUES (@ComplaintId, @Round, @Resolved, @Satisfaction, @Comment, @EvaluatedAt, @ByPhone);
        """;

    /// <summary>
    /// Writes <paramref name="transition"/> if nobody changed the complaint since <paramref name="loaded"/> was read,
    /// and answers the complaint as it is now (null: someone else acted first, the caller answers 409). The events read
    /// with the complaint are complete when the guarded update succeeds, so the new resident view and the answer are
    /// built in memory: two statements, no re-read.
    /// </summary>
    public Task<ComplaintWithEvents?> ApplyAsync(ComplaintWithEvents loaded, Transition transition, Actor actor, DateTime now,
        CancellationToken ct, Evaluation? evaluation = null) =>
        ApplyAsync(loaded, transition, actor, now, Guid.NewGuid().ToString("N"), evaluation, ct);

    /// <summary>The same, with the unit's write id given: every run of one unit (its retries) carries the same id.</summary>
    internal async Task<ComplaintWithEvents?> ApplyAsync(ComplaintWithEvents loaded, Transition transition, Actor actor, DateTime now,
        string writeId, Evaluation? evaluation, CancellationToken ct)
    {
        // The case may have moved to another unit: the view names the one holding it after the transition.
        var names = await NamesAsync([transition.Next], ct);
        return await db.WriteAsync<ComplaintWithEvents?>(async (c, tx) =>
        {
            var before = loaded.Complaint;
            var next = CaseFacts.Advance(before, transition.Next, transition.Events, evaluation, transition.CallBack, actor.Staff?.Id, now)
                with { HandlingUnitName = UnitName(transition.Next, names), Version = loaded.Complaint.Version + 1 };
            var added = transition.Events.Select(e => new ComplaintEventRow
            {
                Kind = e.Kind, Status = next.Status, UnitName = e.UnitName ?? actor.UnitName, Note = e.Note, IsPublic = e.IsPublic, OccurredAt = now,
                PhotoIds = PhotoIdList.Join(e.PhotoIds), StaffName = actor.Staff?.Name, StaffUnitName = actor.Staff?.UnitName, StaffRole = actor.Staff?.Role,
            }).ToList();
            var events = (IReadOnlyList<ComplaintEventRow>)[.. loaded.Events, .. added];
            var updated = await c.ExecuteScalarAsync<int>(new CommandDefinition(UpdateComplaint + ";\n" + db.Dialect.SelectRowsAffected, new
            {
                next.Status, next.HandlingLevel, next.HandlingUnitId, next.DepartmentId, next.ReceivedAt, next.ResponseDueAt,
                next.AcceptedAt, next.ResolutionDueAt, next.DueAt, next.NextSweepAt, next.Priority, next.UrgencyRank, next.DueSort, next.IsOverdue, next.IsSupervised, next.UrgeCount,
                next.LastUrgedAt, next.ExtensionRequestedUntil, next.ReopenCount, next.LastHandlingLevel, next.LastHandlingUnitId,
                next.ResolvedAt, next.ClosedAt, next.CloseReason, next.ContentReview, next.ContentUnchecked, Now = now, before.Id, before.Version,
                next.AssignedStaffId, next.WhistlePending, next.Unpublished,
                next.FirstAcceptedAt, next.ResponseMissed, next.ReturnCount, next.ExtensionCount, next.LeftCommunityLevel, next.ResolutionCount,
                next.ResolvedWorkingDays, next.LastEvaluationResolved, next.LastSatisfaction, next.LastCallBackResolved, next.LastCallBackSatisfaction,
                next.WhistledDepartmentId, next.WhistleReported, next.WhistleReportedOnTime, next.LastResolvedByStaffId,
                ResidentView = JsonSerializer.Serialize(next.AsDetail(events), ViewJson), ResidentViewVersion, WriteId = writeId,
            }, tx, cancellationToken: ct));
            if (updated == 0)
            {
                // A retry of this very unit after an ambiguous commit (SQL Server 40197/40613 at COMMIT) finds its own
                // write done; anything else lost the race.
                var lastWrite = await c.ExecuteScalarAsync<string?>(new CommandDefinition(SelectLastWriteId, new { before.Id }, tx, cancellationToken: ct));
                return lastWrite == writeId ? new ComplaintWithEvents(next, events) : null;
            }
            var batch = db.Batch(c, tx);
            batch.Parameters.AddDynamicParams(new { ComplaintId = before.Id, ActorUserId = actor.UserId, StaffId = actor.Staff?.Id, next.Status, OccurredAt = now });
            for (var i = 0; i < added.Count; i++)
            {
                // One batch for all of the transition's events (and the rating): one round trip whatever their number.
                batch.Append(InsertEvent.Replace("@Kind", $"@Kind{i}").Replace("@UnitName", $"@UnitName{i}").Replace("@Note", $"@Note{i}")
                    .Replace("@IsPublic", $"@IsPublic{i}").Replace("@PhotoIds", $"@PhotoIds{i}"));
                batch.Parameters.Add($"Kind{i}", added[i].Kind);
                batch.Parameters.Add($"UnitName{i}", added[i].UnitName);
                batch.Parameters.Add($"Note{i}", added[i].Note);
                batch.Parameters.Add($"IsPublic{i}", added[i].IsPublic);
                batch.Parameters.Add($"PhotoIds{i}", added[i].PhotoIds);
            }
            if (evaluation is not null)
            {
                batch.Append(InsertEvaluation, new
                {
                    Round = before.ReopenCount, evaluation.Resolved, evaluation.Satisfaction, evaluation.Comment, EvaluatedAt = now, evaluation.ByPhone,
                });
            }
            if (transition.CallBack is { } callBack)
            {
                batch.Append(InsertCallBack, new
                {
                    CallBackLevel = callBack.UnitLevel, CallBackUnitId = callBack.UnitId, CallBackResolved = callBack.Resolved,
                    CallBackSatisfaction = callBack.Satisfaction, CallBackComment = callBack.Comment, CallBackRated = callBack.Rated,
                });
            }
            // What must move with the case (its numbers, the alerts) joins the same batch.
            await NotifyAsync(batch, new ComplaintChange(before, next, added, actor, now), ct);
            await batch.ExecuteAsync(ct);
            foreach (var e in transition.Events.Where(e => e.PhotoIds is { Count: > 0 }))
            {
                // Staff photos (办结照片, a reply's) join the case with the step that shows them, or not at all.
                var flags = await photos.AttachAsync(c, tx, e.PhotoIds!, actor.UserId ?? 0, before.Id,
                    e.Kind == EventKinds.Resolved ? PhotoPurposes.Resolution : PhotoPurposes.Reply, now, ct);
                foreach (var flag in flags)
                {
                    // Within this write (its version already counted); the answer shows the flag too.
                    await FlagForPhotoAsync(c, tx, before.Id, flag, now, bumpVersion: false, ct);
                    next = flag.Review ? next with { ContentReview = true } : next with { ContentUnchecked = true };
                }
            }
            return new ComplaintWithEvents(next, events);
        }, ct);
    }

    private async Task NotifyAsync(WriteBatch batch, ComplaintChange change, CancellationToken ct)
    {
        foreach (var listener in changeListeners)
        {
            await listener.WriteAsync(batch, change, ct);
        }
    }

    // A whole history at once (demo data): the final state in one INSERT, so each index of Complaints is written once.
    private const string ImportComplaint = """
        INSERT INTO Complaints (
            TrackingNo, UserId, ClientRequestId, CommunityId, CategoryId, Description, Address, Latitude, Longitude,
            ContactPhoneProtected, ContactPhoneMasked, Anonymous, Status, HandlingLevel, HandlingUnitId,
            DepartmentId, SubmittedAt, ReceivedAt, ResponseDueAt, AcceptedAt, ResolutionDueAt, DueAt, NextSweepAt,
            Priority, UrgencyRank, DueSort, IsOverdue, IsSupervised, UrgeCount, LastUrgedAt, ExtensionRequestedUntil,
            ReopenCount, LastHandlingLevel, LastHandlingUnitId, ResolvedAt, ClosedAt, CloseReason, UpdatedAt,
            Version, FirstAcceptedAt, ResponseMissed, ReturnCount, ExtensionCount, LeftCommunityLevel,
            ResolutionCount, ResolvedWorkingDays, LastEvaluationResolved, LastSatisfaction, LastCallBackResolved,
            LastCallBackSatisfaction, ResidentView, ResidentViewVersion, ContentReview, ContentUnchecked, PublicConsent, StreetId,
            WhistledDepartmentId, WhistleReported, WhistleReportedOnTime, LastResolvedByStaffId)
        VALUES (
            @TrackingNo, @UserId, @ClientRequestId, @CommunityId, @CategoryId, @Description, @Address, @Latitude,
            @Longitude, @ContactPhoneProtected, @ContactPhoneMasked, @Anonymous, @Status, @HandlingLevel,
            @HandlingUnitId, @DepartmentId, @SubmittedAt, @ReceivedAt, @ResponseDueAt, @AcceptedAt, @ResolutionDueAt,
            @DueAt, @NextSweepAt, @Priority, @UrgencyRank, @DueSort, @IsOverdue, @IsSupervised, @UrgeCount,
            @LastUrgedAt, @ExtensionRequestedUntil, @ReopenCount, @LastHandlingLevel, @LastHandlingUnitId,
            @ResolvedAt, @ClosedAt, @CloseReason, @UpdatedAt, @Version, @FirstAcceptedAt, @ResponseMissed,
            @ReturnCount, @ExtensionCount, @LeftCommunityLevel, @ResolutionCount, @ResolvedWorkingDays,
            @LastEvaluationResolved, @LastSatisfaction, @LastCallBackResolved, @LastCallBackSatisfaction, @ResidentView,
            @ResidentViewVersion, @ContentReview, @ContentUnchecked, @PublicConsent, @StreetId,
            @WhistledDepartmentId, @WhistleReported, @WhistleReportedOnTime, @LastResolvedByStaffId);
        """;

    /// <summary>
    /// Writes whole case histories made elsewhere (the demo-data verb) with the app's own statements: the report as
    /// submitted, its final state as the last transition leaves it, its timeline and ratings; many cases a transaction.
    /// The statistics rollups are rebuilt afterwards by the caller (StatsStore.RebuildAsync).
    /// </summary>
    internal Task ImportAsync(IReadOnlyList<ImportedComplaint> cases, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            foreach (var imported in cases)
            {
                var (first, last) = (imported.Submitted, imported.Final);
                var sequence = await c.ExecuteScalarAsync<long>(new CommandDefinition(db.Dialect.NextCounterValue,
                    new { Name = "tracking:" + BeijingDay.Of(first.SubmittedAt).Stamp }, tx, cancellationToken: ct));
                var trackingNo = $"LH{BeijingDay.Of(first.SubmittedAt).Stamp}-{sequence:D4}";
                var view = JsonSerializer.Serialize((last with { TrackingNo = trackingNo }).AsDetail(imported.Events), ViewJson);
                var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(ImportComplaint + "\n" + db.Dialect.SelectInsertedId, new
                {
                    TrackingNo = trackingNo, first.UserId, imported.ClientRequestId, first.CommunityId, first.CategoryId, first.Description,
                    first.Address, first.Latitude, first.Longitude, ContactPhoneProtected = (string?)null, first.ContactPhoneMasked, first.Anonymous,
                    last.Status, last.HandlingLevel, last.HandlingUnitId, last.DepartmentId, first.SubmittedAt, last.ReceivedAt, last.ResponseDueAt,
                    last.AcceptedAt, last.ResolutionDueAt, last.DueAt, last.NextSweepAt, last.Priority, last.UrgencyRank, last.DueSort, last.IsOverdue,
                    last.IsSupervised, last.UrgeCount, last.LastUrgedAt, last.ExtensionRequestedUntil, last.ReopenCount, last.LastHandlingLevel,
                    last.LastHandlingUnitId, last.ResolvedAt, last.ClosedAt, last.CloseReason, UpdatedAt = imported.Events[^1].OccurredAt, Version = 1,
                    last.FirstAcceptedAt, last.ResponseMissed, last.ReturnCount, last.ExtensionCount, last.LeftCommunityLevel, last.ResolutionCount,
                    last.ResolvedWorkingDays, last.LastEvaluationResolved, last.LastSatisfaction, last.LastCallBackResolved,
                    last.LastCallBackSatisfaction, ResidentView = view, ResidentViewVersion,
                    last.ContentReview, last.ContentUnchecked, first.PublicConsent, first.StreetId,
                    last.WhistledDepartmentId, last.WhistleReported, last.WhistleReportedOnTime, last.LastResolvedByStaffId,
                }, tx, cancellationToken: ct));
                await c.ExecuteAsync(new CommandDefinition(InsertEvent, imported.Events.Select(e => new
                {
                    ComplaintId = id, e.Kind, e.Status, ActorUserId = e.Kind is EventKinds.Submitted or EventKinds.Evaluated or EventKinds.Urged ? first.UserId : (long?)null,
                    StaffId = (long?)null, e.UnitName, e.Note, e.IsPublic, e.OccurredAt, e.PhotoIds,
                }), tx, cancellationToken: ct));
                var text = db.Batch(c, tx);
                CaseText.AppendNew(text, id, CaseText.Body(first.Description, first.Address,
                    imported.Events.Where(e => CaseText.ReplyKinds.Contains(e.Kind)).Select(e => e.Note)));
                await text.ExecuteAsync(ct);
                await c.ExecuteAsync(new CommandDefinition(InsertEvaluation, imported.Evaluations.Select(v => new
                {
                    ComplaintId = id, v.Round, v.Rating.Resolved, v.Rating.Satisfaction, v.Rating.Comment, v.EvaluatedAt, v.Rating.ByPhone,
                }), tx, cancellationToken: ct));
            }
            return cases.Count;
        }, ct);

    // Cases stored before migration 025, a batch at a time in the order of ids: their phone's blind index, and on SQL
    // Server their bigrams (SQLite's migration filled its text index itself; a blind index needs the key, which only the
    // app holds). Each batch is one short write, so the API keeps serving while it runs.
    private static string SelectUnindexed(SqlDialect dialect) => $"""
        SELECT c.Id, c.ContactPhoneProtected, c.ContactPhoneIndex, c.Description, c.Address,
               {(dialect == SqlDialect.Sqlite ? "1" : "CASE WHEN EXISTS (SELECT 1 FROM ComplaintGrams g WHERE g.ComplaintId = c.Id) THEN 1 ELSE 0 END")} AS HasGrams
        FROM Complaints c WHERE c.Id > @After ORDER BY c.Id
        {dialect.LimitRows}
        """;
    private const string UpdatePhoneIndex = "UPDATE Complaints SET ContactPhoneIndex = @Index WHERE Id = @Id AND ContactPhoneIndex IS NULL";
    private const string SelectReplies = "SELECT Note FROM ComplaintEvents WHERE ComplaintId = @Id AND Kind IN ('resolved', 'replied') AND Note IS NOT NULL";

    private sealed record UnindexedRow
    {
        public long Id { get; init; }
        public string? ContactPhoneProtected { get; init; }
        public string? ContactPhoneIndex { get; init; }
        public string Description { get; init; } = "";
        public string? Address { get; init; }
        public bool HasGrams { get; init; }
    }

    /// <summary>Fills what finding a case needs on the cases stored before it existed; returns (phones, texts) written.</summary>
    internal async Task<(int Phones, int Texts)> IndexStoredCasesAsync(Func<string, string?> blindIndexOfProtected, int batchSize, CancellationToken ct)
    {
        var (phones, texts, after) = (0, 0, 0L);
        var select = SelectUnindexed(db.Dialect);
        while (true)
        {
            var rows = await db.ReadAsync(async c => (await c.QueryAsync<UnindexedRow>(new CommandDefinition(select, new { After = after, Limit = batchSize }, cancellationToken: ct))).AsList(), ct);
            if (rows.Count == 0)
            {
                return (phones, texts);
            }
            after = rows[^1].Id;
            var work = rows.Where(r => (r.ContactPhoneProtected is not null && r.ContactPhoneIndex is null) || !r.HasGrams).ToList();
            if (work.Count == 0)
            {
                continue;
            }
            await db.WriteAsync(async (c, tx) =>
            {
                foreach (var row in work)
                {
                    if (row.ContactPhoneProtected is { } stored && row.ContactPhoneIndex is null && blindIndexOfProtected(stored) is { } index)
                    {
                        phones += await c.ExecuteAsync(new CommandDefinition(UpdatePhoneIndex, new { Index = index, row.Id }, tx, cancellationToken: ct));
                    }
                    if (!row.HasGrams)
                    {
                        var replies = await c.QueryAsync<string>(new CommandDefinition(SelectReplies, new { row.Id }, tx, cancellationToken: ct));
                        var batch = db.Batch(c, tx);
                        CaseText.AppendNew(batch, row.Id, CaseText.Body(row.Description, row.Address, replies));
                        await batch.ExecuteAsync(ct);
                        texts++;
                    }
                }
                return 0;
            }, ct);
        }
    }

    // A photo's check flags its case: review or risky → ContentReview, no verdict → ContentUnchecked; with its internal step.
    // Bumping the version makes a staff write based on an earlier read lose (409) rather than clear the new flag.
    private const string FlagForPhoto = """
        UPDATE Complaints SET
            ContentReview = CASE WHEN @Review = 1 THEN 1 ELSE ContentReview END,
            ContentUnchecked = CASE WHEN @Review = 1 THEN ContentUnchecked ELSE 1 END,
            Version = Version + @Bump, UpdatedAt = CASE WHEN @Bump = 1 THEN @Now ELSE UpdatedAt END
        WHERE Id = @Id;
        INSERT INTO ComplaintEvents (ComplaintId, Kind, Status, ActorUserId, UnitName, Note, IsPublic, OccurredAt)
        SELECT Id, @Kind, Status, NULL, @UnitName, @Note, @IsPublic, @Now FROM Complaints WHERE Id = @Id;
        """;

    /// <summary>Flags the case for what one of its photos' checks said, in the caller's transaction.</summary>
    internal Task FlagForPhotoAsync(DbConnection c, DbTransaction tx, long complaintId, PhotoCheckFlag flag, DateTime now, bool bumpVersion,
        CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(FlagForPhoto, new
        {
            Id = complaintId, flag.Review, Bump = bumpVersion ? 1 : 0, Now = now, Kind = EventKinds.ContentChecked, UnitName = Actor.SystemName,
            flag.Note, IsPublic = false,
        }, tx, cancellationToken: ct));

    // Written once even when the unit runs again after an ambiguous commit: the same reveal has the same instant.
    private const string InsertPhoneReveal = """
        INSERT INTO PhoneReveals (ComplaintId, StaffId, RevealedAt)
        SELECT @ComplaintId, @StaffId, @RevealedAt
        WHERE NOT EXISTS (SELECT 1 FROM PhoneReveals WHERE ComplaintId = @ComplaintId AND StaffId = @StaffId AND RevealedAt = @RevealedAt)
        """;

    private const string SelectProtectedPhone = "SELECT ContactPhoneProtected FROM Complaints WHERE Id = @Id";

    /// <summary>Reads the protected phone and writes the audit row in one transaction: no reveal without its record.</summary>
    public Task<string?> RevealPhoneAsync(long complaintId, long staffId, DateTime now, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var phone = await c.ExecuteScalarAsync<string?>(new CommandDefinition(SelectProtectedPhone, new { Id = complaintId }, tx, cancellationToken: ct));
            if (phone is not null)
            {
                await c.ExecuteAsync(new CommandDefinition(InsertPhoneReveal, new { ComplaintId = complaintId, StaffId = staffId, RevealedAt = now }, tx, cancellationToken: ct));
            }
            return phone;
        }, ct);

    private const string SelectResidentName = "SELECT ResidentNameProtected FROM Complaints WHERE Id = @Id";

    /// <summary>The protected name of a resident on whose behalf staff recorded the report; read only beside an audited reveal.</summary>
    public Task<string?> FindResidentNameAsync(long complaintId, CancellationToken ct) =>
        db.ReadAsync(c => c.ExecuteScalarAsync<string?>(new CommandDefinition(SelectResidentName, new { Id = complaintId }, cancellationToken: ct)), ct);

    /// <summary>The directory, read again once if another process added a unit these rows mention since it was loaded.</summary>
    private async ValueTask<OrgDirectory.Snapshot> NamesAsync(IEnumerable<Complaint> rows, CancellationToken ct)
    {
        var names = await directory.GetAsync(ct);
        if (rows.Any(r => !names.CommunitiesById.ContainsKey(r.CommunityId) || !names.CategoriesById.ContainsKey(r.CategoryId)
                          || names.UnitName(r.HandlingLevel, r.HandlingUnitId) is null))
        {
            directory.Invalidate();
            names = await directory.GetAsync(ct);
        }
        return names;
    }

    private static Complaint Named(Complaint row, OrgDirectory.Snapshot names) =>
        Named(row, names.CommunitiesById[row.CommunityId], names.CategoriesById[row.CategoryId]) with { HandlingUnitName = UnitName(row, names) };

    // Only a unit created after NamesAsync's reload can be missing: its level is still true.
    private static string UnitName(Complaint row, OrgDirectory.Snapshot names) =>
        names.UnitName(row.HandlingLevel, row.HandlingUnitId) ?? HandlingLevel.Names.GetValueOrDefault(row.HandlingLevel, row.HandlingLevel);

    private static Complaint Named(Complaint row, CommunityRow community, CategoryRow category) => row with
    {
        CommunityId = community.Id, CategoryId = category.Id, CommunityCode = community.Code, CommunityName = community.Name,
        StreetId = community.StreetId, StreetName = community.StreetName, CategoryCode = category.Code, CategoryName = category.Name,
        CategoryIsEmergency = category.IsEmergency, CategoryHotline = category.Hotline, ResponseHours = category.ResponseHours,
        CategoryRequiresResolutionPhoto = category.RequiresResolutionPhoto,
        ResolutionWorkingDays = category.ResolutionWorkingDays,
    };
}

/// <summary>A case history made outside a request (demo data): as submitted, as it ends, and what happened between.</summary>
internal sealed record ImportedComplaint(Complaint Submitted, Complaint Final, string ClientRequestId, IReadOnlyList<ComplaintEventRow> Events,
    IReadOnlyList<(int Round, Evaluation Rating, DateTime EvaluatedAt)> Evaluations);

/// <summary>The resident's rating, stored beside the transition it causes.</summary>
public sealed record Evaluation(bool Resolved, string Satisfaction, string? Comment, bool ByPhone = false);
