using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LianApi.Data;

namespace LianApi.Complaints;

/// <summary>
/// The words staff find a case by: its description and address as submitted, and the text of every resolution and
/// reply. SQLite keeps them in the FTS5 table ComplaintText (trigram tokenizer, one row per case, rowid = the case's
/// Id); SQL Server in ComplaintGrams, the distinct bigrams of the same text (migration 025 says why). Written in the
/// case's own transaction: with the report, and again with each resolution or reply — never for other actions.
/// </summary>
public static class CaseText
{
    /// <summary>The events whose text is searchable: what the unit told the resident.</summary>
    public static readonly string[] ReplyKinds = [EventKinds.Resolved, EventKinds.Replied];

    public static string Body(string description, string? address, IEnumerable<string?>? replies = null) =>
        string.Join('\n', new[] { description, address ?? "" }.Concat(replies ?? []).Where(t => t is not null));

    /// <summary>The distinct two-character pieces of a text, whitespace inside none of them (SQL Server's ComplaintGrams).</summary>
    public static IReadOnlyList<string> Bigrams(string text)
    {
        var grams = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i + 1]))
            {
                grams.Add(text.Substring(i, 2).ToLowerInvariant());
            }
        }
        return [.. grams];
    }

    // A new case's row (SQLite) or bigrams (SQL Server).
    private const string InsertSqlite = "INSERT INTO ComplaintText (rowid, Body) VALUES (@TextId, @TextBody);";
    private const string InsertSqlServer = """
        INSERT INTO ComplaintGrams (Gram, ComplaintId) SELECT g.value, @TextId FROM OPENJSON(@TextGrams) g;
        """;

    /// <summary>Appends the text of a new case to a write's batch.</summary>
    public static void AppendNew(WriteBatch batch, long id, string body)
    {
        if (batch.Dialect == SqlDialect.Sqlite)
        {
            batch.Append(InsertSqlite, new { TextId = id, TextBody = body });
        }
        else
        {
            batch.Append(InsertSqlServer, new { TextId = id, TextGrams = JsonSerializer.Serialize(Bigrams(body)) });
        }
    }

    // A reply joins the text. SQLite: the case's row is written again from the stored text (a contentless row cannot be
    // appended to), the new event being in the same batch before this statement. SQL Server: only the bigrams not there yet.
    private const string ReplaceSqlite = """
        DELETE FROM ComplaintText WHERE rowid = @TextId;
        INSERT INTO ComplaintText (rowid, Body)
        SELECT c.Id, c.Description || char(10) || COALESCE(c.Address, '')
            || COALESCE((SELECT char(10) || group_concat(e.Note, char(10)) FROM ComplaintEvents e
                         WHERE e.ComplaintId = c.Id AND e.Kind IN ('resolved', 'replied') AND e.Note IS NOT NULL), '')
        FROM Complaints c WHERE c.Id = @TextId;
        """;
    private const string AddGramsSqlServer = """
        INSERT INTO ComplaintGrams (Gram, ComplaintId)
        SELECT g.value, @TextId FROM OPENJSON(@TextGrams) g
        WHERE NOT EXISTS (SELECT 1 FROM ComplaintGrams x WHERE x.Gram = g.value AND x.ComplaintId = @TextId);
        """;

    /// <summary>Appends a resolution's or a reply's text to a write's batch.</summary>
    public static void AppendReply(WriteBatch batch, long id, string reply)
    {
        if (batch.Dialect == SqlDialect.Sqlite)
        {
            batch.Append(ReplaceSqlite, new { TextId = id });
        }
        else
        {
            batch.Append(AddGramsSqlServer, new { TextId = id, TextGrams = JsonSerializer.Serialize(Bigrams(reply)) });
        }
    }
}

/// <summary>Keeps the case's searchable text in step with the report and its replies, in their transaction.</summary>
public sealed class CaseTextListener : IComplaintChangeListener
{
    public Task WriteAsync(WriteBatch batch, ComplaintChange change, CancellationToken ct)
    {
        if (change.Before is null)
        {
            CaseText.AppendNew(batch, change.After.Id, CaseText.Body(change.After.Description, change.After.Address));
        }
        else if (change.Added.Where(e => CaseText.ReplyKinds.Contains(e.Kind) && e.Note is not null).Select(e => e.Note!).ToList() is { Count: > 0 } replies)
        {
            CaseText.AppendReply(batch, change.After.Id, string.Join('\n', replies));
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// What <c>q</c> asks for: a tracking number (exact, however it was typed), or text. Text long enough for the index
/// (three characters for SQLite's trigrams, two for SQL Server's bigrams) is matched in every case; shorter text only
/// among the <see cref="ShortWindow"/> newest cases of the district, by LIKE.
/// </summary>
public sealed partial record CaseQuery(string? TrackingNo, string? Text)
{
    /// <summary>How many of the newest cases a one- or two-character query reads (by LIKE, bounded so it stays cheap).</summary>
    public const int ShortWindow = 10_000;

    public static CaseQuery? Parse(string? q)
    {
        var text = q?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (TrackingNoPattern().Match(text.Replace(" ", "", StringComparison.Ordinal)) is { Success: true } m)
        {
            return new CaseQuery(string.Create(CultureInfo.InvariantCulture, $"LH{m.Groups[1].Value}-{m.Groups[2].Value}"), null);
        }
        return new CaseQuery(null, text);
    }

    /// <summary>An FTS5 phrase: the text quoted, its quotes doubled, so no character of it is query syntax.</summary>
    public string Phrase => "\"" + Text!.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A LIKE pattern of the text, its wildcards escaped with '\'.</summary>
    public string Like => "%" + Text!.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
        .Replace("_", "\\_", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal) + "%";

    [GeneratedRegex(@"^[Ll][Hh](\d{8})-?(\d{4,})$")]
    private static partial Regex TrackingNoPattern();
}
