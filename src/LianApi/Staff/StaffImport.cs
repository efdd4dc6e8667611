using LianApi.Communities;
using LianApi.Shared;

namespace LianApi.Staff;

/// <summary>
/// <c>import staff</c>: accounts in bulk (a district's 2,800 party members), every row checked first like the org imports,
/// then all created in one transaction, each with its one-time binding code for the binding sheet.
/// </summary>
public sealed class StaffImport(CommunityStore org, StaffStore store)
{
    public static readonly string[] Columns = ["name", "role"];

    /// <summary>Left out or empty: the dispatch center's accounts have no unit, and only grid workers have a grid.</summary>
    public static readonly string[] OptionalColumns = ["unit", "grid"];

    /// <summary>The rows as accounts to create, or every row's error (by line); nothing is written.</summary>
    public async Task<(IReadOnlyList<PlacedStaff> Accounts, IReadOnlyList<string> Errors)> CheckAsync(string path, CancellationToken ct)
    {
        var (rows, errors) = Csv.ReadTable(path, Columns, OptionalColumns);
        var placement = new StaffPlacement(org);
        var accounts = new List<PlacedStaff>(rows.Count);
        foreach (var (line, f) in rows)
        {
            var (placed, error) = await placement.PlaceAsync(f["name"], f["role"].ToLowerInvariant(), f["unit"], f["grid"], ct);
            if (placed is null)
            {
                errors.Add($"line {line}: {error}");
            }
            else
            {
                accounts.Add(placed);
            }
        }
        return (errors.Count == 0 ? accounts : [], errors);
    }

    /// <summary>Creates the checked accounts, all or none; their binding codes are in the entries, sorted by unit for the sheet.</summary>
    public async Task<IReadOnlyList<BindingSheetEntry>> CreateAsync(IReadOnlyList<PlacedStaff> accounts, DateTime now, TimeSpan codeLifetime, CancellationToken ct)
    {
        var codes = await store.AddManyAsync(accounts.Select(a => a.Staff).ToList(), now, codeLifetime, ct);
        return accounts.Zip(codes, (a, code) => new BindingSheetEntry(a.Staff.UnitName, a.Staff.Name, a.Staff.Role, a.GridName, code))
            .OrderBy(e => e.UnitName, StringComparer.Ordinal).ToList();
    }
}
