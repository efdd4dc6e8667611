using System.Text.Json;
using LianApi.Calendar;
using LianApi.Notifications;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications.Wecom;

/// <summary>
/// Sends the due WeCom rows of the outbox, on every instance, under the outbox's lease rules: claimed one at a time and
/// sent one at a time, so a crash between WeCom's answer and our mark re-sends at most one message per crashed instance
/// (after the lease expires), and WeCom's own duplicate check usually drops even that one.
/// </summary>
public sealed class WecomDispatcher(WecomStore store, WecomAccessTokenProvider tokens, IServiceProvider services, IOptionsMonitor<WecomOptions> options,
    IOptionsMonitor<NotificationOptions> outbox, CalendarStore calendars, TimeProvider time, ILogger<WecomDispatcher> logger)
{
    private const int BatchSize = 50;
    private const int MaxPerRun = 500;

    /// <summary>WeCom answered 40008 (invalid msgtype): a host or client without cards gets the same message as text.</summary>
    private const int InvalidMessageType = 40008;

    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}" is var o && o.Length > 200 ? o[^200..] : o;

    public sealed record Result(int Sent, int Retrying, int Held, int Failed, int Skipped);

    private enum Outcome { Sent, Retry, Held, Failed, Skipped }

    public async Task<Result> RunOnceAsync(CancellationToken ct)
    {
        if (!options.CurrentValue.Enabled)
        {
            return new Result(0, 0, 0, 0, 0);
        }
        var counts = new int[5];
        var tried = new HashSet<long>();
        for (var seen = 0; seen < MaxPerRun;)
        {
            var due = (await store.ListDueAsync(time.GetUtcNow().UtcDateTime, BatchSize, ct)).Where(tried.Add).ToList();
            if (due.Count == 0)
            {
                break;
            }
            foreach (var id in due)
            {
                seen++;
                if (await SendOneAsync(id, ct) is { } outcome)
                {
                    counts[(int)outcome]++;
                }
            }
        }
        var result = new Result(counts[0], counts[1], counts[2], counts[3], counts[4]);
        if (result != new Result(0, 0, 0, 0, 0))
        {
            logger.LogInformation("WeCom: {Sent} sent, {Retrying} to retry, {Held} held for quiet hours, {Failed} failed, {Skipped} skipped",
                result.Sent, result.Retrying, result.Held, result.Failed, result.Skipped);
        }
        return result;
    }

    private async Task<Outcome?> SendOneAsync(long id, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var now = time.GetUtcNow().UtcDateTime;
        var claimed = await store.ClaimAsync(id, Owner, now, now + outbox.CurrentValue.LeaseDuration, ct);
        if (claimed is null)
        {
            return null;
        }
        var facts = WecomFacts.Read(claimed.Facts);
        // Emergencies (燃气泄漏, 水管爆裂 …) go out at any hour; the rest wait for a working morning.
        if (facts.GetValueOrDefault(WecomFacts.Urgent) != "1"
            && QuietHours.ReleaseAt(now, o.QuietHoursStart, o.QuietHoursEnd, await calendars.GetAsync(ct), o.QuietOnRestDays) is { } release)
        {
            await store.MarkRetryAsync(claimed.Id, Owner, attempted: false, null, WecomStore.HeldQuietHours, release, ct);
            return Outcome.Held;
        }
        if (claimed.Recipients.Count == 0)
        {
            await store.MarkFinishedAsync(claimed.Id, Owner, NotificationStatus.Skipped, null, WecomStore.NoRecipient, null, now, ct);
            return Outcome.Skipped;
        }
        var card = WecomMessages.Card(claimed, o);
        var data = JsonSerializer.Serialize(new { touser = claimed.Recipients, title = card.Title, url = card.Url });
        try
        {
            var sent = await tokens.CallAsync(async (token, token_ct) =>
            {
                var client = services.GetRequiredService<WecomClient>();
                try
                {
                    return await client.SendCardAsync(token, claimed.Recipients, card, token_ct);
                }
                catch (WecomException e) when (e.ErrorCode == InvalidMessageType)
                {
                    return await client.SendTextAsync(token, claimed.Recipients, WecomMessages.Text(claimed, o), token_ct);
                }
            }, ct);
            string? invalid = null;
            if (sent.InvalidUsers.Count > 0)
            {
                invalid = $"{WecomStore.InvalidUser}: {string.Join('|', sent.InvalidUsers)}";
                logger.LogWarning("WeCom message {Id} ({Event}) did not reach {InvalidUsers}: not users of the application; fix their WeCom user ids",
                    claimed.Id, claimed.Event, string.Join('|', sent.InvalidUsers));
            }
            if (!await store.MarkSentAsync(claimed.Id, Owner, data, invalid, time.GetUtcNow().UtcDateTime, ct))
            {
                logger.LogWarning("WeCom message {Id} was sent after its lease expired", claimed.Id);
            }
            return Outcome.Sent;
        }
        catch (WecomException e) when (e.IsPermanent)
        {
            logger.LogWarning("WeCom message {Id} ({Event}) refused with errcode {ErrCode}: no recipient is a user of the application ({Users}); not retried",
                claimed.Id, claimed.Event, e.ErrorCode, string.Join('|', claimed.Recipients));
            await store.MarkFinishedAsync(claimed.Id, Owner, NotificationStatus.Failed, e.ErrorCode,
                $"{WecomStore.InvalidUser}: {string.Join('|', claimed.Recipients)} ({e.Reason})", data, time.GetUtcNow().UtcDateTime, ct);
            return Outcome.Failed;
        }
        catch (Exception e) when (e is WecomException || (e is not OperationCanceledException && !ct.IsCancellationRequested))
        {
            var w = e as WecomException;
            if (w?.Failure == WecomFailure.UntrustedIp)
            {
                logger.LogError("WeCom refused the call from an untrusted IP (errcode 60020): add this server's outbound IP to the application's trusted IPs (企业可信IP); messages wait until then");
            }
            else if (w?.Failure == WecomFailure.Misconfigured)
            {
                logger.LogCritical("WeCom refused our credentials or agent (errcode {ErrCode}): check Wecom__CorpId, Wecom__AgentId and Wecom__Secret; {Reason}", w.ErrorCode, w.Reason);
            }
            var failedAt = time.GetUtcNow().UtcDateTime;
            var next = failedAt + NotificationDispatcher.Backoff(claimed.Attempts + 1, outbox.CurrentValue);
            var reason = w is null ? e.GetType().Name : $"{w.Failure}: {w.Reason}";
            if (next - claimed.CreatedAt > outbox.CurrentValue.GiveUpAfter)
            {
                logger.LogError(e, "WeCom message {Id} ({Event}) given up after {Attempts} attempts", claimed.Id, claimed.Event, claimed.Attempts + 1);
                await store.MarkFinishedAsync(claimed.Id, Owner, NotificationStatus.Failed, w?.ErrorCode, "gave_up: " + reason, data, failedAt, ct);
                return Outcome.Failed;
            }
            logger.LogWarning("WeCom message {Id} ({Event}) failed ({Reason}); retrying at {Next:O}", claimed.Id, claimed.Event, reason, next);
            await store.MarkRetryAsync(claimed.Id, Owner, attempted: true, w?.ErrorCode, reason, next, ct);
            return Outcome.Retry;
        }
    }
}

/// <summary>Runs the WeCom dispatcher on every instance every <see cref="WecomOptions.DispatchInterval"/>; rows are claimed one by one.</summary>
internal sealed class WecomDispatchService(WecomDispatcher dispatcher, IOptions<WecomOptions> options, TimeProvider time, ILogger<WecomDispatchService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.DispatchInterval;
        if (interval == TimeSpan.Zero || !options.Value.Enabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, time, stoppingToken);
            try
            {
                await dispatcher.RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The WeCom dispatcher failed; it runs again in {Interval}", interval);
            }
        }
    }
}
