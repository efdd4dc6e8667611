using System.Globalization;
using System.Text;
using System.Text.Json;
using LianApi.Notifications;
using LianApi.Shared;

namespace LianApi.Notifications.Wecom;

/// <summary>Events only WeCom carries: the sweep's deadline warnings and the morning to-do.</summary>
public static class WecomEvents
{
    public const string DeadlineWarning = "staff_deadline_warning";
    public const string DeadlinePassed = "staff_deadline_passed";
    public const string StillOverdue = "staff_still_overdue";
    public const string MorningTodo = "staff_morning_todo";
    /// <summary>The daily or weekly report is ready: its headline figures, to one configured recipient.</summary>
    public const string Report = "staff_report";

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [DeadlineWarning] = "临期预警",
        [DeadlinePassed] = "案件已超期",
        [StillOverdue] = "案件仍超期",
        [MorningTodo] = "今日待办",
        [Report] = "诉求办理报告",
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
    /// <summary>One WeCom user id the message goes to, instead of a unit's mapped staff.</summary>
    public const string To = "to";
    /// <summary>A report card's title, its lines (one per figure, separated by a line feed) and its link.</summary>
    public const string Title = "title";
    public const string Lines = "lines";
    public const string Link = "link";

    public static Dictionary<string, string> Read(string json) => JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    public static string Write(IReadOnlyDictionary<string, string> facts) => JsonSerializer.Serialize(facts);

    public static string Time(DateTime utc) => utc.ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>One message in each form a host may take: the text card, the template card, and plain text.</summary>
public sealed record WecomMessage(WecomCard Card, WecomTemplateCard TemplateCard)
{
    public string Text => WecomMessages.Text(Card);
}

/// <summary>
/// A row as a case card: what happened and to which case (title), the case and its deadline in Beijing time, and what to
/// do (description), the console link (url); several rows to the same people as one digest. Cut to WeCom's limits; the
/// template card and the text fallback say the same.
/// </summary>
public static class WecomMessages
{
    private const int TitleBytes = 128;
    private const int DescriptionBytes = 512;
    private const int TextBytes = 2048;

    /// <summary>The event in at most <see cref="WecomTemplateCard.KeyChars"/> characters: a digest's line key.</summary>
    public static readonly IReadOnlyDictionary<string, string> ShortLabels = new Dictionary<string, string>
    {
        [NotificationEvents.StaffCaseReceived] = "新案件",
        [NotificationEvents.StaffCaseOverdue] = "已超时",
        [NotificationEvents.StaffCaseUrged] = "催办",
        [NotificationEvents.StaffCaseSupervised] = "督办",
        [WecomEvents.DeadlineWarning] = "临期",
        [WecomEvents.DeadlinePassed] = "超期",
        [WecomEvents.StillOverdue] = "仍超期",
        [WecomEvents.MorningTodo] = "待办",
        [WecomEvents.Report] = "报告",
    };

