using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LianApi.Resources;

namespace LianApi.Tests.Contract;

/// <summary>
/// What every problem answer says, checked over the whole run: the title of its status, a detail, Chinese by default
/// and English for Accept-Language: en (field messages too), and no text of the framework or of .NET.
/// </summary>
public static partial class ProblemTextAudit
{
    public sealed record Summary(int Chinese, int English, IReadOnlyList<string> Violations);

    public static Summary Check(IEnumerable<RecordedExchange> exchanges)
    {
        var violations = new List<string>();
        int chinese = 0, english = 0;
        foreach (var exchange in exchanges.Where(e => e.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) == true && e.Body is { Length: > 0 }))
        {
            JsonElement problem;
            try
            {
                problem = JsonDocument.Parse(exchange.Body!).RootElement;
            }
            catch (JsonException)
            {
                continue;   // the contract check reports bodies that are not JSON
            }
            var inEnglish = exchange.AcceptLanguage?.TrimStart().StartsWith("en", StringComparison.OrdinalIgnoreCase) == true;
            var culture = inEnglish ? CultureInfo.GetCultureInfo("en") : CultureInfo.GetCultureInfo("zh-CN");
            _ = inEnglish ? english++ : chinese++;
            var where = $"{exchange} [{(inEnglish ? "en" : "zh")}]";
            var title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
            var expectedTitle = Messages.ResourceManager.GetString($"Title{exchange.Status}", culture);
            if (title != expectedTitle)
            {
                violations.Add($"{where}: title '{title}' is not the title of {exchange.Status} ('{expectedTitle}')");
            }
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
            var texts = new List<string>();
            if (string.IsNullOrWhiteSpace(detail))
            {
                violations.Add($"{where}: no detail");
            }
            else
            {
                texts.Add(detail);
            }
            if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                texts.AddRange(errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString() ?? ""));
            }
            foreach (var text in texts)
            {
                if (FrameworkText().Match(text) is { Success: true } leak)
                {
                    violations.Add($"{where}: framework text '{leak.Value}' in \"{text}\"");
                }
                else if (inEnglish ? IsChinese(text) : !IsChinese(text))
                {
                    violations.Add($"{where}: \"{text}\" is not in {(inEnglish ? "English" : "Chinese")}");
                }
            }
        }
        return new Summary(chinese, english, violations.Distinct().ToList());
    }

    /// <summary>Chinese text has Han characters outside parentheses and quotes (English may quote a label: "submitted (待受理)").</summary>
    public static bool IsChinese(string text) => Han().IsMatch(Quoted().Replace(text, ""));

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();

    [GeneratedRegex(@"\([^)]*\)|'[^']*'|""[^""]*""")]
    private static partial Regex Quoted();

    // What ASP.NET Core, System.Text.Json and DataAnnotations say on their own.
    [GeneratedRegex(@"Failed to bind|Required parameter|Implicit body|LineNumber|BytePosition|Path: \$|could not be (converted|mapped)|The JSON value|field is required|The field \w+|must be a string or array|System\.\w+|Microsoft\.\w+|Exception\b|An error occurred|One or more validation errors")]
    private static partial Regex FrameworkText();
}
