using System.Text.Json;
using LianApi.Auth;
using LianApi.Wechat;

namespace LianApi.ContentSafety;

/// <summary>
/// A stored image to check: a URL WeChat can download (signed, valid beyond WeChat's 30-minute window), the resident who
/// sent it, the scene, and the upload's file name (which only the emulator reads, for its test markers).
/// </summary>
public sealed record MediaCheckSubmission(long UserId, string MediaUrl, int Scene, string? FileName = null);

/// <summary>
/// Submits images to WeChat's asynchronous check (media_check_async v2). The answer is only WeChat's trace_id; the
/// result arrives later as a wxa_media_check push, stored and handed to every <see cref="IMediaCheckResultHandler"/>.
/// Failures throw (<see cref="WechatException"/>; 61010 when the resident has not opened the mini-program within
/// 2 hours, which no retry fixes): call it from a job of the WeChat job queue, which retries with backoff.
/// </summary>
public interface IMediaChecker
{
    Task<string> SubmitAsync(MediaCheckSubmission submission, CancellationToken ct);
}

internal sealed class WechatMediaChecker(WechatClient client, WechatAccessTokenProvider tokens, UserStore users) : IMediaChecker
{
    public async Task<string> SubmitAsync(MediaCheckSubmission submission, CancellationToken ct)
    {
        var openId = await users.FindOpenIdAsync(submission.UserId, ct)
            ?? throw new InvalidOperationException($"User {submission.UserId} has no openid");
        return await tokens.CallAsync((token, c) => client.MediaCheckAsyncAsync(token, openId, submission.Scene, submission.MediaUrl, c), ct);
    }
}

/// <summary>
/// Development without WeChat: every submission gets a trace_id at once, and after <see cref="Delay"/> its result is
/// pushed into the message-push path (stored as a wxa_media_check event, applied from the job queue) exactly as WeChat's
/// would be. A file name containing 测试违规 or test-risky is risky, 测试待审 or test-review review; anything else passes.
/// </summary>
internal sealed class EmulatedMediaChecker(WechatJobStore jobs, WechatJobSignal signal, TimeProvider time) : IMediaChecker
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(3);

    public async Task<string> SubmitAsync(MediaCheckSubmission submission, CancellationToken ct)
    {
        var traceId = "emu-media-" + Guid.NewGuid().ToString("N")[..22];
        var name = submission.FileName ?? "";
        var (suggest, label) = name.Contains("测试违规", StringComparison.Ordinal) || name.Contains("test-risky", StringComparison.OrdinalIgnoreCase) ? ("risky", "20002")
            : name.Contains("测试待审", StringComparison.Ordinal) || name.Contains("test-review", StringComparison.OrdinalIgnoreCase) ? ("review", "21000")
            : ("pass", "100");
        var now = time.GetUtcNow().UtcDateTime;
        await jobs.EnqueueAsync(new WechatJobStore.NewJob(EmulatedMediaCheckJob.JobKind, $"{EmulatedMediaCheckJob.JobKind}:{traceId}",
            JsonSerializer.Serialize(new EmulatedMediaCheckJob.Result(traceId, suggest, label)), now + Delay), now, ct);
        signal.WakeAfter(Delay);
        return traceId;
    }
}

/// <summary>The emulator's "WeChat pushes the result": a wxa_media_check event stored like a verified push.</summary>
internal sealed class EmulatedMediaCheckJob(PushEventStore events, WechatJobSignal signal, TimeProvider time) : IWechatJobHandler
{
    public const string JobKind = "emulated-media-check";

    public sealed record Result(string TraceId, string Suggest, string Label);

    public string Kind => JobKind;

    public async Task RunAsync(WechatJob job, CancellationToken ct)
    {
        var result = JsonSerializer.Deserialize<Result>(job.Payload)!;
        var now = time.GetUtcNow();
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ToUserName"] = "gh_emulator",
            ["FromUserName"] = "emulator",
            ["CreateTime"] = now.ToUnixTimeSeconds(),
            ["MsgType"] = "event",
            ["Event"] = PushIdentity.MediaCheckEvent,
            ["appid"] = "emulator",
            ["trace_id"] = result.TraceId,
            ["version"] = 2,
            ["result"] = new Dictionary<string, string> { ["suggest"] = result.Suggest, ["label"] = result.Label },
            ["detail"] = new[] { new Dictionary<string, object> { ["strategy"] = "content_model", ["errcode"] = 0, ["suggest"] = result.Suggest, ["label"] = result.Label } },
        });
        using var parsed = JsonDocument.Parse(body);
        var (eventName, key) = PushIdentity.Of(parsed.RootElement);
        if (await events.StoreAsync(key, eventName, body, now.UtcDateTime, ct) == PushStored.Stored)
        {
            signal.Wake();
        }
    }
}
