using System.Globalization;
using System.Text.RegularExpressions;

using LianApi.Shared;

namespace LianApi.Communities;

/// <summary>
/// Ops' CSV imports (UTF-8, header row). Every row is checked first and errors are reported by line number;
/// only a clean file is written, in one transaction, upserting by code so that re-running it is safe.
/// </summary>
public sealed partial class OrgImport(CommunityStore store)
{
    public static readonly string[] CommunityColumns = ["code", "street", "name", "address", "latitude", "longitude"];
    public static readonly string[] GridColumns = ["code", "community", "name"];
    public static readonly string[] DepartmentColumns = ["code", "name"];
    public static readonly string[] PairingColumns = ["department", "community"];

    /// <summary>结对共建: which departments each community may whistle to. Rows name existing codes; a pair already there is kept.</summary>
    public async Task<ImportResult> ImportPairingsAsync(string path, CancellationToken ct)
    {
        var departments = await store.DepartmentIdsByCodeAsync(ct);
        var communities = await store.CommunityIdsByCodeAsync(ct);
        // Pairings imported before what they pair would otherwise be refused row by row, hundreds of times over.
        if (departments.Count == 0 || communities.Count == 0)
        {
            return new ImportResult(0, [$"{path}: there are no {(departments.Count == 0 ? "departments" : "communities")} yet: import them first, then the pairings"]);
        }
        var (rows, errors) = Parse(path, PairingColumns, (line, f, errs) =>
        {
            var unknown = new List<string>();
            if (!departments.TryGetValue(f["department"].ToLowerInvariant(), out var departmentId))
            {
                unknown.Add($"department '{f["department"]}'");
            }
            if (!communities.TryGetValue(f["community"].ToLowerInvariant(), out var communityId))
            {
                unknown.Add($"community '{f["community"]}'");
            }
            if (unknown.Count > 0)
            {
                errs.Add($"line {line}: unknown {string.Join(" and ", unknown)} (import it first)");
            }
            return new PairingUpsert(departmentId, communityId);
        }, key: f => $"{f["department"].ToLowerInvariant()},{f["community"].ToLowerInvariant()}", what: "pair");
        if (errors.Count > 0)
        {
            return new ImportResult(0, errors);
        }
        await store.AddPairingsAsync(rows, ct);
        return new ImportResult(rows.Count, []);
    }

    public async Task<ImportResult> ImportDepartmentsAsync(string path, CancellationToken ct)
    {
        var (rows, errors) = Parse(path, DepartmentColumns, (_, f, _) => new DepartmentUpsert(f["code"], f["name"]));
        if (errors.Count > 0)
        {
            return new ImportResult(0, errors);
        }
        await store.UpsertDepartmentsAsync(rows, ct);
        return new ImportResult(rows.Count, []);
    }

    public async Task<ImportResult> ImportCommunitiesAsync(string path, CancellationToken ct)
    {
        var streets = await store.ListStreetsAsync(ct);
        var streetIds = streets.ToDictionary(s => s.Code, s => s.Id, StringComparer.OrdinalIgnoreCase);
        foreach (var s in streets)
        {
            streetIds.TryAdd(s.Name, s.Id);
        }
        var (rows, errors) = Parse(path, CommunityColumns, (line, f, errs) =>
        {
            if (!streetIds.TryGetValue(f["street"], out var streetId))
            {
                errs.Add($"line {line}: unknown street '{f["street"]}' (use a street code such as beiyuanmen or its name such as 北院门街道)");
            }
            var lat = Coordinate(line, f["latitude"], "latitude", 90, errs);
            var lng = Coordinate(line, f["longitude"], "longitude", 180, errs);
            if (lat.HasValue != lng.HasValue)
            {
                errs.Add($"line {line}: give both latitude and longitude, or neither");
            }
            Text(line, f["address"], "address", 200, required: false, errs);
            return new CommunityUpsert(f["code"], streetId, f["name"], f["address"].Length == 0 ? null : f["address"], lat, lng);
        });
        if (errors.Count > 0)
        {
            return new ImportResult(0, errors);
        }
        await store.UpsertCommunitiesAsync(rows, ct);
        return new ImportResult(rows.Count, []);
    }

    public async Task<ImportResult> ImportGridsAsync(string path, CancellationToken ct)
    {
        var communities = await store.CommunityIdsByCodeAsync(ct);
        var (rows, errors) = Parse(path, GridColumns, (line, f, errs) =>
        {
            if (!communities.TryGetValue(f["community"].ToLowerInvariant(), out var communityId))
            {
                errs.Add($"line {line}: unknown community '{f["community"]}' (import the communities first)");
            }
            return new GridUpsert(f["code"], communityId, f["name"]);
        });
        if (errors.Count > 0)
        {
            return new ImportResult(0, errors);
        }
        await store.UpsertGridsAsync(rows, ct);
        return new ImportResult(rows.Count, []);
    }

    private delegate T RowReader<out T>(int line, IReadOnlyDictionary<string, string> fields, List<string> errors);

    /// <summary>
    /// Reads the file against its header; rows are keyed by their code (checked: 1–32 characters, unique, with a name)
    /// unless the import gives its own <paramref name="key"/> for rows without code and name.
    /// </summary>
    private static (List<T> Rows, List<string> Errors) Parse<T>(string path, string[] columns, RowReader<T> read,
        Func<Dictionary<string, string>, string>? key = null, string what = "code")
    {
        var (table, errors) = Csv.ReadTable(path, columns);
        var rows = new List<T>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, fields) in table)
        {
            if (key is not null)
            {
                var pair = key(fields);
                if (seen.TryGetValue(pair, out var earlier))
                {
                    errors.Add($"line {line}: {what} '{pair}' already appears on line {earlier}");
                }
                seen.TryAdd(pair, line);
                rows.Add(read(line, fields, errors));
                continue;
            }
            // Codes are case-insensitive everywhere (SQL Server's default collation is), so they are stored lower-case.
            var code = fields["code"] = fields["code"].ToLowerInvariant();
            if (!CodeFormat().IsMatch(code))
            {
                errors.Add($"line {line}: code '{code}' must be 1–32 letters, digits, '-' or '_' (it goes into QR codes)");
            }
            else if (seen.TryGetValue(code, out var first))
            {
                errors.Add($"line {line}: code '{code}' already appears on line {first}");
            }
            else
            {
                seen[code] = line;
            }
            Text(line, fields["name"], "name", 100, required: true, errors);
            rows.Add(read(line, fields, errors));
        }
        return (rows, errors);
    }

    private static void Text(int line, string value, string column, int max, bool required, List<string> errors)
    {
        if (required && value.Length == 0)
        {
            errors.Add($"line {line}: {column} is empty");
        }
        else if (value.Length > max)
        {
            errors.Add($"line {line}: {column} is longer than {max} characters");
        }
    }

    private static double? Coordinate(int line, string value, string column, double limit, List<string> errors)
    {
        if (value.Length == 0)
        {
            return null;
        }
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || Math.Abs(number) > limit)
        {
            errors.Add($"line {line}: {column} '{value}' is not a number between -{limit} and {limit}");
            return null;
        }
        return number;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex CodeFormat();
}