    public static WecomMessage For(ClaimedWecomMessage m, WecomOptions o)
    {
        var f = WecomFacts.Read(m.Facts);
        var label = WecomEvents.LabelOf(m.Event);
        var unit = f.GetValueOrDefault(NotificationValues.Unit, "");
        if (m.Event == WecomEvents.MorningTodo)
        {
            var counts = new (string Key, string Fact)[] { ("新案件", WecomFacts.New), ("今日到期", WecomFacts.DueToday), ("已超期", WecomFacts.Overdue), ("待回访", WecomFacts.CallBacks) };
            var todo = string.Join("，", counts.Select(c => $"{c.Key} {f.GetValueOrDefault(c.Fact, "0")} 件"));
            var link = o.ToDoLink();
            return new WecomMessage(
                new WecomCard(Cut($"{label} · {unit}", TitleBytes),
                    Cut($"<div class=\"gray\">{Escape(f.GetValueOrDefault(NotificationValues.Time, ""))}</div><div class=\"normal\">{Escape(todo)}</div>" +
                        "<div class=\"highlight\">请打开待办逐件处理</div>", DescriptionBytes),
                    link, "待办"),
                new WecomTemplateCard(
                    new(Chars(label, WecomTemplateCard.TitleChars), Chars(unit, WecomTemplateCard.TitleDescChars)),
                    new(Chars($"{f.GetValueOrDefault(WecomFacts.Overdue, "0")} 件", WecomTemplateCard.EmphasisTitleChars), "已超期"),
                    Chars($"{f.GetValueOrDefault(NotificationValues.Time, "")} 请打开待办逐件处理", WecomTemplateCard.SubTitleChars),
                    counts.Select(c => new WecomTemplateCard.Line(c.Key, $"{f.GetValueOrDefault(c.Fact, "0")} 件")).ToList(),
                    [new("打开待办", link)], new(link)));
        }
        if (m.Event == WecomEvents.Report)
        {
            return Report(f);
        }
        var deadline = Deadline(f);
        var category = f.GetValueOrDefault(NotificationValues.Category, "");
        var summary = f.GetValueOrDefault(NotificationValues.Summary, "");
        var hint = f.GetValueOrDefault(NotificationValues.Hint, "");
        var url = o.CaseLink(m.TrackingNo ?? "");
        var description = new StringBuilder()
            .Append($"<div class=\"gray\">{Escape(category)} · {Escape(unit)}</div>")
            .Append($"<div class=\"normal\">{Escape(summary)}</div>")
            .Append(deadline is null ? "" : $"<div class=\"highlight\">办理时限：{deadline}（北京时间）</div>")
            .Append($"<div class=\"normal\">{Escape(hint)}</div>");
        var lines = new List<WecomTemplateCard.Line> { new("类别", Chars(category, WecomTemplateCard.ValueChars)), new("单位", Chars(unit, WecomTemplateCard.ValueChars)) };
        if (hint.Length > 0)
        {
            lines.Add(new("办理", Chars(hint, WecomTemplateCard.ValueChars)));
        }
        return new WecomMessage(
            new WecomCard(Cut($"{label}：{m.TrackingNo}", TitleBytes), Cut(description.ToString(), DescriptionBytes), url, "详情"),
            new WecomTemplateCard(
                new(Chars(label, WecomTemplateCard.TitleChars), Chars(m.TrackingNo ?? "", WecomTemplateCard.TitleDescChars)),
                ShortDeadline(f, "HH:mm") is { } time ? new(time, $"{ShortDeadline(f, "M月d日")} 办理时限") : null,
                Chars(summary, WecomTemplateCard.SubTitleChars), lines, [new("打开案件", url)], new(url)));
    }

