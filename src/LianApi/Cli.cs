using LianApi.Calendar;
using LianApi.Communities;
using LianApi.Complaints;
using LianApi.Notifications;
using LianApi.Staff;
using LianApi.Data;

using LianApi.Shared;

using LianApi.Infrastructure;

namespace LianApi;

/// <summary>
/// Ops verbs run by the same binary and configuration as the API:
/// <c>migrate</c>, <c>import communities|grids|departments|pairings FILE.csv</c>, <c>calendar import FILE.csv</c>,
/// <c>staff add|renew|deactivate|list</c>, <c>sweep</c>, <c>open311 key add|revoke|list</c>.
/// </summary>
public static class Cli
{
    private static readonly string[] Verbs = ["migrate", "import", "calendar", "staff", "sweep", "posters", "stats", "notifications", "demo-data", "open311"];

    private const string Usage = """
        Usage: LianApi [--urls URL] [--Section:Key=value …]         (no verb: start the API)
               LianApi help | --help | -h                       (this list)
               LianApi migrate
               LianApi import communities|grids|departments|pairings FILE.csv
                                 (pairings header: department,community — the departments paired with each community)
               LianApi calendar import FILE.csv                 (header: date,kind,name; kind = holiday | workday)
               LianApi staff add --name NAME --role ROLE --unit CODE [--grid CODE]
                                 (ROLE: community | street | department | dispatcher | admin | volunteer; no unit for dispatcher/admin;
                                  a volunteer's unit is their community; --grid makes a community account a grid worker)
               LianApi staff renew ID | staff deactivate ID | staff list
               LianApi sweep                                    (run the deadline sweep once)
               LianApi notifications [send]                     (the outbox backlog, failed and pending messages; send: dispatch what is due once)
               LianApi posters --out DIR [--street CODE] [--kind link|wxacode] [--preset screen|print]   (posters.pdf and posters.zip)
               LianApi stats verify                             (compare the statistics rollups with a recount of the cases; exit 1 on a difference)
               LianApi stats rebuild                            (replace the rollups by a recount)
               LianApi demo-data --cases N [--years Y]          (fill the database with N realistic case histories over Y years, default 3)
               LianApi open311 key add --partner NAME           (issue an Open311 api_key; shown once, stored hashed)
               LianApi open311 key revoke ID | open311 key list
        """;

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    private static readonly string[] HelpSwitches = ["help", "--help", "-h", "-?", "/?"];

