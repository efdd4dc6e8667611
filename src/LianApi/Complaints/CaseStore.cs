using System.Data.Common;
using Dapper;
using LianApi.Data;

namespace LianApi.Complaints;

/// <summary>
/// Case handling on the Complaints table: every transition is one UPDATE guarded by the version the decision was
/// made on, plus its timeline events, in one transaction. Two people acting at once: one wins, one gets 409.
/// </summary>
public sealed class CaseStore(Database db, ComplaintStore complaints)
{
    private const string SelectCase = """
        SELECT c.Id, c.TrackingNo, c.Version, c.UserId, c.CommunityId, m.StreetId, m.Name AS CommunityName, s.Name AS StreetName,
               k.ResponseHours, k.ResolutionWorkingDays, c.Status, c.HandlingLevel, c.HandlingUnitId, c.DepartmentId,
               COALESCE(c.ReceivedAt, c.SubmittedAt) AS ReceivedAt, c.ResponseDueAt, c.AcceptedAt, c.ResolutionDueAt, c.IsOverdue,
               c.IsSupervised, c.UrgeCount, c.LastUrgedAt, c.ExtensionRequestedUntil, c.ReopenCount, c.LastHandlingLevel,
               c.LastHandlingUnitId, c.ResolvedAt, c.ClosedAt, c.CloseReason
        FROM Complaints c
        JOIN Communities m ON m.Id = c.CommunityId
        JOIN Streets s ON s.Id = m.StreetId
        JOIN Categories k ON k.Id = c.CategoryId
        """;

    private const string SelectCaseByTrackingNo = SelectCase + "\nWHERE c.TrackingNo = @TrackingNo";

    public Task<CaseState?> FindAsync(string trackingNo, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<CaseState>(new CommandDefinition(SelectCaseByTrackingNo, new { TrackingNo = trackingNo }, cancellationToken: ct)), ct);

    private const string SelectSweepCandidates = SelectCase + """

        WHERE (c.Status = @Submitted AND c.ResponseDueAt < @Now AND (c.IsOverdue = @False OR c.HandlingLevel IN (@Community, @Street)))
           OR (c.Status IN (@Accepted, @InProgress) AND c.ResolutionDueAt < @Now AND c.IsOverdue = @False)
           OR (c.Status = @Resolved AND c.ResolvedAt < @EvaluationDeadline)
        ORDER BY c.Id
        """;

    /// <summary>Cases some deadline has passed for; the sweep decides, per case, what that means.</summary>
    public Task<IReadOnlyList<CaseState>> ListSweepCandidatesAsync(DateTime now, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<CaseState>>(async c => (await c.QueryAsync<CaseState>(new CommandDefinition(
            SelectSweepCandidates + "\n" + db.Dialect.LimitRows, new
            {
                ComplaintStatus.Submitted, ComplaintStatus.Accepted, ComplaintStatus.InProgress, ComplaintStatus.Resolved,
                HandlingLevel.Community, HandlingLevel.Street, False = false, Now = now,
                EvaluationDeadline = now - CaseMachine.EvaluationWindow, Limit = limit,
            }, cancellationToken: ct))).AsList(), ct);

    private const string UpdateCase = """
        UPDATE Complaints SET
            Status = @Status, HandlingLevel = @HandlingLevel, HandlingUnitId = @HandlingUnitId, DepartmentId = @DepartmentId,
            ReceivedAt = @ReceivedAt, ResponseDueAt = @ResponseDueAt, AcceptedAt = @AcceptedAt, ResolutionDueAt = @ResolutionDueAt,
            DueAt = @DueAt, Priority = @Priority, IsOverdue = @IsOverdue, IsSupervised = @IsSupervised, UrgeCount = @UrgeCount,
            LastUrgedAt = @LastUrgedAt, ExtensionRequestedUntil = @ExtensionRequestedUntil, ReopenCount = @ReopenCount,
            LastHandlingLevel = @LastHandlingLevel, LastHandlingUnitId = @LastHandlingUnitId, ResolvedAt = @ResolvedAt,
            ClosedAt = @ClosedAt, CloseReason = @CloseReason, UpdatedAt = @Now, Version = Version + 1
        WHERE Id = @Id AND Version = @Version
        """;

    private const string InsertEvent = """
        INSERT INTO ComplaintEvents (ComplaintId, Kind, Status, ActorUserId, StaffId, UnitName, Note, IsPublic, OccurredAt)
        VALUES (@ComplaintId, @Kind, @Status, @ActorUserId, @StaffId, @UnitName, @Note, @IsPublic, @OccurredAt)
        """;

    /// <summary>
    /// Writes the transition if nobody changed the case since <paramref name="transition"/> was decided;
    /// false means someone else acted first (the caller answers 409).
    /// </summary>
    public Task<bool> TryApplyAsync(CaseState decidedOn, Transition transition, Actor actor, DateTime now, CancellationToken ct,
        Func<DbConnection, DbTransaction, Task>? alongside = null) =>
        db.WriteAsync(async (c, tx) =>
        {
            var next = transition.Next;
            var updated = await c.ExecuteAsync(new CommandDefinition(UpdateCase, new
            {
                next.Status, next.HandlingLevel, next.HandlingUnitId, next.DepartmentId, next.ReceivedAt, next.ResponseDueAt,
                next.AcceptedAt, next.ResolutionDueAt, next.DueAt, next.Priority, next.IsOverdue, next.IsSupervised, next.UrgeCount,
                next.LastUrgedAt, next.ExtensionRequestedUntil, next.ReopenCount, next.LastHandlingLevel, next.LastHandlingUnitId,
                next.ResolvedAt, next.ClosedAt, next.CloseReason, Now = now, decidedOn.Id, decidedOn.Version,
            }, tx, cancellationToken: ct));
            if (updated == 0)
            {
                return false;
            }
            await c.ExecuteAsync(new CommandDefinition(InsertEvent, transition.Events.Select(e => new
            {
                ComplaintId = decidedOn.Id, e.Kind, next.Status, ActorUserId = actor.UserId, StaffId = actor.Staff?.Id,
                UnitName = e.UnitName ?? actor.UnitName, e.Note, e.IsPublic, OccurredAt = now,
            }), tx, cancellationToken: ct));
            if (alongside is not null)
            {
                await alongside(c, tx);
            }
            await complaints.RefreshResidentViewAsync(c, tx, decidedOn.Id, ct);
            return true;
        }, ct);

    private const string InsertEvaluation = """
        INSERT INTO ComplaintEvaluations (ComplaintId, Round, Resolved, Satisfaction, Comment, EvaluatedAt)
        VALUES (@ComplaintId, @Round, @Resolved, @Satisfaction, @Comment, @EvaluatedAt)
        """;

    public static Func<DbConnection, DbTransaction, Task> SaveEvaluation(CaseState decidedOn, bool resolved, string satisfaction, string? comment, DateTime now, CancellationToken ct) =>
        (c, tx) => c.ExecuteAsync(new CommandDefinition(InsertEvaluation, new
        {
            ComplaintId = decidedOn.Id, Round = decidedOn.ReopenCount, Resolved = resolved, Satisfaction = satisfaction,
            Comment = comment, EvaluatedAt = now,
        }, tx, cancellationToken: ct));

    private const string InsertPhoneReveal = "INSERT INTO PhoneReveals (ComplaintId, StaffId, RevealedAt) VALUES (@ComplaintId, @StaffId, @RevealedAt)";

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
}