    /// <summary>A report card: its title, the headline figures one per line (written by the report, with 环比), and the download link.</summary>
    private static WecomMessage Report(IReadOnlyDictionary<string, string> f)
    {
        var title = f.GetValueOrDefault(WecomFacts.Title, "");
        var lines = f.GetValueOrDefault(WecomFacts.Lines, "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var link = f.GetValueOrDefault(WecomFacts.Link, "");
        var description = new StringBuilder();
        foreach (var line in lines)
        {
            description.Append($"<div class=\"normal\">{Escape(line)}</div>");
        }
        description.Append("<div class=\"highlight\">PDF 与 Excel 请打开报告下载</div>");
        var label = WecomEvents.LabelOf(WecomEvents.Report);
        return new WecomMessage(
            new WecomCard(Cut(title, TitleBytes), Cut(description.ToString(), DescriptionBytes), link, "查看报告"),
            new WecomTemplateCard(
                new(Chars(label, WecomTemplateCard.TitleChars), Chars(title, WecomTemplateCard.TitleDescChars)),
                null,
                Chars(title, WecomTemplateCard.SubTitleChars),
                lines.Take(WecomTemplateCard.MaxLines).Select(l => l.Split('：', 2) is [var key, var value]
                    ? new WecomTemplateCard.Line(Chars(key, WecomTemplateCard.KeyChars), Chars(value, WecomTemplateCard.ValueChars))
                    : new WecomTemplateCard.Line("", Chars(l, WecomTemplateCard.ValueChars))).ToList(),
                [new("查看报告", link)], new(link)));
    }

    /// <summary>
    /// Several rows to the same people as one message: how many of each event (title), one line per case with its
    /// deadline while the card has room and how many more there are, and the unit's to-do in the console.
    /// </summary>
    public static WecomMessage Digest(IReadOnlyList<ClaimedWecomMessage> rows, WecomOptions o)
    {
        var items = rows.Select(r => (Row: r, Facts: WecomFacts.Read(r.Facts), Key: ShortLabels.GetValueOrDefault(r.Event, WecomEvents.LabelOf(r.Event)))).ToList();
        var unit = items.Select(i => i.Facts.GetValueOrDefault(NotificationValues.Unit, "")).FirstOrDefault(u => u.Length > 0) ?? "";
        var tally = string.Join(" · ", items.GroupBy(i => i.Key).Select(g => $"{g.Key} {g.Count()}"));
        var title = $"{rows.Count} 条案件提醒：{tally}";
        var link = o.ToDoLink();
        string LineOf((ClaimedWecomMessage Row, Dictionary<string, string> Facts, string Key) i) =>
            $"{i.Row.TrackingNo} {i.Facts.GetValueOrDefault(NotificationValues.Category, "")}" +
            (ShortDeadline(i.Facts) is { } d ? $" 时限 {d}" : "");

        var description = new StringBuilder($"<div class=\"gray\">{Escape(unit)} · 时间为北京时间</div>");
        var shown = 0;
        foreach (var item in items)
        {
            var line = $"<div class=\"normal\">{Escape(item.Key)} {Escape(LineOf(item))}</div>";
            var rest = $"<div class=\"highlight\">另有 {items.Count - shown - 1} 条，请打开待办查看</div>";
            if (Encoding.UTF8.GetByteCount(description.ToString() + line + rest) > DescriptionBytes)
            {
                break;
            }
            description.Append(line);
            shown++;
        }
        description.Append(shown < items.Count
            ? $"<div class=\"highlight\">另有 {items.Count - shown} 条，请打开待办查看</div>"
            : "<div class=\"highlight\">请打开待办逐件处理</div>");

        var lines = items.Take(WecomTemplateCard.MaxLines).Select(i => new WecomTemplateCard.Line(Chars(i.Key, WecomTemplateCard.KeyChars), Chars(LineOf(i), WecomTemplateCard.ValueChars))).ToList();
        var more = items.Count > lines.Count ? $"另有 {items.Count - lines.Count} 条，" : "";
        return new WecomMessage(
            new WecomCard(Cut(title, TitleBytes), Cut(description.ToString(), DescriptionBytes), link, "待办"),
            new WecomTemplateCard(
                new(Chars($"{rows.Count} 条案件提醒", WecomTemplateCard.TitleChars), Chars(unit, WecomTemplateCard.TitleDescChars)),
                new(Chars($"{rows.Count} 条", WecomTemplateCard.EmphasisTitleChars), "待处理"),
                Chars($"{tally}。{more}请打开待办逐件处理（时间为北京时间）", WecomTemplateCard.SubTitleChars), lines, [new("打开待办", link)], new(link)));
    }

    /// <summary>The same message as plain text with the link, for a client or host that refuses the card.</summary>
    public static string Text(WecomCard card)
    {
        var plain = System.Text.RegularExpressions.Regex.Replace(card.Description, "<div[^>]*>(.*?)</div>", "$1\n").Trim();
        return Cut($"{card.Title}\n{System.Net.WebUtility.HtmlDecode(plain)}\n<a href=\"{card.Url}\">{card.ButtonText}</a>", TextBytes);
    }

    public static string? Deadline(IReadOnlyDictionary<string, string> facts) => DeadlineUtc(facts) is { } utc ? KeywordValues.Format(utc) : null;

    /// <summary>The deadline as "12月8日 17:00", Beijing time: a digest line's and a template card's shorter form.</summary>
    private static string? ShortDeadline(IReadOnlyDictionary<string, string> facts, string format = "M月d日 HH:mm") =>
        DeadlineUtc(facts) is { } utc ? ChinaTime.ToChina(utc).ToString(format, CultureInfo.InvariantCulture) : null;

    private static DateTime? DeadlineUtc(IReadOnlyDictionary<string, string> facts) =>
        facts.TryGetValue(WecomFacts.Deadline, out var text) && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var utc)
            ? utc.ToUniversalTime()
            : null;

    private static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);

    /// <summary>At most <paramref name="maxChars"/> characters (runes), the last an ellipsis when cut.</summary>
    public static string Chars(string text, int maxChars)
    {
        var runes = text.EnumerateRunes().ToList();
        return runes.Count <= maxChars ? text : string.Concat(runes.Take(maxChars - 1).Select(r => r.ToString())) + "…";
    }

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
