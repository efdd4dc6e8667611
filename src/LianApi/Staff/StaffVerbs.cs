using System.CommandLine;
using LianApi.Communities;
using LianApi.QrCodes;
using LianApi.Shared;
using Microsoft.Extensions.Options;

namespace LianApi.Staff;

/// <summary><c>staff add|renew|deactivate|list|wecom</c>: ops create accounts; their owners bind them with a one-time code.</summary>
internal static class StaffVerbs
{
    public static Command Create(IServiceProvider services) => new("staff", "Staff accounts and their one-time binding codes.")
    {
        Add(services), Renew(services), Deactivate(services), List(services), Wecom(services),
    };

    private static Command Wecom(IServiceProvider services)
    {
        var id = StaffId();
        var userId = new Argument<string>("userid") { Description = "Their WeCom (企业微信 / 政务微信) user id as WeCom's admin shows it (账号), or - to remove it." };
        var command = new Command("wecom", "Map one staff member to their WeCom user id: their alerts then come by WeCom, not subscribe messages.") { id, userId };
        command.SetAction(async (parsed, ct) =>
        {
            var staffId = parsed.GetRequiredValue(id);
            var value = parsed.GetRequiredValue(userId).Trim();
            var wecom = value == "-" ? null : value;
            if (wecom is not null && !StaffStore.IsWecomUserId(wecom))
            {
                Console.Error.WriteLine($"'{wecom}' is not a WeCom user id: 1 to 64 letters, digits and _ - . @ (WeCom admin → 通讯录 → the member → 账号).");
                return 1;
            }
            var result = await services.GetRequiredService<StaffStore>().SetWecomUserIdAsync(staffId, wecom, ct);
            Console.WriteLine(result switch
            {
                WecomMapping.Set when wecom is null => $"Staff member {staffId} has no WeCom user id now; they get subscribe messages.",
                WecomMapping.Set => $"Staff member {staffId} is WeCom user {wecom}; their alerts come by WeCom.",
                WecomMapping.NoSuchStaff => $"No staff member {staffId}.",
                _ => $"WeCom user {wecom} belongs to another staff member (see staff list); remove it there first.",
            });
            return result == WecomMapping.Set ? 0 : 1;
        });
        return command;
    }

    private static Command Add(IServiceProvider services)
    {
        var name = new Option<string>("--name") { Description = $"The person's name, 1 to {StaffStore.MaxNameLength} characters.", HelpName = "name", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", StaffRoles.All)}.", HelpName = "role", Required = true };
        role.AcceptOnlyFromAmong(StaffRoles.All);
        var unit = new Option<string>("--unit")
        {
            Description = "The code of the account's street, community or department (a volunteer's: their community); none for dispatcher and admin.",
            HelpName = "code",
        };
        var grid = new Option<string>("--grid") { Description = "A grid of the account's own community: makes a community account a grid worker.", HelpName = "code" };
        var command = new Command("add", "Create an account and print its one-time binding code.") { name, role, unit, grid };
        command.SetAction((parsed, ct) =>
            AddAsync(services, parsed.GetRequiredValue(name), parsed.GetRequiredValue(role), parsed.GetValue(unit), parsed.GetValue(grid), ct));
        return command;
    }

