using LianApi.Shared;
using System.Globalization;

namespace LianApi.ContentSafety;

/// <summary>
/// msg_sec_check's scene: 1 profile, 2 comment, 3 forum, 4 social log. A report is an original post addressed to the
/// authorities (forum, 3); an evaluation comment comments on how a case was handled (comment, 2).
/// </summary>
public static class ContentScenes
{
    public const int Comment = 2;
    public const int Forum = 3;
}

/// <summary>What became of a text: WeChat's suggest, or <see cref="Unchecked"/> when WeChat could not judge it.</summary>
public enum TextSuggest
{
    Pass,
    Review,
    Risky,
    Unchecked,
    /// <summary>Not sent to WeChat: the resident has used up their checks for the minute (a 429, nothing stored).</summary>
    Throttled,
}

/// <summary>WeChat's verdict on one text with what identifies it at WeChat (trace_id) and why (label), or why there is none.</summary>
public sealed record TextVerdict(TextSuggest Suggest, string? Label, string? TraceId, string? Reason = null)
{
    public static TextVerdict Unchecked(string reason) => new(TextSuggest.Unchecked, null, null, reason);

    /// <summary>The internal timeline note: what WeChat said, with its label and trace_id (for WeChat support), in Chinese.</summary>
    public string Note => Suggest switch
    {
        TextSuggest.Pass => $"微信内容安全检测：通过（label {Label ?? "-"}，trace_id {TraceId ?? "-"}）",
        TextSuggest.Review => $"微信内容安全检测：疑似违规，待人工复核（label {Label ?? "-"}，trace_id {TraceId ?? "-"}）",
        TextSuggest.Risky => $"微信内容安全检测：违规（label {Label ?? "-"}，trace_id {TraceId ?? "-"}）",
        TextSuggest.Throttled => "微信内容安全检测：居民提交过于频繁，未检测",
        TextSuggest.Unchecked => $"微信内容安全检测未完成，待人工复核：{Reason}",
        _ => throw Vocabulary.Unknown("text check suggestions", Suggest),
    };

    /// <summary>The more severe of two verdicts (a text checked in parts is as bad as its worst part).</summary>
    public static TextVerdict Worst(TextVerdict a, TextVerdict b) => Severity(b.Suggest) > Severity(a.Suggest) ? b : a;

    private static int Severity(TextSuggest s) => s switch
    {
        TextSuggest.Pass => 0,
        TextSuggest.Unchecked => 1,
        TextSuggest.Review => 2,
        TextSuggest.Risky => 3,
        TextSuggest.Throttled => 4,
        _ => throw Vocabulary.Unknown("text check suggestions", s),
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Suggest} label={Label} trace_id={TraceId} {Reason}");
}

/// <summary>Checks a resident's free text before it is stored. Never throws for WeChat's faults: those are <see cref="TextSuggest.Unchecked"/>.</summary>
public interface ITextChecker
{
    Task<TextVerdict> CheckAsync(long userId, int scene, string content, CancellationToken ct);
}

/// <summary>
/// Development without WeChat: deterministic and local. Text containing 【测试违规】 is risky, 【测试待审】 review,
/// anything else passes.
/// </summary>
internal sealed class EmulatedTextChecker : ITextChecker
{
    public const string RiskyMarker = "【测试违规】";
    public const string ReviewMarker = "【测试待审】";

    public Task<TextVerdict> CheckAsync(long userId, int scene, string content, CancellationToken ct)
    {
        var traceId = "emu-" + Guid.NewGuid().ToString("N")[..24];
        return Task.FromResult(content.Contains(RiskyMarker, StringComparison.Ordinal) ? new TextVerdict(TextSuggest.Risky, "21000", traceId)
            : content.Contains(ReviewMarker, StringComparison.Ordinal) ? new TextVerdict(TextSuggest.Review, "21000", traceId)
            : new TextVerdict(TextSuggest.Pass, "100", traceId));
    }
}
