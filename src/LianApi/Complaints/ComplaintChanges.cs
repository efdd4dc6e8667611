using System.Data.Common;
using LianApi.Data;

namespace LianApi.Complaints;

/// <summary>
/// A case as it is being written: before (null for a new report), after, the timeline events the write adds, who acted
/// and when. Listeners see it inside the write's own transaction.
/// </summary>
public sealed record ComplaintChange(Complaint? Before, Complaint After, IReadOnlyList<ComplaintEventRow> Added, Actor Actor, DateTime Now);

/// <summary>
/// Something that must be written together with a case transition or never (the notification outbox): it runs inside
/// the transition's transaction, after the guarded update succeeded, so it commits or rolls back with it.
/// </summary>
public interface IComplaintChangeListener
{
    Task WriteAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, ComplaintChange change, CancellationToken ct);
}
