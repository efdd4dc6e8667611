using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LianApi.Shared;

namespace LianApi.Notifications;

/// <summary>What a message is about; each is one template in the configuration.</summary>
public static class NotificationEvents
{
    public const string ComplaintAccepted = "complaint_accepted";
    public const string ComplaintResolved = "complaint_resolved";
    public const string ComplaintRejected = "complaint_rejected";
    public const string ComplaintClosedUnrated = "complaint_closed_unrated";
    public const string StaffCaseReceived = "staff_case_received";
    public const string StaffCaseOverdue = "staff_case_overdue";
    public const string StaffCaseUrged = "staff_case_urged";
    public const string StaffCaseSupervised = "staff_case_supervised";

    public static readonly string[] Resident = [ComplaintAccepted, ComplaintResolved, ComplaintRejected, ComplaintClosedUnrated];
    public static readonly string[] Staff = [StaffCaseReceived, StaffCaseOverdue, StaffCaseUrged, StaffCaseSupervised];
    public static readonly string[] All = [.. Resident, .. Staff];

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [ComplaintAccepted] = "诉求已受理",
        [ComplaintResolved] = "诉求已办结",
        [ComplaintRejected] = "诉求不予受理",
        [ComplaintClosedUnrated] = "诉求已归档",
        [StaffCaseReceived] = "新案件待签收",
        [StaffCaseOverdue] = "案件已超时",
        [StaffCaseUrged] = "案件被催办",
        [StaffCaseSupervised] = "案件被督办",
    };

    public const string Description =
        "complaint_accepted, complaint_resolved, complaint_rejected, complaint_closed_unrated (the resident); " +
        "staff_case_received, staff_case_overdue, staff_case_urged, staff_case_supervised (the staff of the unit holding the case)";
}

/// <summary>The values a template keyword can be filled with (the right-hand side of <c>Notifications__Templates__…__Data</c>).</summary>
public static class NotificationValues
{
    public const string TrackingNo = "trackingNo";
    public const string Summary = "summary";
    public const string Status = "status";
    public const string Unit = "unit";
    public const string Time = "time";
    public const string Reply = "reply";
    public const string Category = "category";
    public const string Hint = "hint";

    public static readonly string[] All = [TrackingNo, Summary, Status, Unit, Time, Reply, Category, Hint];
}

/// <summary>The outbox's states.</summary>
public static class NotificationStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    public static readonly string[] All = [Pending, Sent, Failed, Skipped];
}

/// <summary>
/// Values fitted to WeChat's rules per keyword type (subscribe/send answers 47003 otherwise): control characters and
/// emoji removed everywhere, then the type's own limit. Characters are counted as text elements and cut with an
/// ellipsis where WeChat allows one.
/// </summary>
public static partial class KeywordValues
{
    [GeneratedRegex(@"^([a-z_]+?)\d+$")]
    private static partial Regex KeywordType();

    [GeneratedRegex(@"^(\d{4}年\d{1,2}月\d{1,2}日( \d{2}:\d{2})?|\d{2}:\d{2})$")]
    private static partial Regex WechatTime();

    public static string TypeOf(string keyword) => KeywordType().Match(keyword) is { Success: true } m ? m.Groups[1].Value : keyword;

    public static string Fit(string keyword, string? value)
    {
        var clean = Clean(value ?? "");
        var fitted = TypeOf(keyword) switch
        {
            "thing" => Cut(clean, 20),
            "number" => Take(clean, c => char.IsAsciiDigit(c) || c == '.', 32),
            "letter" => Take(clean, char.IsAsciiLetter, 32),
            "symbol" => Take(clean, c => !char.IsLetterOrDigit(c) && !char.IsWhiteSpace(c) && c < 128, 5),
            "character_string" => Take(clean, c => c is > ' ' and < (char)127, 32),
            "phone_number" => Take(clean, c => char.IsAsciiDigit(c) || c is '+' or '-', 17),
            "amount" => Amount(clean),
            "car_number" => Elements(clean).Take(8).Aggregate(new StringBuilder(), (b, e) => b.Append(e)).ToString(),
            "name" => Elements(clean).Any(e => e.Length > 1 || e[0] >= 128) ? Cut(clean, 10) : Cut(clean, 20),
            // Up to 5 Chinese characters and nothing else: the leading run of Han characters (已受理 of "已受理 · 上报街道").
            "phrase" => new string(clean.TakeWhile(IsHan).Take(5).ToArray()),
            "time" => Time(clean, withClock: true),
            "date" => Time(clean, withClock: false),
            _ => Cut(clean, 20),
        };
        // WeChat refuses an empty value as a bad parameter; a dash (or 无) says "nothing here".
        return fitted.Length > 0 ? fitted : TypeOf(keyword) is "phrase" or "name" or "thing" ? "无" : "-";
    }

