using System.ComponentModel;
using Dapper;
using LianApi.Data;
using LianApi.Staff;
using Microsoft.Extensions.Options;

namespace LianApi.Complaints;

public sealed record CallBackItem(
    [property: Description("not_rated: the resident did not rate the case within the rating window (the answer becomes its rating); " +
                           "sample: a rated case drawn for a check (the answer is counted apart, the rating stands)")] string Reason,
    [property: Description("The case as the inbox shows it, with what the caller may do")] InboxItem Case);

public sealed record CallBackPage(IReadOnlyList<CallBackItem> Items, [property: Description("Pass as cursor for the next page; null on the last")] string? NextCursor);

/// <summary>
/// The dispatch center's call-back queue (回访): closed cases the resident did not rate, and a fixed share of rated
/// ones (by id, so the sample does not change between pages or readers), that nobody called back yet; newest first.
/// </summary>
public sealed class CallBackQueue(Database db, IOptions<CallBackOptions> options, TimeProvider time)
{
    public const string NotRated = "not_rated";
    public const string Sample = "sample";

    // The page's ids first, from the index of why cases closed alone, then their rows: with the rows joined in, SQLite
    // read and sorted every closed case of the district for each page.
    internal static string SelectQueue(SqlDialect dialect) => $"""
        {StaffInboxStore.InboxColumns}
        WHERE c.Id IN (SELECT q.Id FROM (
            SELECT c.Id FROM Complaints c
            WHERE c.CloseReason IN (@NotEvaluated, @Evaluated) AND c.Id < @AfterId
              AND (c.CloseReason = @NotEvaluated OR c.Id % 100 < @SharePercent)
              AND NOT EXISTS (SELECT 1 FROM CallBacks b WHERE b.ComplaintId = c.Id)
            ORDER BY c.Id DESC
            {dialect.LimitRows}) q)
        ORDER BY c.Id DESC
        """;

    public async Task<CallBackPage> ListAsync(StaffMember staff, int limit, long? afterId, CancellationToken ct)
    {
        var sql = SelectQueue(db.Dialect);
        var rows = await db.ReadAsync(async c => (await c.QueryAsync<InboxRow>(new CommandDefinition(sql, new
        {
            CloseReasons.NotEvaluated, CloseReasons.Evaluated, AfterId = afterId ?? long.MaxValue,
            SharePercent = options.Value.RatedSharePercent, Limit = limit + 1,
        }, cancellationToken: ct))).AsList(), ct);
        var now = time.GetUtcNow().UtcDateTime;
        var page = rows.Take(limit).Select(r => new CallBackItem(r.CloseReason == CloseReasons.NotEvaluated ? NotRated : Sample,
            r.AsItem(ComplaintMachine.AllowedActions(staff, r.AsGuardedCase(), now)))).ToList();
        return new CallBackPage(page, rows.Count > limit ? rows[limit - 1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }
}
