using LianApi.Data;

namespace LianApi.Complaints;

/// <summary>
/// A case as it is being written: before (null for a new report), after, the timeline events the write adds, who acted
/// and when. Listeners see it inside the write's own transaction.
/// </summary>
public sealed record ComplaintChange(Complaint? Before, Complaint After, IReadOnlyList<ComplaintEventRow> Added, Actor Actor, DateTime Now);

/// <summary>
/// Something that must be written together with a case transition or never (the notification outbox, the statistics
/// rollups): it runs inside the transition's transaction, after the guarded update succeeded, so it commits or rolls
/// back with it. A listener appends its statements to the transition's batch (one round trip for all of them) or, when
/// it must read an answer, runs its own on the batch's connection and transaction.
/// </summary>
public interface IComplaintChangeListener
{
    Task WriteAsync(WriteBatch batch, ComplaintChange change, CancellationToken ct);
}
