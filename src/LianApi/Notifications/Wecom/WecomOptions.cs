using LianApi.Notifications;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications.Wecom;

/// <summary>
/// WeCom (企业微信) application messages for staff. 政务微信 exposes the same server API on its own host, so it is the same
/// channel with another <see cref="ApiHost"/>. Without a corp id the channel is off and staff keep subscribe messages.
/// </summary>
public sealed class WecomOptions
{
    public const string Section = "Wecom";

    /// <summary>The organisation's corp id (企业ID, 我的企业 → 企业信息).</summary>
    public string CorpId { get; set; } = "";

    /// <summary>The self-built application's AgentId (应用管理 → the app).</summary>
    public int AgentId { get; set; }

    /// <summary>The application's Secret; from the secret store, never appsettings.json.</summary>
    public string Secret { get; set; } = "";

    /// <summary>WeCom's API host; a 政务微信 deployment's own host, or a loopback fake in tests.</summary>
    public string ApiHost { get; set; } = "https://qyapi.weixin.qq.com";

    /// <summary>The staff console's base URL: a case opens at <c>{ConsoleBaseUrl}/cases/{trackingNo}</c>, a unit's to-do at <c>{ConsoleBaseUrl}/cases?sort=urgent</c>.</summary>
    public string ConsoleBaseUrl { get; set; } = "";

    /// <summary>Deadline warnings before a running deadline, each either a share of the time (<c>75%</c>) or a time before it (<c>2h</c>, <c>30m</c>).</summary>
    public List<string> WarningPoints { get; set; } = ["75%", "2h"];

    /// <summary>When a unit's morning to-do (今日待办) is written on working days, Beijing time; also when held messages go out.</summary>
    public TimeOnly DigestTime { get; set; } = new(8, 30);

    /// <summary>Quiet hours (Beijing time): a non-urgent message due in them waits for <see cref="QuietHoursEnd"/>. Equal times: no quiet hours.</summary>
    public TimeOnly QuietHoursStart { get; set; } = new(21, 0);

    public TimeOnly QuietHoursEnd { get; set; } = new(8, 0);

    /// <summary>
    /// Rest days of the working calendar (weekends, holidays) are quiet all day: a non-urgent message waits for
    /// <see cref="QuietHoursEnd"/> on the next working day. False: only the nights are quiet.
    /// </summary>
    public bool QuietOnRestDays { get; set; } = true;

    /// <summary>
    /// The card a message is sent as: <c>textcard</c> (every WeCom and 政务微信 client shows it) or <c>template_card</c> (a text
    /// notice with the deadline emphasised and key-value lines). A host that refuses either gets the same message as text.
    /// </summary>
    public string CardType { get; set; } = WecomCardTypes.TextCard;

    /// <summary>
    /// This many non-urgent messages or more to the same people in one dispatch run go as one digest card (WeCom drops
    /// what passes 30 messages a member a minute); 0 sends each on its own. Emergencies always go on their own.
    /// </summary>
    public int DigestFrom { get; set; } = 3;

    /// <summary>Per attempt and in total; the outbox retries later, so WeCom gets a few seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each instance sends due WeCom messages; zero turns the background dispatcher off.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled => CorpId.Length > 0;

    public string CaseLink(string trackingNo) => $"{ConsoleBaseUrl.TrimEnd('/')}/cases/{Uri.EscapeDataString(trackingNo)}";

    /// <summary>The unit's inbox in the console with the most urgent first: overdue, supervised and urged, then the nearest deadline.</summary>
    public string ToDoLink() => $"{ConsoleBaseUrl.TrimEnd('/')}/cases?sort=urgent";

    /// <summary>The warning points as parsed: a share of the running time, or a time before the deadline.</summary>
    public IReadOnlyList<WarningPoint> ParsedWarningPoints() => WarningPoints.Select(p => WarningPoint.TryParse(p, out var w) ? w : null)
        .OfType<WarningPoint>().ToList();
}

