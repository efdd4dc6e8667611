using LianApi.Data;
namespace LianApi.Complaints;

/// <summary>
/// 零延误: marks overdue cases, escalates cases nobody accepted in time one level up, and closes resolved cases
/// the resident did not rate within 7 days. Each case is claimed by its guarded, versioned UPDATE, so two sweeps at
/// once (the CLI verb beside the service) are safe and a second run changes nothing the first already did; a case
/// that fails is logged and skipped, never the end of the run.
/// </summary>
public sealed class DeadlineSweep(ComplaintStore complaints, TimeProvider time, ILogger<DeadlineSweep> logger)
{
    private const int BatchSize = 200;

    public sealed record Result(int Escalated, int MarkedOverdue, int Closed, int LostToAnotherInstance, int Failed = 0);

    public async Task<Result> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        int escalated = 0, overdue = 0, closed = 0, lost = 0, failed = 0;
        var seen = new HashSet<long>();
        while (true)
        {
            var candidates = (await complaints.ListSweepCandidatesAsync(now, BatchSize, ct)).Where(c => seen.Add(c.Id)).ToList();
            if (candidates.Count == 0)
            {
                break;
            }
            foreach (var candidate in candidates)
            {
                try
                {
                    switch (await SweepOneAsync(candidate, now, ct))
                    {
                        case EventKinds.AutoEscalated or EventKinds.WhistleOverdue: escalated++; break;
                        case EventKinds.Overdue: overdue++; break;
                        case EventKinds.Closed: closed++; break;
                        case Lost: lost++; break;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failed++;
                    logger.LogError(e, "The deadline sweep could not handle {TrackingNo}; the other cases go on", candidate.TrackingNo);
                }
            }
        }
        if (escalated + overdue + closed > 0)
        {
            logger.LogInformation("Deadline sweep: {Escalated} escalated, {Overdue} marked overdue, {Closed} closed unrated", escalated, overdue, closed);
        }
        return new Result(escalated, overdue, closed, lost, failed);
    }

    private const string Lost = "lost";

    /// <summary>What happened to one case: the kind of its first new event, <see cref="Lost"/>, or null when nothing was due.</summary>
    private async Task<string?> SweepOneAsync(Complaint candidate, DateTime now, CancellationToken ct)
    {
        if (ComplaintMachine.Sweep(candidate, now) is not { } transition)
        {
            return null;
        }
        // The sweep needs no timeline to decide; the events are read only for the resident's view it rewrites.
        if (await complaints.LoadAsync(candidate.TrackingNo, ct) is not { } loaded || loaded.Complaint.Version != candidate.Version
            || await complaints.ApplyAsync(loaded, transition, Actor.System, now, ct) is null)
        {
            return Lost;
        }
        return transition.Events[0].Kind;
    }
}

/// <summary>Work that follows the deadlines and runs after each sweep, under its lease (the WeCom deadline warnings and morning to-do).</summary>
public interface IDeadlineFollowUp
{
    Task RunAsync(DateTime now, CancellationToken ct);
}

/// <summary>Runs the sweep, then its follow-ups, every minute on the one instance that holds its lease.</summary>
internal sealed class DeadlineSweepService(DeadlineSweep sweep, IEnumerable<IDeadlineFollowUp> followUps, LeaseStore leases, TimeProvider time,
    ILogger<DeadlineSweepService> logger, ILogger<IDeadlineFollowUp> followUpLogger)
    : LeasedJob(leases, time, logger, LeaseStore.DeadlineSweep, TimeSpan.FromMinutes(1), runAtStart: false)
{
    protected override async Task RunAsync(CancellationToken ct)
    {
        await sweep.RunOnceAsync(ct);
        foreach (var followUp in followUps)
        {
            // One follow-up failing (WeCom's rows) must not stop the next, nor the sweep's next run.
            try
            {
                await followUp.RunAsync(Time.GetUtcNow().UtcDateTime, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                followUpLogger.LogError(e, "{FollowUp} after the deadline sweep failed; it runs again next minute", followUp.GetType().Name);
            }
        }
    }
}
