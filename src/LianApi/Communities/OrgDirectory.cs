using Dapper;
using LianApi.Data;
using LianApi.Shared;

namespace LianApi.Communities;

/// <summary>
/// Streets, communities, grids and categories change a few times a year (ops imports) but are read on every scan and
/// every report, so each instance keeps a snapshot: replaced at once when this process writes, and re-read at
/// most <see cref="MaxAge"/> after another process (the import verb, another instance) did.
/// </summary>
public sealed class OrgDirectory(Database db, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    public sealed record Snapshot(
        IReadOnlyList<CommunityRow> Communities,
        IReadOnlyDictionary<string, CommunityRow> CommunitiesByCode,
        IReadOnlyDictionary<long, CommunityRow> CommunitiesById,
        IReadOnlyList<CategoryRow> Categories,
        IReadOnlyDictionary<string, CategoryRow> CategoriesByCode,
        IReadOnlyDictionary<long, CategoryRow> CategoriesById,
        IReadOnlyDictionary<long, string> StreetNamesById,
        IReadOnlyDictionary<long, string> DepartmentNamesById,
        IReadOnlyDictionary<long, IReadOnlyList<GridRow>> GridsByCommunityId,
        DateTimeOffset LoadedAt)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<long, CommunityLanding> landings = new();

        /// <summary>A community's grids, retired ones included, by code.</summary>
        public IReadOnlyList<GridRow> GridsOf(long communityId) => GridsByCommunityId.GetValueOrDefault(communityId) ?? [];

        /// <summary>The landing page of a scan, built once per snapshot: every resident of the community reads the same one.</summary>
        public CommunityLanding LandingOf(CommunityRow community) =>
            landings.GetOrAdd(community.Id, _ => community.AsLanding(Categories, [.. GridsOf(community.Id).Where(g => g.RetiredAt is null)], null));

        /// <summary>The name of the unit holding a case at <paramref name="level"/>; null when this snapshot predates it.</summary>
        public string? UnitName(string level, long? unitId) => level switch
        {
            HandlingLevel.District => DispatchCenter.Name,
            HandlingLevel.Community when unitId is { } id => CommunitiesById.GetValueOrDefault(id)?.Name,
            HandlingLevel.Street when unitId is { } id => StreetNamesById.GetValueOrDefault(id),
            HandlingLevel.Department when unitId is { } id => DepartmentNamesById.GetValueOrDefault(id),
            _ => null,
        };
    }

    private readonly SemaphoreSlim loading = new(1, 1);
    private Snapshot? current;

    private const string SelectCommunities = """
        SELECT c.Id, c.Code, c.Name, c.Address, c.Latitude, c.Longitude, c.RetiredAt, c.SuccessorId, s.Id AS StreetId, s.Code AS StreetCode, s.Name AS StreetName
        FROM Communities c JOIN Streets s ON s.Id = c.StreetId
        ORDER BY s.Id, c.Code
        """;

    private const string SelectStreetNames = "SELECT Id, Name FROM Streets";

    private const string SelectDepartmentNames = "SELECT Id, Name FROM Departments";

    private const string SelectGrids = "SELECT Id, Code, Name, CommunityId, RetiredAt FROM Grids ORDER BY CommunityId, Code";

    private const string SelectCategories = """
        SELECT Id, Code, Name, IsEmergency, Hotline, ResponseHours, ResolutionWorkingDays, RequiresResolutionPhoto
        FROM Categories ORDER BY SortOrder, Id
        """;

    public async ValueTask<Snapshot> GetAsync(CancellationToken ct)
    {
        if (current is { } fresh && time.GetUtcNow() - fresh.LoadedAt < MaxAge)
        {
            return fresh;
        }
        await loading.WaitAsync(ct);
        try
        {
            if (current is { } loaded && time.GetUtcNow() - loaded.LoadedAt < MaxAge)
            {
                return loaded;
            }
            var (communities, categories, streets, departments, grids) = await db.ReadAsync(async c => (
                (await c.QueryAsync<CommunityRow>(new CommandDefinition(SelectCommunities, cancellationToken: ct))).AsList(),
                (await c.QueryAsync<CategoryRow>(new CommandDefinition(SelectCategories, cancellationToken: ct))).AsList(),
                (await c.QueryAsync<(long Id, string Name)>(new CommandDefinition(SelectStreetNames, cancellationToken: ct))).AsList(),
                (await c.QueryAsync<(long Id, string Name)>(new CommandDefinition(SelectDepartmentNames, cancellationToken: ct))).AsList(),
                (await c.QueryAsync<GridRow>(new CommandDefinition(SelectGrids, cancellationToken: ct))).AsList()), ct);
            current = new Snapshot(communities,
                communities.ToDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase), communities.ToDictionary(c => c.Id),
                categories, categories.ToDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase), categories.ToDictionary(c => c.Id),
                streets.ToDictionary(s => s.Id, s => s.Name), departments.ToDictionary(d => d.Id, d => d.Name),
                grids.GroupBy(g => g.CommunityId).ToDictionary(g => g.Key, g => (IReadOnlyList<GridRow>)[.. g]),
                time.GetUtcNow());
            return current;
        }
        finally
        {
            loading.Release();
        }
    }

    /// <summary>Called after this process changed the organisation, so its own next read sees the change.</summary>
    public void Invalidate() => current = null;
}