    private static async Task<int> AddAsync(IServiceProvider services, string name, string role, string? unitCode, string? gridCode, CancellationToken ct)
    {
        var (placed, error) = await new StaffPlacement(services.GetRequiredService<CommunityStore>()).PlaceAsync(name, role, unitCode, gridCode, ct);
        if (placed is null)
        {
            Console.Error.WriteLine(error);
            return 1;
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var created = await services.GetRequiredService<StaffStore>().AddAsync(placed.Staff, now, ct);
        Console.WriteLine($"Added staff member {created.StaffId}: {placed.Staff.Name}, {role}, {placed.Staff.UnitName}.");
        Console.WriteLine(BindingMessage(created));
        return 0;
    }

    /// <summary><c>import staff FILE.csv</c>: beside the org imports, which it depends on (units and grids must exist first).</summary>
    public static Command Import(IServiceProvider services)
    {
        var file = new Argument<string>("file") { Description = "The CSV file." };
        var sheet = new Option<string>("--sheet") { Description = "Where to write the binding sheet (PDF); default: beside the CSV, FILE-binding-sheet.pdf.", HelpName = "file.pdf" };
        var days = new Option<int>("--days")
        {
            Description = $"How many days the binding codes stay valid (1 to {StaffStore.MaxBindingCodeLifetime.TotalDays}; default {StaffStore.BindingCodeLifetime.TotalDays}).",
            HelpName = "n",
            DefaultValueFactory = _ => (int)StaffStore.BindingCodeLifetime.TotalDays,
        };
        var command = new Command("staff", $"Create staff accounts in bulk and write their binding sheet; header: {string.Join(',', [.. StaffImport.Columns, .. StaffImport.OptionalColumns])}.")
        {
            file, sheet, days,
        };
        command.SetAction((parsed, ct) => ImportAsync(services, parsed.GetRequiredValue(file), parsed.GetValue(sheet), parsed.GetValue(days), ct));
        return command;
    }

    private static async Task<int> ImportAsync(IServiceProvider services, string path, string? sheetPath, int days, CancellationToken ct)
    {
        if (days < 1 || days > StaffStore.MaxBindingCodeLifetime.TotalDays)
        {
            Console.Error.WriteLine($"--days must be 1 to {StaffStore.MaxBindingCodeLifetime.TotalDays}.");
            return 1;
        }
        // Checked before anything is written: codes exist only on the sheet, so a sheet that cannot be made wastes them.
        var prefix = services.GetRequiredService<IOptions<QrCodeOptions>>().Value.BindingLinkPrefix;
        if (prefix.Length == 0)
        {
            Console.Error.WriteLine("QrCodes__BindingLinkPrefix is not set: the binding sheet's QR codes open that link (+ the code). Set it to the URL of the binding page's link rule.");
            return 1;
        }
        var import = new StaffImport(services.GetRequiredService<CommunityStore>(), services.GetRequiredService<StaffStore>());
        var (accounts, errors) = await import.CheckAsync(path, ct);
        if (errors.Count > 0)
        {
            return new ImportResult(0, errors).Report("staff accounts", path);
        }
        sheetPath ??= Path.ChangeExtension(path, null) + "-binding-sheet.pdf";
        await using var output = File.Create(sheetPath);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var entries = await import.CreateAsync(accounts, now, TimeSpan.FromDays(days), ct);
        var pages = BindingSheet.Write(output, entries, code => prefix + code);
        new ImportResult(entries.Count, []).Report("staff accounts", path);
        Console.WriteLine($"Wrote the binding sheet {sheetPath} ({pages} page(s), {entries.Select(e => e.UnitName).Distinct().Count()} unit(s)); " +
            $"the codes are on it only and expire at {ChinaTime.Readable(entries[0].Code.ExpiresAt)}. Print it, then delete the file.");
        return 0;
    }

    private static Command Renew(IServiceProvider services)
    {
        var id = StaffId();
        var command = new Command("renew", "A new binding code for someone who changed phones; it unbinds their old WeChat account.") { id };
        command.SetAction(async (parsed, ct) =>
        {
            var staffId = parsed.GetRequiredValue(id);
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var renewed = await services.GetRequiredService<StaffStore>().RenewCodeAsync(staffId, now, ct);
            Console.WriteLine(renewed is null ? $"No active staff member {staffId}." : BindingMessage(renewed));
            return renewed is null ? 1 : 0;
        });
        return command;
    }

    private static Command Deactivate(IServiceProvider services)
    {
        var id = StaffId();
        var command = new Command("deactivate", "Retire an account: its next request is refused.") { id };
        command.SetAction(async (parsed, ct) =>
        {
            var staffId = parsed.GetRequiredValue(id);
            var deactivated = await services.GetRequiredService<StaffStore>().DeactivateAsync(staffId, ct);
            Console.WriteLine(deactivated ? $"Staff member {staffId} deactivated; their next request is refused." : $"No staff member {staffId}.");
            return deactivated ? 0 : 1;
        });
        return command;
    }

    private static Argument<long> StaffId() => new("id") { Description = "The staff member's id (see staff list)." };

    private static Command List(IServiceProvider services)
    {
        var command = new Command("list", "Every account: id, role, unit, grid, name, whether it is bound, and its WeCom user id.");
        command.SetAction(async (_, ct) =>
        {
            foreach (var member in await services.GetRequiredService<StaffStore>().ListForOpsAsync(ct))
            {
                var state = member.IsActive ? member.UserId is null ? "not bound" : "active" : "deactivated";
                Console.WriteLine($"{member.Id,5}  {member.Role,-10} {member.UnitName,-16} {member.GridCode ?? "-",-12} {member.Name,-10} {state,-11} {member.WecomUserId ?? "-"}");
            }
            return 0;
        });
        return command;
    }

    internal static string BindingMessage(StaffBindingCode code) =>
        $"Binding code (shown once; give it to the staff member, who enters it after logging in): {code.Code}\n" +
        $"It works once and expires at {ChinaTime.Readable(code.ExpiresAt)}.";
}
