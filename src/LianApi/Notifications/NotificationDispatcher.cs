using System.Text.Json;
using LianApi.Wechat;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications;

/// <summary>
/// Sends what is due from the outbox, on every instance. Rows are claimed one at a time (a lease with expiry) and sent
/// one at a time, so at most one message per instance is ever between WeChat's answer and our record of it.
/// At-least-once bound: a process that dies after WeChat accepted a message but before the row was marked sent leaves
/// that one row pending under its lease; once the lease expires (<see cref="NotificationOptions.LeaseDuration"/>)
/// another instance sends it again. So a crash re-sends at most one message per crashed instance, and nothing is lost.
/// </summary>
public sealed class NotificationDispatcher(NotificationStore store, ISubscribeMessageSender sender, IOptionsMonitor<NotificationOptions> options,
    TimeProvider time, ILogger<NotificationDispatcher> logger)
{
    private const int BatchSize = 50;
    private const int MaxPerRun = 500;

    /// <summary>This dispatcher as lease owners name it: a restart, or a second dispatcher in one process, is another owner.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}" is var o && o.Length > 200 ? o[^200..] : o;

    public sealed record Result(int Sent, int Retrying, int Failed, int Skipped);

    public async Task<Result> RunOnceAsync(CancellationToken ct)
    {
        int sent = 0, retrying = 0, failed = 0, skipped = 0, seen = 0;
        var tried = new HashSet<long>();
        while (seen < MaxPerRun)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var due = (await store.ListDueAsync(now, BatchSize, ct)).Where(tried.Add).ToList();
            if (due.Count == 0)
            {
                break;
            }
            foreach (var id in due)
            {
                seen++;
                switch (await SendOneAsync(id, ct))
                {
                    case SendOutcome.Sent: sent++; break;
                    case SendOutcome.Retry: retrying++; break;
                    case SendOutcome.Failed: failed++; break;
                    case SendOutcome.Skipped: skipped++; break;
                }
            }
        }
        if (sent + retrying + failed > 0)
        {
            logger.LogInformation("Notifications: {Sent} sent, {Retrying} to retry, {Failed} failed, {Skipped} skipped", sent, retrying, failed, skipped);
        }
        return new Result(sent, retrying, failed, skipped);
    }

    /// <summary>Null when another instance had it (or it was skipped for want of a template or a consent credit).</summary>
    private async Task<SendOutcome?> SendOneAsync(long id, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var now = time.GetUtcNow().UtcDateTime;
        var claimed = await store.ClaimAsync(id, Owner, now, now + o.LeaseDuration, e => o.TemplateFor(e)?.TemplateId, ct);
        if (claimed is null)
        {
            return SendOutcome.Skipped;
        }
        var template = o.TemplateFor(claimed.Event)!;
        var message = Render(claimed, template, o.MiniprogramState);
        var data = JsonSerializer.Serialize(message.Data);
        try
        {
            await sender.SendAsync(claimed.Id, message, ct);
        }
        catch (WechatException e) when (e.ErrorCode is { } code && WechatSendErrors.Permanent.Contains(code))
        {
            logger.LogWarning("Notification {Id} ({Event}) refused by WeChat with errcode {ErrCode}; not retried: {Reason}", claimed.Id, claimed.Event, code, e.Reason);
            await store.MarkFailedAsync(claimed, Owner, code, e.Reason, data, time.GetUtcNow().UtcDateTime, ct);
            return SendOutcome.Failed;
        }
        catch (Exception e) when (e is WechatException || (e is not OperationCanceledException && !ct.IsCancellationRequested))
        {
            // -1, timeouts, 5xx, an unreachable host, a token refused twice: later, with exponential backoff and jitter.
            var errCode = (e as WechatException)?.ErrorCode;
            var failedAt = time.GetUtcNow().UtcDateTime;
            var next = failedAt + Backoff(claimed.Attempts + 1, o);
            if (next - claimed.CreatedAt > o.GiveUpAfter)
            {
                logger.LogError(e, "Notification {Id} ({Event}) given up after {Attempts} attempts", claimed.Id, claimed.Event, claimed.Attempts + 1);
                await store.MarkFailedAsync(claimed, Owner, errCode, "gave_up: " + Reason(e), data, failedAt, ct);
                return SendOutcome.Failed;
            }
            logger.LogWarning("Notification {Id} ({Event}) failed ({Reason}); retrying at {Next:O}", claimed.Id, claimed.Event, Reason(e), next);
            await store.MarkRetryAsync(claimed, Owner, errCode, Reason(e), next, ct);
            return SendOutcome.Retry;
        }
        if (!await store.MarkSentAsync(claimed, Owner, data, time.GetUtcNow().UtcDateTime, ct))
        {
            // Our lease expired mid-send and another instance took the row: it may send it once more (the bound above).
            logger.LogWarning("Notification {Id} was sent after its lease expired", claimed.Id);
        }
        return SendOutcome.Sent;
    }

    /// <summary>The message as WeChat takes it: the template's keywords filled from the row's facts and fitted to their types.</summary>
    public static SubscribeMessage Render(ClaimedNotification n, NotificationTemplate template, string miniprogramState)
    {
        var facts = JsonSerializer.Deserialize<Dictionary<string, string>>(n.Facts) ?? [];
        var data = template.Data.ToDictionary(k => k.Key, k => KeywordValues.Fit(k.Key, facts.GetValueOrDefault(k.Value)));
        var page = template.Page.Replace("{trackingNo}", Uri.EscapeDataString(n.TrackingNo ?? ""), StringComparison.Ordinal);
        return new SubscribeMessage(n.OpenId, n.TemplateId, page, data, miniprogramState);
    }

    /// <summary>Exponential (base × 2^(attempt-1)), capped, with ±20 % jitter so instances do not retry in step.</summary>
    internal static TimeSpan Backoff(int attempt, NotificationOptions o)
    {
        var exponential = o.RetryBaseDelay.TotalSeconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, o.MaxRetryDelay.TotalSeconds);
        return TimeSpan.FromSeconds(capped * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    private static string Reason(Exception e) => e is WechatException w ? $"{w.Failure}: {w.Reason}" : e.GetType().Name;
}

/// <summary>Runs the dispatcher on every instance every <see cref="NotificationOptions.DispatchInterval"/>; rows are claimed one by one, so instances share the work.</summary>
internal sealed class NotificationDispatchService(NotificationDispatcher dispatcher, IOptions<NotificationOptions> options, TimeProvider time,
    ILogger<NotificationDispatchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.DispatchInterval;
        if (interval == TimeSpan.Zero)
        {
            return;
        }
        // A delay after each run rather than a periodic timer: runs never queue up behind a slow one, and a test clock
        // moved by days wakes it once, not once per interval on the way.
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, time, stoppingToken);
            try
            {
                await dispatcher.RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The notification dispatcher failed; it runs again in {Interval}", interval);
            }
        }
    }
}
