using System.Globalization;
using System.Text;
using System.Text.Json;
using LianApi.Notifications;

namespace LianApi.Notifications.Wecom;

/// <summary>Events only WeCom carries: the sweep's deadline warnings and the morning to-do.</summary>
public static class WecomEvents
{
    public const string DeadlineWarning = "staff_deadline_warning";
    public const string DeadlinePassed = "staff_deadline_passed";
    public const string StillOverdue = "staff_still_overdue";
    public const string MorningTodo = "staff_morning_todo";

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [DeadlineWarning] = "临期预警",
        [DeadlinePassed] = "案件已超期",
        [StillOverdue] = "案件仍超期",
        [MorningTodo] = "今日待办",
    };

    public static string LabelOf(string eventName) =>
        Labels.TryGetValue(eventName, out var label) ? label : NotificationEvents.Labels.GetValueOrDefault(eventName, eventName);
}

/// <summary>The keys a WeCom row's facts add to the subscribe message's (<see cref="NotificationValues"/>).</summary>
public static class WecomFacts
{
    /// <summary>The running deadline, UTC ISO 8601 (shown in Beijing time).</summary>
    public const string Deadline = "deadline";
    /// <summary>"1" for an emergency category: never held for quiet hours.</summary>
    public const string Urgent = "urgent";
    public const string ActorUserId = "actorUserId";
    /// <summary>The morning to-do's counts.</summary>
    public const string New = "new";
    public const string DueToday = "dueToday";
    public const string Overdue = "overdue";
    public const string CallBacks = "callBacks";

    public static Dictionary<string, string> Read(string json) => JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    public static string Write(IReadOnlyDictionary<string, string> facts) => JsonSerializer.Serialize(facts);

    public static string Time(DateTime utc) => utc.ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>
/// A row as a case card: what happened and to which case (title), the case and its deadline in Beijing time, and what to
/// do (description), the console link (url). Cut to WeCom's byte limits; the text fallback says the same.
/// </summary>
public static class WecomMessages
{
    private const int TitleBytes = 128;
    private const int DescriptionBytes = 512;
    private const int TextBytes = 2048;

    public static WecomCard Card(ClaimedWecomMessage m, WecomOptions o)
    {
        var f = WecomFacts.Read(m.Facts);
        var label = WecomEvents.LabelOf(m.Event);
        if (m.Event == WecomEvents.MorningTodo)
        {
            var todo = $"新案件 {f.GetValueOrDefault(WecomFacts.New, "0")} 件，今日到期 {f.GetValueOrDefault(WecomFacts.DueToday, "0")} 件，" +
                       $"已超期 {f.GetValueOrDefault(WecomFacts.Overdue, "0")} 件，待回访 {f.GetValueOrDefault(WecomFacts.CallBacks, "0")} 件";
            return new WecomCard(Cut($"{label} · {f.GetValueOrDefault(NotificationValues.Unit, "")}", TitleBytes),
                Cut($"<div class=\"gray\">{Escape(f.GetValueOrDefault(NotificationValues.Time, ""))}</div><div class=\"normal\">{Escape(todo)}</div>" +
                    "<div class=\"highlight\">请打开待办逐件处理</div>", DescriptionBytes),
                o.InboxLink("today"), "待办");
        }
        var deadline = Deadline(f);
        var description = new StringBuilder()
            .Append($"<div class=\"gray\">{Escape(f.GetValueOrDefault(NotificationValues.Category, ""))} · {Escape(f.GetValueOrDefault(NotificationValues.Unit, ""))}</div>")
            .Append($"<div class=\"normal\">{Escape(f.GetValueOrDefault(NotificationValues.Summary, ""))}</div>")
            .Append(deadline is null ? "" : $"<div class=\"highlight\">办理时限：{deadline}（北京时间）</div>")
            .Append($"<div class=\"normal\">{Escape(f.GetValueOrDefault(NotificationValues.Hint, ""))}</div>");
        return new WecomCard(Cut($"{label}：{m.TrackingNo}", TitleBytes), Cut(description.ToString(), DescriptionBytes), o.CaseLink(m.TrackingNo ?? ""), "详情");
    }

    /// <summary>The same message as plain text with the link, for a client or host that refuses the card.</summary>
    public static string Text(ClaimedWecomMessage m, WecomOptions o)
    {
        var card = Card(m, o);
        var plain = System.Text.RegularExpressions.Regex.Replace(card.Description, "<div[^>]*>(.*?)</div>", "$1\n").Trim();
        return Cut($"{card.Title}\n{System.Net.WebUtility.HtmlDecode(plain)}\n<a href=\"{card.Url}\">{card.ButtonText}</a>", TextBytes);
    }

    public static string? Deadline(IReadOnlyDictionary<string, string> facts) =>
        facts.TryGetValue(WecomFacts.Deadline, out var text) && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var utc)
            ? KeywordValues.Format(utc.ToUniversalTime())
            : null;

    private static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);

    /// <summary>At most <paramref name="maxBytes"/> of UTF-8, cut between characters with an ellipsis.</summary>
    public static string Cut(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }
        var b = new StringBuilder();
        var bytes = Encoding.UTF8.GetByteCount("…");
        foreach (var rune in text.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > maxBytes)
            {
                break;
            }
            b.Append(rune.ToString());
        }
        return b.Append('…').ToString();
    }
}
