using System.CommandLine;
using LianApi.Shared;

namespace LianApi.Complaints;

/// <summary><c>sweep</c>: the deadline sweep once, beside (or instead of) the one each instance runs every minute.</summary>
internal static class ComplaintVerbs
{
    public static Command Create(IServiceProvider services)
    {
        var command = new Command("sweep", "Run the deadline sweep once: overdue marks, escalations, unrated cases closed.");
        command.SetAction(async (_, ct) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var swept = await services.GetRequiredService<DeadlineSweep>().RunOnceAsync(ct);
            Console.WriteLine(SweepMessage(swept, now));
            return 0;
        });
        return command;
    }

    internal static string SweepMessage(DeadlineSweep.Result swept, DateTime now) =>
        $"Sweep at {ChinaTime.Readable(now)}: escalated {swept.Escalated}, marked overdue {swept.MarkedOverdue}, closed unrated {swept.Closed}.";
}
