using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications;

/// <summary>One subscribe-message template, as chosen by the district in the WeChat console.</summary>
public sealed class NotificationTemplate
{
    /// <summary>The template id from the console (订阅消息 → 我的模板).</summary>
    public string TemplateId { get; set; } = "";

    /// <summary>The page the card opens; <c>{trackingNo}</c> is replaced by the case's tracking number.</summary>
    public string Page { get; set; } = "pages/complaint/detail?trackingNo={trackingNo}";

    /// <summary>Template keyword (<c>character_string1</c>, <c>thing2</c>, …) → the value we fill it with (<see cref="NotificationValues"/>).</summary>
    public Dictionary<string, string> Data { get; set; } = [];
}

/// <summary>WeChat subscribe messages: which template each event uses, and how the outbox is sent.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Event name (<see cref="NotificationEvents"/>) → its template. An event without a template is not sent.</summary>
    public Dictionary<string, NotificationTemplate> Templates { get; set; } = [];

    /// <summary><c>formal</c>, <c>trial</c> or <c>developer</c>: which version of the mini-program the card opens.</summary>
    public string MiniprogramState { get; set; } = "formal";

    /// <summary>How often each instance looks for due messages; zero turns the background dispatcher off.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a claimed message is this instance's; after that another instance may send it (again).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>First retry delay after a transient failure; doubled per attempt, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A message not delivered this long after it was written is given up (failed).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    public NotificationTemplate? TemplateFor(string eventName) =>
        Templates.TryGetValue(eventName, out var template) && template.TemplateId.Length > 0 ? template : null;
}

internal sealed partial class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    [GeneratedRegex(@"^(thing|number|letter|symbol|character_string|time|date|amount|phone_number|car_number|name|phrase)\d+$")]
    private static partial Regex Keyword();

    private static readonly string[] States = ["formal", "trial", "developer"];

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        foreach (var (eventName, template) in options.Templates)
        {
            var key = $"Notifications__Templates__{eventName}";
            if (!NotificationEvents.All.Contains(eventName))
            {
                failures.Add($"{key}: no such event; the events are {string.Join(", ", NotificationEvents.All)}.");
                continue;
            }
            if (string.IsNullOrWhiteSpace(template.TemplateId))
            {
                // An event without a template is simply not sent; a half-configured one is a mistake.
                if (template.Data.Count > 0)
                {
                    failures.Add($"{key}__TemplateId is required when {key}__Data is set: copy the template id from the WeChat console.");
                }
                continue;
            }
            if (template.TemplateId.Length > 128 || template.TemplateId.Any(char.IsWhiteSpace))
            {
                failures.Add($"{key}__TemplateId must be the console's template id (at most 128 characters, no spaces).");
            }
            if (string.IsNullOrWhiteSpace(template.Page) || template.Page.StartsWith('/') || template.Page.Contains("://", StringComparison.Ordinal))
            {
                failures.Add($"{key}__Page must be a page of the mini-program such as pages/complaint/detail?trackingNo={{trackingNo}} (no leading /).");
            }
            if (template.Data.Count == 0)
            {
                failures.Add($"{key}__Data must map the template's keywords (e.g. {key}__Data__thing2=summary).");
            }
            foreach (var (keyword, value) in template.Data)
            {
                if (!Keyword().IsMatch(keyword))
                {
                    failures.Add($"{key}__Data__{keyword}: not a WeChat keyword name (thing2, character_string1, phrase3, time4, …).");
                }
                if (!NotificationValues.All.Contains(value))
                {
                    failures.Add($"{key}__Data__{keyword}={value}: the values are {string.Join(", ", NotificationValues.All)}.");
                }
            }
        }
        if (!States.Contains(options.MiniprogramState))
        {
            failures.Add("Notifications__MiniprogramState must be formal, trial or developer.");
        }
        if (options.LeaseDuration < TimeSpan.FromSeconds(30))
        {
            failures.Add("Notifications__LeaseDuration must be at least 00:00:30: longer than one WeChat call with its retries.");
        }
        if (options.DispatchInterval < TimeSpan.Zero || options.RetryBaseDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryBaseDelay
            || options.GiveUpAfter < options.RetryBaseDelay)
        {
            failures.Add("Notifications__DispatchInterval must be zero or positive, and Notifications__RetryBaseDelay ≤ Notifications__MaxRetryDelay, Notifications__RetryBaseDelay ≤ Notifications__GiveUpAfter.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
