using System.CommandLine;
using LianApi.Shared;

namespace LianApi.Complaints;

/// <summary><c>sweep</c>: the deadline sweep once, beside (or instead of) the one each instance runs every minute.</summary>
internal static class ComplaintVerbs
{
    public static Command Create(IServiceProvider services)
    {
        var command = new Command("sweep", "Run the deadline sweep once: overdue marks, escalations, unrated cases closed; then its follow-ups (WeCom warnings and to-do).");
        command.SetAction(async (_, ct) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var swept = await services.GetRequiredService<DeadlineSweep>().RunOnceAsync(ct);
            Console.WriteLine(SweepMessage(swept, now));
            // As the background sweep does; each writes a message once per key, so running beside it is safe.
            foreach (var followUp in services.GetServices<IDeadlineFollowUp>())
            {
                await followUp.RunAsync(now, ct);
            }
            return 0;
        });
        return command;
    }

    /// <summary><c>search index</c>: what finding a case needs, on the cases stored before migration 025.</summary>
    public static Command CreateSearch(IServiceProvider services)
    {
        var index = new Command("index", "Fill the phone's blind index (and on SQL Server the text's bigrams) of cases stored before migration 025; safe to run again.");
        index.SetAction(async (_, ct) =>
        {
            var phones = services.GetRequiredService<Privacy.PhoneProtector>();
            var (indexed, texts) = await services.GetRequiredService<ComplaintStore>().IndexStoredCasesAsync(
                stored => phones.BlindIndex(phones.Unprotect(stored)), 500, ct);
            Console.WriteLine($"Search index: {indexed} phone(s) and {texts} case text(s) indexed.");
            return 0;
        });
        return new Command("search", "Finding cases by text and phone (GET /api/staff/complaints?q=…&phone=…).") { index };
    }

    internal static string SweepMessage(DeadlineSweep.Result swept, DateTime now) =>
        $"Sweep at {ChinaTime.Readable(now)}: escalated {swept.Escalated}, marked overdue {swept.MarkedOverdue}, closed unrated {swept.Closed}.";
}
