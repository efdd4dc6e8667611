using System.CommandLine;
using LianApi.Communities;
using LianApi.Shared;

namespace LianApi.Staff;

/// <summary><c>staff add|renew|deactivate|list</c>: ops create accounts; their owners bind them with a one-time code.</summary>
internal static class StaffVerbs
{
    public static Command Create(IServiceProvider services) => new("staff", "Staff accounts and their one-time binding codes.")
    {
        Add(services), Renew(services), Deactivate(services), List(services),
    };

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
        if (name.Trim().Length is 0 or > StaffStore.MaxNameLength)
        {
            Console.Error.WriteLine($"--name must have 1 to {StaffStore.MaxNameLength} characters (it has {name.Trim().Length}).");
            return 1;
        }
        var org = services.GetRequiredService<CommunityStore>();
        var level = StaffRoles.LevelOf(role);
        OrgUnit? unit = null;
        if (level != HandlingLevel.District && (unitCode is null || (unit = await org.FindUnitAsync(level, unitCode, ct)) is null))
        {
            Console.Error.WriteLine($"A {role} account needs --unit with the code of an existing {level}.");
            return 1;
        }
        long? gridId = null;
        if (gridCode is not null)
        {
            // A grid worker's grid is one of their own community's: they see and act on its cases only.
            gridId = role != StaffRoles.Community || unit is null ? null
                : (await org.FindGridAsync(unit.Id, gridCode, ct))?.Id;
            if (gridId is null)
            {
                Console.Error.WriteLine("--grid needs a community account and the code of a grid of that community.");
                return 1;
            }
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var created = await services.GetRequiredService<StaffStore>().AddAsync(
            new NewStaff(name, role, level, unit?.Id, unit?.Name ?? DispatchCenter.Name, gridId), now, ct);
        Console.WriteLine($"Added staff member {created.StaffId}: {name}, {role}, {unit?.Name ?? DispatchCenter.Name}.");
        Console.WriteLine(BindingMessage(created));
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
        var command = new Command("list", "Every account: id, role, unit, name, and whether it is bound.");
        command.SetAction(async (_, ct) =>
        {
            foreach (var member in await services.GetRequiredService<StaffStore>().ListAsync(ct))
            {
                var state = member.IsActive ? member.UserId is null ? "not bound" : "active" : "deactivated";
                Console.WriteLine($"{member.Id,5}  {member.Role,-10} {member.UnitName,-16} {member.Name,-10} {state}");
            }
            return 0;
        });
        return command;
    }

    internal static string BindingMessage(StaffBindingCode code) =>
        $"Binding code (shown once; give it to the staff member, who enters it after logging in): {code.Code}\n" +
        $"It works once and expires at {ChinaTime.Readable(code.ExpiresAt)}.";
}
