using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using LianApi.Data;

namespace LianApi.Wechat;

/// <summary>A verified push as stored: its event name and the JSON WeChat sent (decrypted in safe mode).</summary>
public sealed record WechatPushEvent
{
    public long Id { get; init; }
    public string EventKey { get; init; } = "";
    public string Event { get; init; } = "";
    public string Body { get; init; } = "";
    public DateTime ReceivedAt { get; init; }
    public DateTime? ProcessedAt { get; init; }
}

/// <summary>
/// Applies the pushes of one event name (wxa_media_check for photos, subscribe_msg_popup_event and
/// subscribe_msg_sent_event for notifications). Runs from the job queue, after the push was stored and acknowledged;
/// may run again for the same event after a failure, so it must be idempotent. Throwing retries it with backoff.
/// </summary>
public interface IWechatPushHandler
{
    string Event { get; }

    Task HandleAsync(WechatPushEvent pushed, JsonElement body, CancellationToken ct);
}

/// <summary>What a push's JSON says about itself: its event name and its own identity (WeChat's retries repeat it).</summary>
public static class PushIdentity
{
    public const string MediaCheckEvent = "wxa_media_check";

    /// <summary>
    /// The event's name (Event, or MsgType for messages) and its key: trace_id for media checks, MsgId for messages,
    /// otherwise FromUserName + CreateTime + Event, which WeChat keeps when it retries.
    /// </summary>
    public static (string Event, string Key) Of(JsonElement body)
    {
        var name = Text(body, "Event") ?? Text(body, "MsgType") ?? "unknown";
        name = name.Length <= 64 ? name : name[..64];
        var key = name == MediaCheckEvent && Text(body, "trace_id") is { } traceId ? $"{name}:{traceId}"
            : Text(body, "MsgId") is { } msgId ? $"msg:{msgId}"
            : $"{name}:{Text(body, "FromUserName")}:{Text(body, "CreateTime")}";
        return (name, key.Length <= 200 ? key : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))));
    }

    /// <summary>A field as text, whether WeChat sent it as a string or a number.</summary>
    public static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}

/// <summary>What became of a verified push.</summary>
public enum PushStored
{
    Stored,
    Duplicate,
    Replayed,
}

/// <summary>The one owner of WechatPushEvents: every verified push, once per its own identity.</summary>
public sealed class PushEventStore(Database db)
{
    public const string ApplyJobKind = "push-event";

    private const string InsertEvent = """
        INSERT INTO WechatPushEvents (EventKey, Event, Body, ReceivedAt)
        SELECT @EventKey, @Event, @Body, @ReceivedAt
        WHERE NOT EXISTS (SELECT 1 FROM WechatPushEvents WHERE EventKey = @EventKey);
        """;

    private const string SelectEventId = "SELECT Id FROM WechatPushEvents WHERE EventKey = @EventKey";

    /// <summary>
    /// Stores a push and enqueues applying it, in one transaction, claiming the (timestamp, nonce) it was signed with
    /// when there is one (a push that is not stored spends no nonce). Duplicate: this event was stored before (a retry
    /// of WeChat's: acknowledged, never applied twice); Replayed: the signed query was used before (refused).
    /// </summary>
    public async Task<PushStored> StoreAsync(string eventKey, string eventName, string body, DateTime now, CancellationToken ct,
        (long Timestamp, string Nonce)? signedWith = null)
    {
        try
        {
            return await db.WriteAsync(async (c, tx) =>
            {
                if (signedWith is var (timestamp, nonce) && !await PushNonces.TryClaimAsync(c, tx, db.Dialect, timestamp, nonce, now, ct))
                {
                    return PushStored.Replayed;
                }
                var inserted = await c.ExecuteScalarAsync<int>(new CommandDefinition(InsertEvent + db.Dialect.SelectRowsAffected,
                    new { EventKey = eventKey, Event = eventName, Body = body, ReceivedAt = now }, tx, cancellationToken: ct));
                if (inserted == 0)
                {
                    return PushStored.Duplicate;
                }
                var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(SelectEventId, new { EventKey = eventKey }, tx, cancellationToken: ct));
                var payload = id.ToString(CultureInfo.InvariantCulture);
                await WechatJobStore.EnqueueAsync(c, tx, new WechatJobStore.NewJob(ApplyJobKind, $"{ApplyJobKind}:{payload}", payload, now), now, ct);
                return PushStored.Stored;
            }, ct);
        }
        catch (Exception e) when (DuplicateKey.Is(e))
        {
            // The same push arrived twice at once (two instances): the other one stored it.
            return PushStored.Duplicate;
        }
    }

    private const string SelectEvent = "SELECT Id, EventKey, Event, Body, ReceivedAt, ProcessedAt FROM WechatPushEvents WHERE Id = @Id";

    public Task<WechatPushEvent?> FindAsync(long id, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<WechatPushEvent>(new CommandDefinition(SelectEvent, new { Id = id }, cancellationToken: ct)), ct);

    private const string MarkProcessed = "UPDATE WechatPushEvents SET ProcessedAt = @Now WHERE Id = @Id AND ProcessedAt IS NULL";

    public Task MarkProcessedAsync(long id, DateTime now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(MarkProcessed, new { Id = id, Now = now }, tx, cancellationToken: ct)), ct);
}

