using System.Text.Json;
using LianApi.Calendar;
using LianApi.Notifications;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications.Wecom;

/// <summary>
/// Sends the due WeCom rows of the outbox, on every instance, under the outbox's lease rules: claimed one at a time and
/// sent one message at a time (one row, or a digest of a batch's rows to the same people), so a crash between WeCom's
/// answer and our marks re-sends at most one message per crashed instance (after the lease expires), and WeCom's own
/// duplicate check usually drops even that one.
/// </summary>
public sealed class WecomDispatcher(WecomStore store, WecomAccessTokenProvider tokens, IServiceProvider services, IOptionsMonitor<WecomOptions> options,
    IOptionsMonitor<NotificationOptions> outbox, CalendarStore calendars, TimeProvider time, ILogger<WecomDispatcher> logger)
{
    private const int BatchSize = 50;
    private const int MaxPerRun = 500;
    internal static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(5);

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
            var ready = new List<ClaimedWecomMessage>();
            var leaseEnds = time.GetUtcNow().UtcDateTime + outbox.CurrentValue.LeaseDuration;
            foreach (var id in due)
            {
                seen++;
                var (outcome, claimed) = await ClaimAsync(id, ct);
                if (outcome is { } o)
                {
                    counts[(int)o]++;
                }
                if (claimed is not null)
                {
                    ready.Add(claimed);
                }
            }
            foreach (var message in Messages(ready, options.CurrentValue))
            {
                // A slow WeCom must not let a lease run out under a message about to be sent: another instance would send it too.
                if (time.GetUtcNow().UtcDateTime + options.CurrentValue.TotalTimeout + LeaseMargin >= leaseEnds)
                {
                    foreach (var row in message)
                    {
                        await store.ReleaseAsync(row.Id, Owner, ct);
                    }
                    continue;
                }
                counts[(int)await SendAsync(message, ct)] += message.Count;
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

    /// <summary>
    /// The claimed rows as messages: non-urgent rows to exactly the same people go as one digest when there are
    /// <see cref="WecomOptions.DigestFrom"/> of them or more; emergencies and to-dos (already a digest) go on their own.
    /// </summary>
    internal static IEnumerable<IReadOnlyList<ClaimedWecomMessage>> Messages(IReadOnlyList<ClaimedWecomMessage> rows, WecomOptions o)
    {
        bool Alone(ClaimedWecomMessage m) => o.DigestFrom == 0 || m.Event is WecomEvents.MorningTodo or WecomEvents.Report || WecomFacts.Read(m.Facts).GetValueOrDefault(WecomFacts.Urgent) == "1";
        foreach (var m in rows.Where(Alone))
        {
            yield return [m];
        }
        foreach (var group in rows.Where(m => !Alone(m)).GroupBy(m => string.Join('|', m.Recipients), StringComparer.Ordinal))
        {
            var list = group.ToList();
            if (list.Count >= o.DigestFrom)
            {
                yield return list;
            }
            else
            {
                foreach (var m in list)
                {
                    yield return [m];
                }
            }
        }
    }

    /// <summary>Claims a due row: held for quiet hours or skipped (nobody to tell) here, or returned to be sent.</summary>
    private async Task<(Outcome?, ClaimedWecomMessage?)> ClaimAsync(long id, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var now = time.GetUtcNow().UtcDateTime;
        var claimed = await store.ClaimAsync(id, Owner, now, now + outbox.CurrentValue.LeaseDuration, ct);
        if (claimed is null)
        {
            return (null, null);
        }
        // Emergencies (燃气泄漏, 水管爆裂 …) go out at any hour; the rest wait for a working morning.
        if (WecomFacts.Read(claimed.Facts).GetValueOrDefault(WecomFacts.Urgent) != "1"
            && QuietHours.ReleaseAt(now, o.QuietHoursStart, o.QuietHoursEnd, await calendars.GetAsync(ct), o.QuietOnRestDays) is { } release)
        {
            await store.MarkRetryAsync(claimed.Id, Owner, attempted: false, null, WecomStore.HeldQuietHours, release, ct);
            return (Outcome.Held, null);
        }
        if (claimed.Recipients.Count == 0)
        {
            await store.MarkFinishedAsync(claimed.Id, Owner, NotificationStatus.Skipped, null, WecomStore.NoRecipient, null, now, ct);
            return (Outcome.Skipped, null);
        }
        return (null, claimed);
    }

    /// <summary>Sends one message for its rows (one row, or a digest of several) and marks every row with the outcome.</summary>
    private async Task<Outcome> SendAsync(IReadOnlyList<ClaimedWecomMessage> rows, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var recipients = rows[0].Recipients;
        var message = rows.Count == 1 ? WecomMessages.For(rows[0], o) : WecomMessages.Digest(rows, o);
        var data = JsonSerializer.Serialize(new { touser = recipients, title = message.Card.Title, url = message.Card.Url, rows = rows.Count });
        var what = rows.Count == 1 ? $"{rows[0].Id} ({rows[0].Event})" : $"{string.Join(',', rows.Select(r => r.Id))} (a digest of {rows.Count})";
        try
        {
            var sent = await tokens.CallAsync(async (token, token_ct) =>
            {
                var client = services.GetRequiredService<WecomClient>();
                try
                {
                    return o.CardType == WecomCardTypes.TemplateCard
                        ? await client.SendTemplateCardAsync(token, recipients, message.TemplateCard, token_ct)
                        : await client.SendCardAsync(token, recipients, message.Card, token_ct);
                }
                catch (WecomException e) when (e.ErrorCode == InvalidMessageType)
                {
                    return await client.SendTextAsync(token, recipients, message.Text, token_ct);
                }
            }, ct);
            string? invalid = null;
            if (sent.InvalidUsers.Count > 0)
            {
                invalid = $"{WecomStore.InvalidUser}: {string.Join('|', sent.InvalidUsers)}";
                logger.LogWarning("WeCom message {What} did not reach {InvalidUsers}: not users of the application; fix their WeCom user ids",
                    what, string.Join('|', sent.InvalidUsers));
            }
            foreach (var row in rows)
            {
                if (!await store.MarkSentAsync(row.Id, Owner, data, invalid, time.GetUtcNow().UtcDateTime, ct))
                {
                    logger.LogWarning("WeCom message {Id} was sent after its lease expired", row.Id);
                }
            }
            return Outcome.Sent;
        }
        catch (WecomException e) when (e.IsPermanent)
        {
            logger.LogWarning("WeCom message {What} refused with errcode {ErrCode}: no recipient is a user of the application ({Users}); not retried",
                what, e.ErrorCode, string.Join('|', recipients));
            foreach (var row in rows)
            {
                await store.MarkFinishedAsync(row.Id, Owner, NotificationStatus.Failed, e.ErrorCode,
                    $"{WecomStore.InvalidUser}: {string.Join('|', recipients)} ({e.Reason})", data, time.GetUtcNow().UtcDateTime, ct);
            }
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
            var reason = w is null ? e.GetType().Name : $"{w.Failure}: {w.Reason}";
            var outcome = Outcome.Retry;
            foreach (var row in rows)
            {
                var next = failedAt + NotificationDispatcher.Backoff(row.Attempts + 1, outbox.CurrentValue);
                if (next - row.CreatedAt > outbox.CurrentValue.GiveUpAfter)
                {
                    logger.LogError(e, "WeCom message {Id} ({Event}) given up after {Attempts} attempts", row.Id, row.Event, row.Attempts + 1);
                    await store.MarkFinishedAsync(row.Id, Owner, NotificationStatus.Failed, w?.ErrorCode, "gave_up: " + reason, data, failedAt, ct);
                    outcome = Outcome.Failed;
                    continue;
                }
                logger.LogWarning("WeCom message {Id} ({Event}) failed ({Reason}); retrying at {Next:O}", row.Id, row.Event, reason, next);
                await store.MarkRetryAsync(row.Id, Owner, attempted: true, w?.ErrorCode, reason, next, ct);
            }
            return outcome;
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
