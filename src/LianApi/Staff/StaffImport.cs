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

    /// <summary>
    /// Left out or empty: the dispatch center's accounts have no unit, only grid workers have a grid, and only staff with a
    /// WeCom (企业微信 / 政务微信) account have a wecom user id (the others get subscribe messages).
    /// </summary>
    public static readonly string[] OptionalColumns = ["unit", "grid", "wecom"];

    /// <summary>The rows as accounts to create, or every row's error (by line); nothing is written.</summary>
    public async Task<(IReadOnlyList<PlacedStaff> Accounts, IReadOnlyList<string> Errors)> CheckAsync(string path, CancellationToken ct)
    {
        var (rows, errors) = Csv.ReadTable(path, Columns, OptionalColumns);
        var placement = new StaffPlacement(org);
        var accounts = new List<PlacedStaff>(rows.Count);
        // A WeCom user id is one person's: taken already, or twice in the file, is a mistake to fix before anything is written.
        var taken = (await store.ListForOpsAsync(ct)).Where(s => s.WecomUserId is not null).Select(s => s.WecomUserId!).ToHashSet(StringComparer.Ordinal);
        foreach (var (line, f) in rows)
        {
            var wecom = string.IsNullOrWhiteSpace(f["wecom"]) ? null : f["wecom"]!.Trim();
            if (wecom is not null && !StaffStore.IsWecomUserId(wecom))
            {
                errors.Add($"line {line}: wecom '{wecom}' is not a WeCom user id (1 to 64 letters, digits and _ - . @, as WeCom's admin shows it under 账号)");
                continue;
            }
            if (wecom is not null && !taken.Add(wecom))
            {
                errors.Add($"line {line}: wecom '{wecom}' belongs to another staff member already");
                continue;
            }
            var (placed, error) = await placement.PlaceAsync(f["name"], f["role"].ToLowerInvariant(), f["unit"], f["grid"], ct);
            if (placed is null)
            {
                errors.Add($"line {line}: {error}");
            }
            else
            {
                accounts.Add(placed with { Staff = placed.Staff with { WecomUserId = wecom } });
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