/// <summary>One configured warning point; <see cref="Name"/> is how it is keyed (75%, 2h).</summary>
public sealed record WarningPoint(string Name, double? Share, TimeSpan? Before)
{
    /// <summary>When this point falls for a deadline that started running at <paramref name="start"/>.</summary>
    public DateTime At(DateTime start, DateTime deadline) =>
        Share is { } share ? start + (deadline - start) * share : deadline - Before!.Value;

    public static bool TryParse(string text, out WarningPoint? point)
    {
        point = null;
        var t = text.Trim().ToLowerInvariant();
        if (t.EndsWith('%') && int.TryParse(t[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent)
            && percent is > 0 and < 100)
        {
            point = new WarningPoint($"{percent}%", percent / 100.0, null);
        }
        else if (t.Length > 1 && t[^1] is 'h' or 'm'
                 && int.TryParse(t[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            point = new WarningPoint(t, null, t[^1] == 'h' ? TimeSpan.FromHours(amount) : TimeSpan.FromMinutes(amount));
        }
        return point is not null;
    }
}

internal sealed class WecomOptionsValidator(IOptions<NotificationOptions> outbox) : IValidateOptions<WecomOptions>
{
    public ValidateOptionsResult Validate(string? name, WecomOptions options)
    {
        var failures = new List<string>();
        if (options.Enabled)
        {
            if (options.AgentId <= 0)
            {
                failures.Add("Wecom__AgentId is required when Wecom__CorpId is set: the self-built application's AgentId (应用管理 → the app).");
            }
            if (string.IsNullOrWhiteSpace(options.Secret))
            {
                failures.Add("Wecom__Secret is required when Wecom__CorpId is set: the application's Secret, from the secret store (environment variable Wecom__Secret).");
            }
            if (!Uri.TryCreate(options.ConsoleBaseUrl, UriKind.Absolute, out var console) || console.Scheme is not ("https" or "http"))
            {
                failures.Add("Wecom__ConsoleBaseUrl is required when Wecom__CorpId is set: the staff console's URL such as https://lian.example.gov.cn/console (cases open at …/cases/{trackingNo}).");
            }
        }
        else if (options.Secret.Length > 0 || options.AgentId != 0)
        {
            failures.Add("Wecom__Secret or Wecom__AgentId is set but Wecom__CorpId is not: set the corp id too (我的企业 → 企业信息), or remove them.");
        }
        if (!Uri.TryCreate(options.ApiHost, UriKind.Absolute, out _))
        {
            failures.Add("Wecom__ApiHost must be an absolute URL such as https://qyapi.weixin.qq.com (or the 政务微信 host).");
        }
        foreach (var point in options.WarningPoints.Where(p => !WarningPoint.TryParse(p, out _)))
        {
            failures.Add($"Wecom__WarningPoints: '{point}' is neither a share of the time (1% to 99%, e.g. 75%) nor a time before the deadline (e.g. 2h, 30m).");
        }
        if (options.CardType is not (WecomCardTypes.TextCard or WecomCardTypes.TemplateCard))
        {
            failures.Add($"Wecom__CardType must be {WecomCardTypes.TextCard} or {WecomCardTypes.TemplateCard}.");
        }
        if (options.DigestFrom is < 0 or 1)
        {
            failures.Add("Wecom__DigestFrom must be 0 (each message on its own) or at least 2 (that many messages to the same people in one run go as one digest).");
        }
        if (options.AttemptTimeout <= TimeSpan.Zero || options.AttemptTimeout > options.TotalTimeout)
        {
            failures.Add("Wecom__AttemptTimeout must be positive and no longer than Wecom__TotalTimeout.");
        }
        if (options.Enabled && options.TotalTimeout + WecomDispatcher.LeaseMargin >= outbox.Value.LeaseDuration)
        {
            failures.Add($"Wecom__TotalTimeout ({options.TotalTimeout}) must end more than {WecomDispatcher.LeaseMargin.TotalSeconds:0} s before Notifications__LeaseDuration ({outbox.Value.LeaseDuration}): a message is sent only while its lease outlasts the call.");
        }
        if (options.DispatchInterval < TimeSpan.Zero)
        {
            failures.Add("Wecom__DispatchInterval must be zero (off) or positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
