using System.Text;
using Dapper;
using LianApi.Data;
using LianApi.Shared;

namespace LianApi.Complaints;

/// <summary>
/// What one case adds to the district's numbers, as counts (0 or 1 each): the same function serves the rollups kept
/// by every transition (the delta of before and after) and the full recount that checks them. The measures' formulas
/// divide sums of these (see Stats/Measures.cs); a case counts in the Beijing day it was submitted.
/// </summary>
public static class CaseCounters
{
    public const int Received = 0;
    public const int Handled = 1;
    public const int Rejected = 2;
    public const int ResolvedEver = 3;
    public const int ResolvedNow = 4;
    public const int ResolvedOnTime = 5;
    public const int MustAccept = 6;
    public const int AcceptedOnTime = 7;
    public const int Evaluated = 8;
    public const int EvaluatedResolved = 9;
    public const int Satisfied = 10;
    public const int BasicallySatisfied = 11;
    public const int AutoClosed = 12;
    public const int Reopened = 13;
    public const int Returned = 14;
    public const int Extended = 15;
    public const int Escalated = 16;
    public const int OverdueNow = 17;
    public const int UnsatisfiedPending = 18;
    public const int AcceptWithin0 = 19;
    public const int ResolveWithin0 = AcceptWithin0 + 9;
    public const int Count = ResolveWithin0 + 11;

    /// <summary>Upper bounds (hours, calendar time) of the time-to-accept buckets AcceptWithin0…7; AcceptWithin8 is open.</summary>
    public static readonly int[] AcceptHourBounds = [1, 2, 4, 8, 12, 24, 48, 72];

    /// <summary>Upper bounds (working days after the day of submission) of ResolveWithin0…9; ResolveWithin10 is open.</summary>
    public static readonly int[] ResolveDayBounds = [0, 1, 2, 3, 5, 7, 10, 15, 20, 30];

    /// <summary>The counters' column names in StatsRollups, by index.</summary>
    public static readonly string[] Columns =
    [
        "Received", "Handled", "Rejected", "ResolvedEver", "ResolvedNow", "ResolvedOnTime", "MustAccept", "AcceptedOnTime", "Evaluated", "EvaluatedResolved", "Satisfied", "BasicallySatisfied", "AutoClosed", "Reopened", "Returned", "Extended", "Escalated", "OverdueNow", "UnsatisfiedPending",
        .. Enumerable.Range(0, 9).Select(i => $"AcceptWithin{i}"), .. Enumerable.Range(0, 11).Select(i => $"ResolveWithin{i}"),
    ];

    private static int Flag(bool value) => value ? 1 : 0;

    public static int[] Of(Complaint c)
    {
        var open = c.Status is ComplaintStatus.Submitted or ComplaintStatus.Accepted or ComplaintStatus.InProgress;
        var rated = c.LastSatisfaction is not null;
        var v = new int[Count];
        v[Received] = 1;
        v[Handled] = Flag(c.Status is ComplaintStatus.Resolved or ComplaintStatus.Closed or ComplaintStatus.Rejected);
        v[Rejected] = Flag(c.Status == ComplaintStatus.Rejected);
        v[ResolvedEver] = Flag(c.ResolutionCount > 0);
        v[ResolvedNow] = Flag(c.ResolvedAt is not null);
        v[ResolvedOnTime] = Flag(c.ResolvedAt is { } resolved && c.ResolutionDueAt is { } due && resolved <= due);
        v[MustAccept] = Flag(c.FirstAcceptedAt is not null || c.ResponseMissed);
        v[AcceptedOnTime] = Flag(c.FirstAcceptedAt is not null && !c.ResponseMissed);
        v[Evaluated] = Flag(rated);
        v[EvaluatedResolved] = Flag(rated && c.LastEvaluationResolved == true);
        v[Satisfied] = Flag(c.LastSatisfaction == Satisfaction.Satisfied);
        v[BasicallySatisfied] = Flag(c.LastSatisfaction == Satisfaction.BasicallySatisfied);
        v[AutoClosed] = Flag(c.CloseReason == CloseReasons.NotEvaluated);
        v[Reopened] = Flag(c.ReopenCount > 0);
        v[Returned] = Flag(c.ReturnCount > 0);
        v[Extended] = Flag(c.ExtensionCount > 0);
        v[Escalated] = Flag(c.LeftCommunityLevel);
        v[OverdueNow] = Flag(open && c.IsOverdue);
        v[UnsatisfiedPending] = Flag(open && rated && (c.LastSatisfaction == Satisfaction.Unsatisfied || c.LastEvaluationResolved == false));
        if (c.FirstAcceptedAt is { } accepted)
        {
            v[AcceptWithin0 + Bucket(AcceptHourBounds, (accepted - c.SubmittedAt).TotalHours)] = 1;
        }
        if (c.ResolvedAt is not null && c.ResolvedWorkingDays is { } days)
        {
            v[ResolveWithin0 + Bucket(ResolveDayBounds, days)] = 1;
        }
        return v;
    }

    private static int Bucket(int[] bounds, double value)
    {
        var index = Array.FindIndex(bounds, b => value <= b);
        return index < 0 ? bounds.Length : index;
    }
}

