using LianApi.Complaints;
using LianApi.Shared;

namespace LianApi.Stats;

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
    public const string Resolver = "resolver";                       // (level of the resolving unit, unit; 0: the center)
    public const string CommunityChannel = "community_channel";      // (community, channel's key)
    public const string Grid = "grid";                               // (0, grid), for cases in a grid
    public const string Recorder = "recorder";                       // (0, staff), for cases recorded on a resident's behalf
    public const string Handler = "handler";                         // (0, staff), for resolved cases: who resolved it last
    public const string Whistle = "whistle";                         // (community, department), for whistled cases: the last whistle's department

    /// <summary>The suffix of a dimension's monthly rows (Day = yyyymm00): long periods read months, not days.</summary>
    public const string Monthly = "/m";

    /// <summary>
    /// A case's rows: by community, category and (once dispatched to one) its department, alone and crossed; and, once
    /// resolved, by the unit that resolved it.
    /// </summary>
    public static IEnumerable<RollupKey> Of(Complaint c)
    {
        var day = BeijingDay.Of(c.SubmittedAt);
        foreach (var key in Daily(c, day.Key))
        {
            yield return key;
            yield return key with { Dimension = key.Dimension + Monthly, Day = day.MonthKey };
        }
    }

    private static IEnumerable<RollupKey> Daily(Complaint c, int day)
    {
        yield return new(District, 0, 0, day);
        yield return new(Community, 0, c.CommunityId, day);
        yield return new(Category, 0, c.CategoryId, day);
        yield return new(CommunityCategory, c.CommunityId, c.CategoryId, day);
        yield return new(StreetCategory, c.StreetId, c.CategoryId, day);
        yield return new(CommunityChannel, c.CommunityId, ChannelKey(c.Channel), day);
        if (c.GridId is { } grid)
        {
            yield return new(Grid, 0, grid, day);
        }
        if (c.RecordedByStaffId is { } recorder)
        {
            yield return new(Recorder, 0, recorder, day);
        }
        if (c.ResolutionCount > 0 && c.LastResolvedByStaffId is { } handler)
        {
            yield return new(Handler, 0, handler, day);
        }
        // The whistle figures are by the department whistled to, wherever the dispatch center sent the case afterwards.
        if (c.WhistledDepartmentId is { } whistled)
        {
            yield return new(Whistle, c.CommunityId, whistled, day);
        }
        if (c.DepartmentId is { } department)
        {
            yield return new(Department, 0, department, day);
            yield return new(CommunityDepartment, c.CommunityId, department, day);
            yield return new(StreetDepartment, c.StreetId, department, day);
            yield return new(DepartmentCommunity, department, c.CommunityId, day);
            yield return new(DepartmentCategory, department, c.CategoryId, day);
        }
        // The 回访 figures are by the unit that resolved the case last: a case resolved again by another unit moves there.
        if (c.ResolutionCount > 0 && c.LastHandlingLevel is { } level)
        {
            yield return new(Resolver, LevelKey(level), c.LastHandlingUnitId ?? 0, day);
        }
    }

    /// <summary>A channel's Key2 in <see cref="CommunityChannel"/>: stored in the rollups, so a channel's number never changes.</summary>
    public static long ChannelKey(string channel) => channel switch
    {
        Channels.MiniProgram => 1,
        Channels.DoorKnock => 2,
        Channels.CollectionPoint => 3,
        Channels.WechatGroup => 4,
        Channels.Hotline => 5,
        Channels.Visit => 6,
        Channels.Other => 7,
        Channels.Open311 => 8,
        _ => throw Vocabulary.Unknown("channels", channel),
    };

    public static string ChannelOf(long key) => Channels.All.Single(c => ChannelKey(c) == key);

    /// <summary>The Key1 of a level's rows in <see cref="Resolver"/>.</summary>
    public static long LevelKey(string level) => level switch
    {
        HandlingLevel.District => 1,
        HandlingLevel.Street => 2,
        HandlingLevel.Community => 3,
        HandlingLevel.Department => 4,
        _ => throw Vocabulary.Unknown("handling levels", level),
    };

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
