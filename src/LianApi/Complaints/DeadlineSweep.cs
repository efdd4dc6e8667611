
namespace LianApi.Complaints;

/// <summary>
/// 零延误: marks overdue cases, escalates cases nobody accepted in time one level up, and closes resolved cases
/// the resident did not rate within 7 days. Each case is claimed by its guarded, versioned UPDATE, so several
/// instances may sweep at once and a second run changes nothing the first already did.
/// </summary>
public sealed class DeadlineSweep(ComplaintStore complaints, TimeProvider time, ILogger<DeadlineSweep> logger)
{
    private const int BatchSize = 200;

    public sealed record Result(int Escalated, int MarkedOverdue, int Closed, int LostToAnotherInstance);

    public async Task<Result> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        int escalated = 0, overdue = 0, closed = 0, lost = 0;
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
                if (ComplaintMachine.Sweep(candidate, now) is not { } transition)
                {
                    continue;
                }
                // The sweep needs no timeline to decide; the events are read only for the resident's view it rewrites.
                if (await complaints.LoadAsync(candidate.TrackingNo, ct) is not { } loaded || loaded.Complaint.Version != candidate.Version
                    || await complaints.ApplyAsync(loaded, transition, Actor.System, now, ct) is null)
                {
                    lost++;
                    continue;
                }
                switch (transition.Events[0].Kind)
                {
                    case EventKinds.AutoEscalated: escalated++; break;
                    case EventKinds.Overdue: overdue++; break;
                    default: closed++; break;
                }
            }
        }
        if (escalated + overdue + closed > 0)
        {
            logger.LogInformation("Deadline sweep: {Escalated} escalated, {Overdue} marked overdue, {Closed} closed unrated", escalated, overdue, closed);
        }
        return new Result(escalated, overdue, closed, lost);
    }
}

/// <summary>Runs the sweep every minute on every instance; the database decides who does each case.</summary>
internal sealed class DeadlineSweepService(DeadlineSweep sweep, TimeProvider time, ILogger<DeadlineSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await sweep.RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The deadline sweep failed; it runs again in a minute");
            }
        }
    }
}
