using Dapper;
using LianApi.Data;
using LianApi.Shared;

namespace LianApi.Reports;

/// <summary>A kept report without its files: what the list shows.</summary>
public sealed record KeptReport(string Kind, DateOnly From, DateOnly To, string Title, DateTime GeneratedAt);

/// <summary>The reports kept for download, one row per kind and period; regenerating a period replaces its row.</summary>
public sealed class DailyReportStore(Database db)
{
    private sealed record Row
    {
        public string Kind { get; init; } = "";
        public int PeriodStart { get; init; }
        public int PeriodEnd { get; init; }
        public string Title { get; init; } = "";
        public DateTime GeneratedAt { get; init; }

        public KeptReport AsKept() => new(Kind, BeijingDay.FromKey(PeriodStart).Date, BeijingDay.FromKey(PeriodEnd).Date, Title, GeneratedAt);
    }

    private const string SelectExists = "SELECT COUNT(*) FROM Reports WHERE Kind = @Kind AND PeriodStart = @PeriodStart";

    public async Task<bool> ExistsAsync(string kind, DateOnly from, CancellationToken ct) =>
        await db.ReadAsync(c => c.ExecuteScalarAsync<int>(new CommandDefinition(SelectExists,
            new { Kind = kind, PeriodStart = BeijingDay.KeyOf(from) }, cancellationToken: ct)), ct) > 0;

    public Task SaveAsync(DailyReport report, byte[] pdf, byte[] xlsx, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            db.Dialect.Upsert("Reports", ["Kind", "PeriodStart"], ["PeriodEnd", "Title", "GeneratedAt", "Pdf", "Xlsx"]),
            new
            {
                report.Kind, PeriodStart = BeijingDay.KeyOf(report.From), PeriodEnd = BeijingDay.KeyOf(report.To), report.Title, report.GeneratedAt,
                Pdf = pdf, Xlsx = xlsx,
            }, tx, cancellationToken: ct)), ct);

    private const string SelectPdf = "SELECT Pdf FROM Reports WHERE Kind = @Kind AND PeriodStart = @PeriodStart";
    private const string SelectXlsx = "SELECT Xlsx FROM Reports WHERE Kind = @Kind AND PeriodStart = @PeriodStart";

    /// <summary>One file of a kept report (<c>pdf</c> or <c>xlsx</c>); null when that period has not been generated.</summary>
    public Task<byte[]?> FileAsync(string kind, DateOnly from, string format, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition(format == DailyReportFormats.Pdf ? SelectPdf : SelectXlsx,
            new { Kind = kind, PeriodStart = BeijingDay.KeyOf(from) }, cancellationToken: ct)), ct);

    private const string SelectKept = """
        SELECT Kind, PeriodStart, PeriodEnd, Title, GeneratedAt FROM Reports
        ORDER BY PeriodStart DESC, Kind
        """;

    private const string SelectKeptOfKind = """
        SELECT Kind, PeriodStart, PeriodEnd, Title, GeneratedAt FROM Reports WHERE Kind = @Kind
        ORDER BY PeriodStart DESC
        """;

    /// <summary>The kept reports, the latest period first (a few hundred rows a year, no files read).</summary>
    public async Task<IReadOnlyList<KeptReport>> ListAsync(string? kind, CancellationToken ct) =>
        (await db.ReadAsync(c => c.QueryAsync<Row>(new CommandDefinition(kind is null ? SelectKept : SelectKeptOfKind, new { Kind = kind }, cancellationToken: ct)), ct))
        .Select(r => r.AsKept()).ToList();
}

/// <summary>The two files a report is kept as.</summary>
public static class DailyReportFormats
{
    public const string Pdf = "pdf";
    public const string Xlsx = "xlsx";

    public static string ContentType(string format) => format == Pdf ? "application/pdf" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}