/// <summary>The job that applies a stored push: every handler of its event name, then the event is marked processed.</summary>
internal sealed class ApplyPushEventJob(PushEventStore events, IEnumerable<IWechatPushHandler> handlers, TimeProvider time, ILogger<ApplyPushEventJob> logger)
    : IWechatJobHandler
{
    public string Kind => PushEventStore.ApplyJobKind;

    public async Task RunAsync(WechatJob job, CancellationToken ct)
    {
        var id = long.Parse(job.Payload, CultureInfo.InvariantCulture);
        if (await events.FindAsync(id, ct) is not { ProcessedAt: null } pushed)
        {
            return;
        }
        using var body = JsonDocument.Parse(pushed.Body);
        var applied = 0;
        foreach (var handler in handlers.Where(h => h.Event == pushed.Event))
        {
            await handler.HandleAsync(pushed, body.RootElement, ct);
            applied++;
        }
        if (applied == 0)
        {
            logger.LogInformation("WeChat push {Event} ({EventId}) stored; nothing in this version acts on it", pushed.Event, pushed.Id);
        }
        await events.MarkProcessedAsync(id, time.GetUtcNow().UtcDateTime, ct);
    }
}

/// <summary>The result of an asynchronous media check (media_check_async v2), as pushed in a wxa_media_check event.</summary>
/// <param name="Suggest">pass, review or risky; null when WeChat could not judge the media (e.g. it could not download it).</param>
/// <param name="StatusCode">The legacy status_code (-1008: WeChat could not download the URL), when present.</param>
public sealed record MediaCheckResult(string TraceId, string? Suggest, string? Label, long? StatusCode);

/// <summary>
/// Applies a media check's result to what was checked (the photos feature matches <see cref="MediaCheckResult.TraceId"/>
/// to the photo it submitted). Idempotent: WeChat may push the same result again, and a failure retries it.
/// </summary>
public interface IMediaCheckResultHandler
{
    Task ApplyAsync(MediaCheckResult result, CancellationToken ct);
}

/// <summary>wxa_media_check pushes, read tolerantly (label as a string or a number), handed to every result handler.</summary>
internal sealed class MediaCheckPushHandler(IEnumerable<IMediaCheckResultHandler> handlers, ILogger<MediaCheckPushHandler> logger) : IWechatPushHandler
{
    public string Event => PushIdentity.MediaCheckEvent;

    public async Task HandleAsync(WechatPushEvent pushed, JsonElement body, CancellationToken ct)
    {
        if (Parse(body) is not { } result)
        {
            logger.LogWarning("wxa_media_check push {EventId} without a trace_id; stored and not applied", pushed.Id);
            return;
        }
        var any = false;
        foreach (var handler in handlers)
        {
            await handler.ApplyAsync(result, ct);
            any = true;
        }
        if (!any)
        {
            logger.LogInformation("Media check result {TraceId} ({Suggest}) stored; no media feature in this version", result.TraceId, result.Suggest);
        }
    }

    public static MediaCheckResult? Parse(JsonElement body)
    {
        if (PushIdentity.Text(body, "trace_id") is not { } traceId)
        {
            return null;
        }
        string? suggest = null, label = null;
        if (body.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object)
        {
            suggest = PushIdentity.Text(result, "suggest");
            label = PushIdentity.Text(result, "label");
        }
        long? status = PushIdentity.Text(body, "status_code") is { } s && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
        return new MediaCheckResult(traceId, suggest is "pass" or "review" or "risky" ? suggest : null, label, status);
    }
}
