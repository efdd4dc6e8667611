using System.CommandLine;
using System.Globalization;
using LianApi.Shared;
using LianApi.Notifications.Wecom;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications;

/// <summary><c>notifications [send]</c>: the outbox as ops see it, and one dispatch run by hand.</summary>
internal static class NotificationVerbs
{
    public static Command Create(IServiceProvider services)
    {
        var send = new Command("send", "Send what is due once, as the background dispatchers do.");
        send.SetAction(async (_, ct) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var sent = await services.GetRequiredService<NotificationDispatcher>().RunOnceAsync(ct);
            Console.WriteLine($"Notifications at {ChinaTime.Readable(now)}: sent {sent.Sent}, to retry {sent.Retrying}, failed {sent.Failed}, skipped {sent.Skipped}.");
            if (services.GetRequiredService<IOptions<WecomOptions>>().Value.Enabled)
            {
                var w = await services.GetRequiredService<WecomDispatcher>().RunOnceAsync(ct);
                Console.WriteLine($"WeCom: sent {w.Sent}, to retry {w.Retrying}, held for quiet hours {w.Held}, failed {w.Failed}, skipped {w.Skipped}.");
            }
            return 0;
        });
        var command = new Command("notifications", "The outbox: its backlog, then the failed and the pending messages.") { send };
        command.SetAction(async (_, ct) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            await PrintAsync(services.GetRequiredService<NotificationStore>(), now, ct);
            if (services.GetRequiredService<IOptions<WecomOptions>>().Value.Enabled)
            {
                var b = await services.GetRequiredService<WecomStore>().BacklogAsync(now, ct);
                Console.WriteLine($"WeCom: {b.Pending} pending (oldest {b.OldestPendingSeconds} s), {b.Failed} failed, {b.InvalidUsersLastWeek} with invalid users in 7 days" +
                                  (b.UntrustedIp ? "; untrusted IP: add this server's outbound IP to the WeCom application's trusted IPs (企业可信IP)." : "."));
            }
            return 0;
        });
        return command;
    }

    private static async Task PrintAsync(NotificationStore outbox, DateTime now, CancellationToken ct)
    {
        var backlog = await outbox.BacklogAsync(now, ct);
        Console.WriteLine($"Outbox at {ChinaTime.Readable(now)}: subscribe messages {backlog.Pending} pending (oldest {backlog.OldestPendingSeconds} s), {backlog.Failed} failed.");
        foreach (var status in new[] { NotificationStatus.Failed, NotificationStatus.Pending })
        {
            foreach (var n in await outbox.ListAsync(status, 50, ct))
            {
                Console.WriteLine($"{n.Id,6}  {n.Channel,-9} {n.Status,-8} {n.Event,-26} {n.TrackingNo,-16} attempts {n.Attempts,-3} errcode {n.ErrCode?.ToString(CultureInfo.InvariantCulture) ?? "-",-6} " +
                                  $"{(n.Status == NotificationStatus.Pending ? "due " + n.DueAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : n.LastError)}");
            }
        }
    }
}
