using Microsoft.Extensions.Options;

namespace LianApi.Reports;

/// <summary>When the daily and weekly reports are written (Beijing time) and whom WeCom tells that they are ready.</summary>
public sealed class DailyReportOptions
{
    public const string Section = "Reports";

    /// <summary>The daily report of yesterday is written from this time on, Beijing time; the weekly one at the same time on <see cref="WeeklyOn"/>.</summary>
    public TimeOnly DailyAt { get; set; } = new(7, 30);

    /// <summary>The day the report of the ISO week before (Monday to Sunday) is written.</summary>
    public DayOfWeek WeeklyOn { get; set; } = DayOfWeek.Monday;

    /// <summary>
    /// WeCom user ids (成员账号, as WeCom's admin set them, e.g. leaders' and the dispatch center's) who get a card with the
    /// headline figures when a report is ready. Empty, or WeCom off: the reports are only kept for download.
    /// </summary>
    public List<string> Recipients { get; set; } = [];

    /// <summary>How often the job looks whether a report is due; it writes a period once.</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>False: no report is written by the job (the <c>report</c> verb still writes one).</summary>
    public bool Enabled { get; set; } = true;
}

internal sealed class DailyReportOptionsValidator : IValidateOptions<DailyReportOptions>
{
    /// <summary>WeCom's user ids: letters, digits and _ - . @, at most 64 characters.</summary>
    private static bool IsUserId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '@');

    public ValidateOptionsResult Validate(string? name, DailyReportOptions options)
    {
        var failures = new List<string>();
        if (options.CheckEvery < TimeSpan.FromSeconds(1) || options.CheckEvery > TimeSpan.FromHours(1))
        {
            failures.Add("Reports__CheckEvery must be between 00:00:01 and 01:00:00: how often the report job looks whether a report is due.");
        }
        if (!Enum.IsDefined(options.WeeklyOn))
        {
            failures.Add("Reports__WeeklyOn must be a day of the week such as Monday.");
        }
        foreach (var id in options.Recipients.Where(r => !IsUserId(r)))
        {
            failures.Add($"Reports__Recipients: '{id}' is not a WeCom user id (成员账号: letters, digits, _ - . @, at most 64 characters).");
        }
        if (options.Recipients.Count != options.Recipients.Distinct(StringComparer.Ordinal).Count())
        {
            failures.Add("Reports__Recipients names someone twice: each recipient gets one card.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