    /// <summary>A time WeChat's time keyword accepts, in Beijing time: 2026年12月2日 11:57.</summary>
    public static string Format(DateTime utc) => ChinaTime.ToChina(utc).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);

    private static string Time(string value, bool withClock)
    {
        if (WechatTime().IsMatch(value))
        {
            return withClock || !value.Contains(' ', StringComparison.Ordinal) ? value : value[..value.IndexOf(' ', StringComparison.Ordinal)];
        }
        if (ChinaTime.TryParse(value, out var parsed))
        {
            var text = Format(parsed.UtcDateTime);
            return withClock ? text : text[..text.IndexOf(' ', StringComparison.Ordinal)];
        }
        return "";
    }

    private static string Amount(string value)
    {
        var digits = Take(value, c => char.IsAsciiDigit(c) || c == '.', 11);
        return digits.Length == 0 ? "" : "¥" + digits;
    }

    private static bool IsHan(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf';

    private static string Take(string value, Func<char, bool> keep, int max) => new(value.Where(keep).Take(max).ToArray());

    private static string Cut(string value, int max)
    {
        var elements = Elements(value).ToList();
        return elements.Count <= max ? value : string.Concat(elements.Take(max - 1)) + "…";
    }

    private static IEnumerable<string> Elements(string value)
    {
        var e = StringInfo.GetTextElementEnumerator(value);
        while (e.MoveNext())
        {
            yield return (string)e.Current;
        }
    }

    /// <summary>No control characters, no emoji or other pictographs (surrogate pairs, symbols, joiners, variation selectors), spaces collapsed.</summary>
    public static string Clean(string value)
    {
        var b = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsControl(rune) || rune.Value > 0xFFFF || category is UnicodeCategory.OtherSymbol or UnicodeCategory.Format
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate
                || rune.Value is >= 0xFE00 and <= 0xFE0F)
            {
                // A line break between words still separates them.
                if (Rune.IsWhiteSpace(rune) && b.Length > 0 && b[^1] != ' ')
                {
                    b.Append(' ');
                }
                continue;
            }
            if (Rune.IsWhiteSpace(rune))
            {
                if (b.Length > 0 && b[^1] != ' ')
                {
                    b.Append(' ');
                }
                continue;
            }
            b.Append(rune.ToString());
        }
        return b.ToString().Trim();
    }
}

/// <summary>One outbox row as ops read it.</summary>
public sealed record NotificationItem(
    [property: Description("The outbox row's id")] long Id,
    [property: Description(NotificationEvents.Description + "; on WeCom also staff_deadline_warning, staff_deadline_passed, staff_still_overdue, staff_morning_todo")] string Event,
    [property: Description("subscribe (a WeChat subscribe message to one user) or wecom (a WeCom application message to a unit's mapped staff)")] string Channel,
    [property: Description("pending, sent, failed or skipped")] string Status,
    [property: Description("The case it is about")] string? TrackingNo,
    [property: Description("The template it was (or will be) sent with; null before the first attempt")] string? TemplateId,
    [property: Description("Attempts made so far")] int Attempts,
    [property: Description("WeChat's (or WeCom's) errcode of the last attempt (0 delivered); null before any answer")] int? ErrCode,
    [property: Description("Why the last attempt failed or the message was skipped (no_consent, no_template, gave_up, …); on WeCom invalid_user: ids WeCom did not deliver to (fix their mapping), no_recipient, held: quiet hours")] string? LastError,
    [property: Description("When the transition wrote it")] DateTimeOffset CreatedAt,
    [property: Description("When it is (or was) next due")] DateTimeOffset DueAt,
    [property: Description("When it was sent, failed or skipped; null while pending")] DateTimeOffset? FinishedAt);

public sealed record NotificationBacklog(
    [property: Description("Messages waiting to be sent (due now or retrying later)")] int Pending,
    [property: Description("Age in seconds of the oldest pending message; 0 when none")] long OldestPendingSeconds,
    [property: Description("Messages that failed for good")] int Failed);

public sealed record NotificationPage(
    [property: Description("Newest first")] IReadOnlyList<NotificationItem> Items,
    [property: Description("The subscribe messages' backlog")] NotificationBacklog Backlog,
    [property: Description("The WeCom messages' backlog; null when the WeCom channel is off")] Wecom.WecomBacklog? Wecom);
