using Dapper;
using LianApi.Data;

using LianApi.Shared;

namespace LianApi.Communities;

public sealed record CommunityUpsert(string Code, long StreetId, string Name, string? Address, double? Latitude, double? Longitude);

public sealed record GridUpsert(string Code, long CommunityId, string Name);

public sealed record DepartmentUpsert(string Code, string Name);

public sealed record PairingUpsert(long DepartmentId, long CommunityId);

/// <summary>A unit of the response chain: a community, a street office or a department.</summary>
public sealed record OrgUnit
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>A retired community or department takes no new case; streets are never retired.</summary>
    public DateTime? RetiredAt { get; init; }
}

/// <summary>Streets, communities, grids and categories: the organisation a report is filed against.</summary>
public sealed class CommunityStore(Database db, OrgDirectory directory)
{
    public async Task<IReadOnlyList<CategoryRow>> ListCategoriesAsync(CancellationToken ct) =>
        (await directory.GetAsync(ct)).Categories;

    public async Task<CategoryRow?> FindCategoryAsync(string code, CancellationToken ct) =>
        (await directory.GetAsync(ct)).CategoriesByCode.GetValueOrDefault(code);

    /// <summary>The communities that take reports (retired ones are left out: residents pick from this list, posters are printed from it).</summary>
    public async Task<IReadOnlyList<CommunityRow>> ListCommunitiesAsync(string? streetCode, CancellationToken ct) =>
        (await directory.GetAsync(ct)).Communities
            .Where(c => !c.IsRetired && (streetCode is null || string.Equals(c.StreetCode, streetCode, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>Any community by code, retired ones included (the landing page of a retired community says where to go instead).</summary>
    public async Task<CommunityRow?> FindCommunityAsync(string code, CancellationToken ct) =>
        (await directory.GetAsync(ct)).CommunitiesByCode.GetValueOrDefault(code);

    /// <summary>Where residents of a retired community report instead: the successor named at retirement, else its street office.</summary>
    public async Task<ReportInstead> ReportInsteadAsync(CommunityRow retired, CancellationToken ct) =>
        retired.SuccessorId is { } id && (await directory.GetAsync(ct)).CommunitiesById.GetValueOrDefault(id) is { } successor
            ? new ReportInstead(HandlingLevel.Community, successor.Code, successor.Name)
            : new ReportInstead(HandlingLevel.Street, retired.StreetCode, retired.StreetName);

    private const string SelectStreets = "SELECT Id, Code, Name FROM Streets ORDER BY Id";

    public Task<IReadOnlyList<StreetRow>> ListStreetsAsync(CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<StreetRow>>(async c =>
            (await c.QueryAsync<StreetRow>(new CommandDefinition(SelectStreets, cancellationToken: ct))).AsList(), ct);

    private const string SelectCommunityIds = "SELECT Code, Id FROM Communities";

    public Task<Dictionary<string, long>> CommunityIdsByCodeAsync(CancellationToken ct) =>
        db.ReadAsync(async c => (await c.QueryAsync<(string Code, long Id)>(new CommandDefinition(SelectCommunityIds, cancellationToken: ct)))
            .ToDictionary(r => r.Code, r => r.Id, StringComparer.Ordinal), ct);

    /// <summary>Upserts by code, all rows in one transaction: an import lands whole or not at all.</summary>
    public async Task<int> UpsertCommunitiesAsync(IReadOnlyCollection<CommunityUpsert> rows, CancellationToken ct)
    {
        var written = await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            db.Dialect.Upsert("Communities", ["Code"], ["StreetId", "Name", "Address", "Latitude", "Longitude"]),
            rows, tx, cancellationToken: ct)), ct);
        directory.Invalidate();
        return written;
    }

    public async Task<int> UpsertGridsAsync(IReadOnlyCollection<GridUpsert> rows, CancellationToken ct)
    {
        var written = await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            db.Dialect.Upsert("Grids", ["Code"], ["CommunityId", "Name"]),
            rows, tx, cancellationToken: ct)), ct);
        directory.Invalidate();
        return written;
    }

    public async Task<int> UpsertDepartmentsAsync(IReadOnlyCollection<DepartmentUpsert> rows, CancellationToken ct)
    {
        var written = await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            db.Dialect.Upsert("Departments", ["Code"], ["Name"]), rows, tx, cancellationToken: ct)), ct);
        // Residents see which department holds their case: its name comes from the directory.
        directory.Invalidate();
        return written;
    }

    private const string SelectCommunityUnit = "SELECT Id, Name, RetiredAt FROM Communities WHERE Code = @Code";
    private const string SelectStreetUnit = "SELECT Id, Name FROM Streets WHERE Code = @Code";
    private const string SelectDepartmentUnit = "SELECT Id, Name, RetiredAt FROM Departments WHERE Code = @Code";

    /// <summary>The unit with this code at this level (community, street or department), retired or not, or null.</summary>
    public Task<OrgUnit?> FindUnitAsync(string level, string code, CancellationToken ct)
    {
        var sql = level switch
        {
            HandlingLevel.Community => SelectCommunityUnit,
            HandlingLevel.Street => SelectStreetUnit,
            HandlingLevel.Department => SelectDepartmentUnit,
            _ => null,
        };
        return sql is null ? Task.FromResult<OrgUnit?>(null)
            : db.ReadAsync(c => c.QuerySingleOrDefaultAsync<OrgUnit>(new CommandDefinition(sql, new { Code = code.ToLowerInvariant() }, cancellationToken: ct)), ct);
    }

    private const string SelectGridUnit = "SELECT Id, Name, RetiredAt FROM Grids WHERE Code = @Code";

    public Task<OrgUnit?> FindGridAsync(string code, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<OrgUnit>(new CommandDefinition(SelectGridUnit, new { Code = code.ToLowerInvariant() }, cancellationToken: ct)), ct);

    /// <summary>A community's grids (网格), retired ones included, from the directory's snapshot.</summary>
    private async Task<IReadOnlyList<GridRow>> AllGridsAsync(long communityId, CancellationToken ct) =>
        (await directory.GetAsync(ct)).GridsOf(communityId);

    /// <summary>A community's grids (网格) that take reports, by code.</summary>
    public async Task<IReadOnlyList<GridRow>> ListGridsAsync(long communityId, CancellationToken ct) =>
        (await AllGridsAsync(communityId, ct)).Where(g => g.RetiredAt is null).ToList();

    /// <summary>One of the community's grids by its code (case-insensitive), retired or not, or null.</summary>
    public async Task<GridRow?> FindGridAsync(long communityId, string code, CancellationToken ct) =>
        (await AllGridsAsync(communityId, ct)).FirstOrDefault(g => string.Equals(g.Code, code.Trim(), StringComparison.OrdinalIgnoreCase));

    private const string SelectDepartmentIds = "SELECT Code, Id FROM Departments";

    public Task<Dictionary<string, long>> DepartmentIdsByCodeAsync(CancellationToken ct) =>
        db.ReadAsync(async c => (await c.QueryAsync<(string Code, long Id)>(new CommandDefinition(SelectDepartmentIds, cancellationToken: ct)))
            .ToDictionary(r => r.Code, r => r.Id, StringComparer.Ordinal), ct);

    private const string InsertPairing = """
        INSERT INTO DepartmentPairings (DepartmentId, CommunityId)
        SELECT @DepartmentId, @CommunityId
        WHERE NOT EXISTS (SELECT 1 FROM DepartmentPairings WHERE DepartmentId = @DepartmentId AND CommunityId = @CommunityId)
        """;

    /// <summary>Adds the pairings (结对共建) not there yet, all in one transaction; re-running an import is safe.</summary>
    public Task<int> AddPairingsAsync(IReadOnlyCollection<PairingUpsert> rows, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(InsertPairing, rows, tx, cancellationToken: ct)), ct);

    private const string SelectPairedDepartments = """
        SELECT d.Id, d.Code, d.Name, d.RetiredAt FROM DepartmentPairings p JOIN Departments d ON d.Id = p.DepartmentId
        WHERE p.CommunityId = @CommunityId ORDER BY d.Code
        """;

    /// <summary>The departments paired with a community: the ones it may whistle to (吹哨).</summary>
    public Task<IReadOnlyList<DepartmentRow>> ListPairedDepartmentsAsync(long communityId, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<DepartmentRow>>(async c =>
            (await c.QueryAsync<DepartmentRow>(new CommandDefinition(SelectPairedDepartments, new { CommunityId = communityId }, cancellationToken: ct))).AsList(), ct);

    private const string SelectIsPaired = "SELECT COUNT(*) FROM DepartmentPairings WHERE DepartmentId = @DepartmentId AND CommunityId = @CommunityId";

    public async Task<bool> IsPairedAsync(long departmentId, long communityId, CancellationToken ct) =>
        await db.ReadAsync(c => c.ExecuteScalarAsync<int>(new CommandDefinition(SelectIsPaired,
            new { DepartmentId = departmentId, CommunityId = communityId }, cancellationToken: ct)), ct) > 0;
}
