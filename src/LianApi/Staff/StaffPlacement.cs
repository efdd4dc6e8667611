using LianApi.Communities;
using LianApi.Shared;

namespace LianApi.Staff;

/// <summary>A new account where it works: what to store, and its grid's name for the binding sheet.</summary>
public sealed record PlacedStaff(NewStaff Staff, string? GridName);

/// <summary>
/// Where a new account works, from the codes ops typed (<c>staff add</c>) or wrote in a file (<c>import staff</c>): checked
/// the same way for both, so an import row is refused for exactly what <c>staff add</c> refuses. Units and grids are
/// looked up once per code, since an import names the same few hundred units thousands of times.
/// </summary>
public sealed class StaffPlacement(CommunityStore org)
{
    private readonly Dictionary<(string Level, string Code), OrgUnit?> units = [];
    private readonly Dictionary<long, IReadOnlyList<GridRow>> grids = [];

    /// <summary>The account to create, or what is wrong with it (one sentence, naming the field).</summary>
    public async Task<(PlacedStaff? Placed, string? Error)> PlaceAsync(string name, string role, string? unitCode, string? gridCode, CancellationToken ct)
    {
        name = name.Trim();
        unitCode = string.IsNullOrWhiteSpace(unitCode) ? null : unitCode.Trim().ToLowerInvariant();
        gridCode = string.IsNullOrWhiteSpace(gridCode) ? null : gridCode.Trim();
        if (name.Length is 0 or > StaffStore.MaxNameLength)
        {
            return (null, $"name must have 1 to {StaffStore.MaxNameLength} characters (it has {name.Length})");
        }
        if (!StaffRoles.All.Contains(role))
        {
            return (null, $"role '{role}' is not one of {string.Join(", ", StaffRoles.All)}");
        }
        if (gridCode is not null && role != StaffRoles.Community)
        {
            return (null, $"grid: only a community account can have a grid (it makes them a grid worker), not a {role} account");
        }
        var level = StaffRoles.LevelOf(role);
        if (level == HandlingLevel.District)
        {
            return unitCode is null
                ? (new PlacedStaff(new NewStaff(name, role, level, null, DispatchCenter.Name, null), null), null)
                : (null, $"unit: a {role} account works for the whole district and has no unit (leave it empty)");
        }
        if (unitCode is null)
        {
            return (null, $"unit: a {role} account needs the code of an existing {level}");
        }
        if (!units.TryGetValue((level, unitCode), out var unit))
        {
            units[(level, unitCode)] = unit = await org.FindUnitAsync(level, unitCode, ct);
        }
        if (unit is null || unit.RetiredAt is not null)
        {
            return (null, unit is null ? $"unit: there is no {level} with the code '{unitCode}'" : $"unit: {unit.Name} ('{unitCode}') was retired");
        }
        if (gridCode is null)
        {
            return (new PlacedStaff(new NewStaff(name, role, level, unit.Id, unit.Name, null), null), null);
        }
        if (!grids.TryGetValue(unit.Id, out var ofUnit))
        {
            grids[unit.Id] = ofUnit = await org.ListGridsAsync(unit.Id, ct);
        }
        // A grid worker's grid is one of their own community's: they see and act on its cases only.
        var grid = ofUnit.FirstOrDefault(g => string.Equals(g.Code, gridCode, StringComparison.OrdinalIgnoreCase));
        if (grid is null)
        {
            return (null, ofUnit.Count == 0
                ? $"grid: {unit.Name} has no grids (import them with `import grids`), so '{gridCode}' is not one of them"
                : $"grid: '{gridCode}' is not a grid of {unit.Name}; its grids are {string.Join(", ", ofUnit.Select(g => $"{g.Code} ({g.Name})"))}");
        }
        return (new PlacedStaff(new NewStaff(name, role, level, unit.Id, unit.Name, grid.Id), grid.Name), null);
    }
}