/// <summary>
/// Keeps the facts of a case that its measures need and its state alone forgets (a return, a missed response deadline,
/// the first acceptance, the latest rating), read from what a transition did: its events and its rating.
/// </summary>
public static class CaseFacts
{
    public static Complaint Advance(Complaint before, Complaint next, IReadOnlyList<ComplaintEvent> events, Evaluation? evaluation, DateTime now)
    {
        bool Has(string kind) => events.Any(e => e.Kind == kind);
        var missed = Has(EventKinds.AutoEscalated) || (Has(EventKinds.Overdue) && before.Status == ComplaintStatus.Submitted);
        return next with
        {
            FirstAcceptedAt = before.FirstAcceptedAt ?? (Has(EventKinds.Accepted) ? now : null),
            ResponseMissed = before.ResponseMissed || missed,
            ReturnCount = before.ReturnCount + events.Count(e => e.Kind == EventKinds.Returned),
            ExtensionCount = before.ExtensionCount + events.Count(e => e.Kind == EventKinds.ExtensionApproved),
            LeftCommunityLevel = before.LeftCommunityLevel || next.HandlingLevel != HandlingLevel.Community,
            ResolutionCount = before.ResolutionCount + events.Count(e => e.Kind == EventKinds.Resolved),
            ResolvedWorkingDays = next.ResolvedAt is null ? null : next.ResolvedWorkingDays ?? before.ResolvedWorkingDays,
            LastEvaluationResolved = evaluation?.Resolved ?? before.LastEvaluationResolved,
            LastSatisfaction = evaluation?.Satisfaction ?? before.LastSatisfaction,
        };
    }
}

/// <summary>The rows of StatsRollups one case counts in: a dimension, the scope's key, the group's key, its day (or month).</summary>
public readonly record struct RollupKey(string Dimension, long Key1, long Key2, int Day);

public static class RollupDimensions
{
    public const string District = "district";                       // (0, 0)
    public const string Community = "community";                     // (0, community)
    public const string Category = "category";                       // (0, category)
    public const string Department = "department";                   // (0, department)
    public const string CommunityCategory = "community_category";    // (community, category)
    public const string StreetCategory = "street_category";          // (street, category)
    public const string CommunityDepartment = "community_department";// (community, department)
    public const string StreetDepartment = "street_department";      // (street, department)
    public const string DepartmentCommunity = "department_community";// (department, community)
    public const string DepartmentCategory = "department_category";  // (department, category)

    /// <summary>A case's rows: by community, category and (once dispatched to one) its department, alone and crossed.</summary>
    /// <summary>The suffix of a dimension's monthly rows (Day = yyyymm00): long periods read months, not days.</summary>
    public const string Monthly = "/m";

    public static IEnumerable<RollupKey> Of(Complaint c)
    {
        var day = int.Parse(ChinaTime.DayStamp(c.SubmittedAt), System.Globalization.CultureInfo.InvariantCulture);
        foreach (var key in Daily(c, day))
        {
            yield return key;
            yield return key with { Dimension = key.Dimension + Monthly, Day = day / 100 * 100 };
        }
    }

    private static IEnumerable<RollupKey> Daily(Complaint c, int day)
    {
        yield return new(District, 0, 0, day);
        yield return new(Community, 0, c.CommunityId, day);
        yield return new(Category, 0, c.CategoryId, day);
        yield return new(CommunityCategory, c.CommunityId, c.CategoryId, day);
        yield return new(StreetCategory, c.StreetId, c.CategoryId, day);
        if (c.DepartmentId is { } department)
        {
            yield return new(Department, 0, department, day);
            yield return new(CommunityDepartment, c.CommunityId, department, day);
            yield return new(StreetDepartment, c.StreetId, department, day);
            yield return new(DepartmentCommunity, department, c.CommunityId, day);
            yield return new(DepartmentCategory, department, c.CategoryId, day);
        }
    }

    /// <summary>What changes in the rollups when a case goes from <paramref name="before"/> (null: new) to <paramref name="after"/>.</summary>
    public static Dictionary<RollupKey, int[]> Delta(Complaint? before, Complaint after)
    {
        var delta = new Dictionary<RollupKey, int[]>();
        void Add(Complaint c, int sign)
        {
            var values = CaseCounters.Of(c);
            foreach (var key in Of(c))
            {
                var row = delta.TryGetValue(key, out var existing) ? existing : delta[key] = new int[values.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    row[i] += sign * values[i];
                }
            }
        }
        if (before is not null)
        {
            Add(before, -1);
        }
        Add(after, +1);
        return delta.Where(d => d.Value.Any(v => v != 0)).ToDictionary();
    }
}

/// <summary>Writes a rollup delta into the transition's batch: one upsert per changed row, no extra round trip.</summary>
public static class RollupWriter
{
    private static readonly string[] Keys = ["Dimension", "Key1", "Day", "Key2"];

    public static void Append(SqlDialect dialect, StringBuilder sql, DynamicParameters parameters, Dictionary<RollupKey, int[]> delta) =>
        dialect.AppendUpsertsAdding(sql, parameters, "StatsRollups", Keys, CaseCounters.Columns,
            [.. delta.Select(d => (object[])[d.Key.Dimension, d.Key.Key1, d.Key.Day, d.Key.Key2, .. d.Value.Cast<object>()])]);
}