    /// <summary>
    /// help, --help and -h print the verbs (exit 0); a first argument that is neither a verb nor a setting (--key value,
    /// key=value, /key value) is a mistyped verb: the verbs again, exit 2. Null: run a verb or start the API.
    /// Checked before anything is configured, so it works without a database or secrets.
    /// </summary>
    public static int? UsageExitCode(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0)
        {
            return null;
        }
        var first = args[0];
        if (HelpSwitches.Contains(first))
        {
            output.WriteLine(Usage);
            return 0;
        }
        if (IsVerb(args) || first.StartsWith('-') || first.StartsWith('/') || first.Contains('='))
        {
            return null;
        }
        error.WriteLine($"Unknown verb '{first}'.");
        error.WriteLine(Usage);
        return 2;
    }

    private static readonly string[] VerbOptions = ["--name", "--role", "--unit", "--grid", "--out", "--street", "--kind", "--cases", "--years", "--partner"];

    /// <summary>Leaves only --key=value style settings for the configuration system.</summary>
    public static string[] ConfigurationArgs(string[] args) =>
        IsVerb(args) ? args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=')).ToArray() : args;

    private static (string[] Positional, Dictionary<string, string> Options) Parse(string[] args)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (VerbOptions.Contains(args[i]) && i + 1 < args.Length)
            {
                options[args[i][2..]] = args[++i];
            }
            else if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(args[i]);
            }
        }
        return (positional.ToArray(), options);
    }

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var (positional, options) = Parse(args);
        var ct = app.Lifetime.ApplicationStopping;
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();
        var applied = await migrator.MigrateAsync(ct);
        Console.WriteLine(applied.Count == 0
            ? $"Schema is current (version {migrator.LatestVersion})."
            : $"Applied {string.Join(", ", applied.Select(s => s.Name))}.");

        switch (positional)
        {
            case ["migrate"]:
                return 0;
            case ["import", "communities" or "grids" or "departments" or "pairings", var file]:
                var importer = new OrgImport(app.Services.GetRequiredService<CommunityStore>());
                return Report(positional[1], file, positional[1] switch
                {
                    "communities" => await importer.ImportCommunitiesAsync(file, ct),
                    "grids" => await importer.ImportGridsAsync(file, ct),
                    "pairings" => await importer.ImportPairingsAsync(file, ct),
                    _ => await importer.ImportDepartmentsAsync(file, ct),
                });
            case ["calendar", "import", var file]:
                return Report("calendar days", file, await CalendarImport.ImportAsync(app.Services.GetRequiredService<CalendarStore>(), file, ct));
            case ["staff", "add"]:
                return await AddStaffAsync(app, options, now, ct);
            case ["staff", "renew", var id] when long.TryParse(id, out var staffId):
                var renewed = await app.Services.GetRequiredService<StaffStore>().RenewCodeAsync(staffId, now, ct);
                Console.WriteLine(renewed is null ? $"No active staff member {id}." : BindingMessage(renewed));
                return renewed is null ? 1 : 0;
            case ["staff", "deactivate", var id] when long.TryParse(id, out var staffId):
                var deactivated = await app.Services.GetRequiredService<StaffStore>().DeactivateAsync(staffId, ct);
                Console.WriteLine(deactivated ? $"Staff member {id} deactivated; their next request is refused." : $"No staff member {id}.");
                return deactivated ? 0 : 1;
            case ["staff", "list"]:
                foreach (var member in await app.Services.GetRequiredService<StaffStore>().ListAsync(ct))
                {
                    Console.WriteLine($"{member.Id,5}  {member.Role,-10} {member.UnitName,-16} {member.Name,-10} {(member.IsActive ? member.UserId is null ? "not bound" : "active" : "deactivated")}");
                }
                return 0;
            case ["posters"] when options.TryGetValue("out", out var outDirectory):
                return await PrintSetAsync(app, outDirectory, options.GetValueOrDefault("street"), options.GetValueOrDefault("kind"),
                    options.GetValueOrDefault("preset"), ct);
            case ["stats", "verify"]:
                var differences = await app.Services.GetRequiredService<Stats.StatsStore>().VerifyAsync(ct);
                Console.WriteLine(differences.Count == 0
                    ? "Statistics rollups agree with a recount of the cases."
                    : $"{differences.Count} rollup row(s) differ from a recount (run `stats rebuild` to replace them):\n  " + string.Join("\n  ", differences.Take(50)));
                return differences.Count == 0 ? 0 : 1;
            case ["demo-data"] when options.TryGetValue("cases", out var casesText) && int.TryParse(casesText, out var cases) && cases > 0:
                var years = options.TryGetValue("years", out var yearsText) && int.TryParse(yearsText, out var y) && y > 0 ? y : 3;
                if (app.Environment.IsDevelopment())
                {
                    // What the API does at its first start in Development: the demo needs an org to happen in.
                    foreach (var seed in app.Services.GetServices<IDevelopmentSeed>())
                    {
                        await seed.ApplyAsync(ct);
                    }
                }
                var filled = await app.Services.GetRequiredService<Demo.DemoData>().FillAsync(cases, years, Console.Out, ct);
                Console.WriteLine($"{filled.Cases} cases over {years} year(s) in {filled.Elapsed.TotalSeconds:F0} s; {filled.RollupRows} statistics rollup rows.");
                return 0;
            case ["stats", "rebuild"]:
                var rows = await app.Services.GetRequiredService<Stats.StatsStore>().RebuildAsync(ct);
                Console.WriteLine($"Statistics rollups rebuilt from the cases: {rows} row(s).");
                return 0;
            case ["open311", "key", "add"] when options.TryGetValue("partner", out var partner) && partner.Trim().Length is > 0 and <= 100:
                var (keyId, apiKey) = await app.Services.GetRequiredService<Open311.Open311KeyStore>().AddAsync(partner.Trim(), now, ct);
                Console.WriteLine($"Added Open311 key {keyId} for {partner.Trim()}.\napi_key (shown once; give it to the partner, it is stored only hashed): {apiKey}");
                return 0;
            case ["open311", "key", "revoke", var id] when long.TryParse(id, out var revokeId):
                var revoked = await app.Services.GetRequiredService<Open311.Open311KeyStore>().RevokeAsync(revokeId, now, ct);
                Console.WriteLine(revoked ? $"Open311 key {id} revoked; its next request is refused (403)." : $"No active Open311 key {id}.");
                return revoked ? 0 : 1;
            case ["open311", "key", "list"]:
                foreach (var key in await app.Services.GetRequiredService<Open311.Open311KeyStore>().ListAsync(ct))
                {
                    Console.WriteLine($"{key.Id,5}  {key.Partner,-24} added {ChinaTime.Readable(key.CreatedAt)}  {(key.RevokedAt is { } at ? "revoked " + ChinaTime.Readable(at) : "active")}");
                }
                return 0;
            case ["sweep"]:
                var swept = await app.Services.GetRequiredService<DeadlineSweep>().RunOnceAsync(ct);
                Console.WriteLine(SweepMessage(swept, now));
                return 0;
            case ["notifications"]:
                await PrintNotificationsAsync(app.Services.GetRequiredService<NotificationStore>(), now, ct);
                return 0;
            case ["notifications", "send"]:
                var sent = await app.Services.GetRequiredService<NotificationDispatcher>().RunOnceAsync(ct);
                Console.WriteLine($"Notifications at {ChinaTime.Readable(now)}: sent {sent.Sent}, to retry {sent.Retrying}, failed {sent.Failed}, skipped {sent.Skipped}.");
                return 0;
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    private static async Task PrintNotificationsAsync(NotificationStore outbox, DateTime now, CancellationToken ct)
    {
        var backlog = await outbox.BacklogAsync(now, ct);
        Console.WriteLine($"Outbox at {ChinaTime.Readable(now)}: {backlog.Pending} pending (oldest {backlog.OldestPendingSeconds} s), {backlog.Failed} failed.");
        foreach (var status in new[] { NotificationStatus.Failed, NotificationStatus.Pending })
        {
            foreach (var n in await outbox.ListAsync(status, 50, ct))
            {
                Console.WriteLine($"{n.Id,6}  {n.Status,-8} {n.Event,-26} {n.TrackingNo,-16} attempts {n.Attempts,-3} errcode {n.ErrCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",-6} " +
                                  $"{(n.Status == NotificationStatus.Pending ? "due " + n.DueAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : n.LastError)}");
            }
        }
    }

    private static async Task<int> PrintSetAsync(WebApplication app, string directory, string? street, string? kindName, string? preset, CancellationToken ct)
    {
        if (kindName is not (null or "link" or "wxacode") || preset is not (null or Posters.PosterPresets.Screen or Posters.PosterPresets.Print))
        {
            Console.Error.WriteLine("--kind is link or wxacode; --preset is screen or print.");
            return 2;
        }
        var kind = QrCodes.ImageResponses.ParseKind(kindName);
        var posters = app.Services.GetRequiredService<Posters.PosterService>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Offline, so no render gate: this process draws nothing else.
        var communities = await app.Services.GetRequiredService<CommunityStore>().ListCommunitiesAsync(street, ct);
        if (communities.Count == 0)
        {
            Console.Error.WriteLine("No communities to print.");
            return 1;
        }
        Directory.CreateDirectory(directory);
        void Progress(string what, int done, Posters.PosterContent poster) =>
            Console.WriteLine($"  {what} [{done,3}/{communities.Count}] {poster.StreetName} {poster.CommunityName}");
        var pdf = Path.Combine(directory, "posters.pdf");
        await using (var file = File.Create(pdf))
        {
            await posters.WritePdfAsync(file, communities, kind, ct, (n, p) => Progress("pdf", n, p));
        }
        var zip = Path.Combine(directory, "posters.zip");
        await using (var file = File.Create(zip))
        {
            await posters.WriteZipAsync(file, communities, kind, preset ?? Posters.PosterPresets.Screen, ct, (n, p) => Progress("png", n, p));
        }
        Console.WriteLine($"Wrote {pdf} ({communities.Count} pages) and {zip} in {clock.Elapsed.TotalSeconds:F1} s.");
        return 0;
    }

    private static int Report(string what, string file, ImportResult result)
    {
        foreach (var error in result.Errors)
        {
            Console.Error.WriteLine(error);
        }
        Console.WriteLine(result.Errors.Count == 0
            ? $"Imported {result.Imported} {what} from {file}."
            : $"Nothing imported: {result.Errors.Count} error(s) in {file}. Fix them and run the import again.");
        return result.Errors.Count == 0 ? 0 : 1;
    }

    private static async Task<int> AddStaffAsync(WebApplication app, Dictionary<string, string> options, DateTime now, CancellationToken ct)
    {
        if (!options.TryGetValue("name", out var name) || !options.TryGetValue("role", out var role) || !StaffRoles.All.Contains(role))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (name.Trim().Length is 0 or > StaffStore.MaxNameLength)
        {
            Console.Error.WriteLine($"--name must have 1 to {StaffStore.MaxNameLength} characters (it has {name.Trim().Length}).");
            return 1;
        }
        var org = app.Services.GetRequiredService<CommunityStore>();
        var level = StaffRoles.LevelOf(role);
        OrgUnit? unit = null;
        if (level != HandlingLevel.District)
        {
            if (!options.TryGetValue("unit", out var code) || (unit = await org.FindUnitAsync(level, code, ct)) is null)
            {
                Console.Error.WriteLine($"A {role} account needs --unit with the code of an existing {level}.");
                return 1;
            }
        }
        long? gridId = null;
        if (options.TryGetValue("grid", out var gridCode))
        {
            // A grid worker's grid is one of their own community's: they see and act on its cases only.
            gridId = role != StaffRoles.Community || unit is null ? null
                : (await org.ListGridsAsync(unit.Id, ct)).FirstOrDefault(g => string.Equals(g.Code, gridCode, StringComparison.OrdinalIgnoreCase))?.Id;
            if (gridId is null)
            {
                Console.Error.WriteLine("--grid needs a community account and the code of a grid of that community.");
                return 1;
            }
        }
        var created = await app.Services.GetRequiredService<StaffStore>().AddAsync(
            new NewStaff(name, role, level, unit?.Id, unit?.Name ?? DispatchCenter.Name, gridId), now, ct);
        Console.WriteLine($"Added staff member {created.StaffId}: {name}, {role}, {unit?.Name ?? DispatchCenter.Name}.");
        Console.WriteLine(BindingMessage(created));
        return 0;
    }

    internal static string SweepMessage(DeadlineSweep.Result swept, DateTime now) =>
        $"Sweep at {ChinaTime.Readable(now)}: escalated {swept.Escalated}, marked overdue {swept.MarkedOverdue}, closed unrated {swept.Closed}.";

    internal static string BindingMessage(StaffBindingCode code) =>
        $"Binding code (shown once; give it to the staff member, who enters it after logging in): {code.Code}\n" +
        $"It works once and expires at {ChinaTime.Readable(code.ExpiresAt)}.";
}
