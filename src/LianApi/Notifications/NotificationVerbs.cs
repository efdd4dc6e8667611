using System.CommandLine;
using System.Globalization;
using LianApi.Shared;

namespace LianApi.Notifications;

/// <summary><c>notifications [send]</c>: the outbox as ops see it, and one dispatch run by hand.</summary>
internal static class NotificationVerbs
{
    public static Command Create(IServiceProvider services)
    {
        var send = new Command("send", "Send what is due once, as the background dispatcher does.");
        send.SetAction(async (_, ct) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var sent = await services.GetRequiredService<NotificationDispatcher>().RunOnceAsync(ct);
            Console.WriteLine($"Notifications at {ChinaTime.Readable(now)}: sent {sent.Sent}, to retry {sent.Retrying}, failed {sent.Failed}, skipped {sent.Skipped}.");
            return 0;
        });
        var command = new Command("notifications", "The outbox: its backlog, then the failed and the pending messages.") { send };
        command.SetAction(async (_, ct) =>
        {
            await PrintAsync(services.GetRequiredService<NotificationStore>(), services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, ct);
            return 0;
        });
        return command;
    }

    private static async Task PrintAsync(NotificationStore outbox, DateTime now, CancellationToken ct)
    {
        var backlog = await outbox.BacklogAsync(now, ct);
        Console.WriteLine($"Outbox at {ChinaTime.Readable(now)}: {backlog.Pending} pending (oldest {backlog.OldestPendingSeconds} s), {backlog.Failed} failed.");
        foreach (var status in new[] { NotificationStatus.Failed, NotificationStatus.Pending })
        {
            foreach (var n in await outbox.ListAsync(status, 50, ct))
            {
                Console.WriteLine($"{n.Id,6}  {n.Status,-8} {n.Event,-26} {n.TrackingNo,-16} attempts {n.Attempts,-3} errcode {n.ErrCode?.ToString(CultureInfo.InvariantCulture) ?? "-",-6} " +
                                  $"{(n.Status == NotificationStatus.Pending ? "due " + n.DueAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : n.LastError)}");
            }
        }
    }
}
