using System.Text.Json;
using LianApi.ContentSafety;
using LianApi.Wechat;

namespace LianApi.Photos;

/// <summary>
/// Submits a stored photo to WeChat's image check (media_check_async v2) from the WeChat job queue: the job is enqueued
/// in the upload's transaction (<see cref="PhotoStore.InsertAsync"/>), so a crash between the upload and the submission
/// only delays it, and a failed submission is retried with the queue's backoff. The photo gets WeChat's trace_id; the
/// verdict comes later as a wxa_media_check push (<see cref="PhotoCheckResults"/>).
/// </summary>
internal sealed class PhotoCheckJob(PhotoStore photos, PhotoLinks links, IServiceProvider services, IPhotoCaseFlags cases, TimeProvider time,
    ILogger<PhotoCheckJob> logger) : IWechatJobHandler
{
    public const string JobKind = "photo-media-check";

    /// <summary>The job's payload: the photo, and the upload's file name for the emulator's test markers (at most 100 characters).</summary>
    public sealed record Payload(string PhotoId, string? FileName);

    /// <summary>The job of a new photo: one per photo, due at once.</summary>
    public static WechatJobStore.NewJob For(string photoId, string? fileName, DateTime now) => new(JobKind, $"{JobKind}:{photoId}",
        JsonSerializer.Serialize(new Payload(photoId, fileName is { Length: > 100 } ? fileName[..100] : fileName)), now);

    // WeChat's answers that no retry changes: the resident has not opened the mini-program within 2 hours (61010), or
    // the openid is not valid for this app (40003, 43104).
    private static readonly HashSet<int> Final = [61010, 40003, 43104];

    public string Kind => JobKind;

    public async Task RunAsync(WechatJob job, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<Payload>(job.Payload)!;
        if (await photos.FindAsync(payload.PhotoId, ct) is not { MediaTraceId: null, Moderation: Moderation.Pending } photo)
        {
            // Deleted by the sweep (never attached), or submitted already by an earlier run of this job.
            return;
        }
        // Resolved per run: the Live checker holds a typed HttpClient, which must not live as long as this singleton.
        var checker = services.GetRequiredService<IMediaChecker>();
        string traceId;
        try
        {
            traceId = await checker.SubmitAsync(new MediaCheckSubmission(photo.OwnerUserId, links.ForMediaCheck(photo.Id), ContentScenes.Forum, payload.FileName), ct);
        }
        catch (WechatException e) when (e.ErrorCode is { } code && Final.Contains(code))
        {
            logger.LogWarning("media_check_async refused photo {PhotoId} with errcode {ErrCode}; flagged for a person to look at", photo.Id, code);
            await photos.MarkUncheckedAsync(photo.Id, $"微信不予检测（errcode {code}）", time.GetUtcNow().UtcDateTime, cases, ct);
            return;
        }
        await photos.RecordSubmissionAsync(photo.Id, traceId, time.GetUtcNow().UtcDateTime, ct);
    }
}

/// <summary>
/// Applies a wxa_media_check result to the photo submitted under its trace_id, once per trace_id: pass, review or risky
/// (risky hides the photo from everyone but the dispatch center; review and risky flag its case). A result WeChat could
/// not reach (no suggest, e.g. the image could not be downloaded) flags the photo for a person to look at.
/// </summary>
internal sealed class PhotoCheckResults(PhotoStore photos, IPhotoCaseFlags cases, TimeProvider time, ILogger<PhotoCheckResults> logger)
    : IMediaCheckResultHandler
{
    public async Task ApplyAsync(MediaCheckResult result, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (result.Suggest is not { } suggest)
        {
            if (await photos.FindByTraceIdAsync(result.TraceId, ct) is { } id)
            {
                var status = result.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
                await photos.MarkUncheckedAsync(id, $"微信未能检测该照片（status_code {status}）", now, cases, ct);
            }
            return;
        }
        var moderation = suggest switch
        {
            "risky" => Moderation.Risky,
            "review" => Moderation.Review,
            _ => Moderation.Pass,
        };
        if (await photos.ApplyVerdictAsync(result.TraceId, moderation, result.Label, now, cases, ct) == PhotoStore.VerdictOutcome.UnknownTrace)
        {
            // Not ours to apply: a submission whose trace_id was lost in a crash (the photo was submitted again under a
            // new one), or another app's. Retrying would not make it ours.
            logger.LogWarning("wxa_media_check result for trace_id {TraceId} ({Suggest}) matches no photo; ignored", result.TraceId, suggest);
        }
    }
}
