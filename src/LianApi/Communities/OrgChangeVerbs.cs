using System.CommandLine;
using LianApi.Shared;

namespace LianApi.Communities;

/// <summary>
/// <c>org move|retire|unpair|changes</c>: the changes to the organisation an import cannot make, each recorded in
/// OrgChanges. Retiring keeps the row and its cases (they stay countable in statistics); nothing is ever deleted but a pairing.
/// </summary>
internal static class OrgChangeVerbs
{
    public static Command Create(IServiceProvider services) => new("org", "Change the organisation: move a community, retire a unit, remove a pairing.")
    {
        Move(services),
        new Command("retire", "Retire (撤并) a community, grid or department: its cases stay and count, no new report or dispatch goes there.")
        {
            RetireCommunity(services), RetireGrid(services), RetireDepartment(services),
        },
        Unpair(services),
        Changes(services),
    };

    private static Command Move(IServiceProvider services)
    {
        var community = Code("community", "The community's code.");
        var street = new Option<string>("--street") { Description = "The street it moves to: its code or name.", HelpName = "street", Required = true };
        var command = new Command("move", "Move a community to another street: new reports go to that street's office.") { community, street };
        command.SetAction(async (parsed, ct) =>
        {
            var org = services.GetRequiredService<CommunityStore>();
            if (await FindCommunityAsync(org, parsed.GetRequiredValue(community), ct) is not { } found)
            {
                return 1;
            }
            var wanted = parsed.GetRequiredValue(street);
            var to = (await org.ListStreetsAsync(ct)).FirstOrDefault(s =>
                string.Equals(s.Code, wanted, StringComparison.OrdinalIgnoreCase) || s.Name == wanted);
            if (to is null)
            {
                Console.Error.WriteLine($"No street '{wanted}' (give a street code such as beiyuanmen or its name).");
                return 1;
            }
            var moved = await services.GetRequiredService<OrgChangeStore>().MoveCommunityAsync(found.Id, to.Id,
                $"community {found.Code} {found.Name}: {found.StreetName} → {to.Name}", ct);
            Console.WriteLine(moved ? $"Moved {found.Name} from {found.StreetName} to {to.Name}." : $"{found.Name} is already in {to.Name}.");
            return 0;
        });
        return command;
    }

    private static Command RetireCommunity(IServiceProvider services)
    {
        var code = Code("code", "The community's code.");
        var successor = new Option<string>("--successor")
        {
            Description = "The community its residents report to instead (its landing page names it); without one: the street office.",
            HelpName = "code",
        };
        var command = new Command("community", "Retire a community: its QR code lands on a notice naming where to report instead.") { code, successor };
        command.SetAction(async (parsed, ct) =>
        {
            var org = services.GetRequiredService<CommunityStore>();
            if (await FindCommunityAsync(org, parsed.GetRequiredValue(code), ct) is not { } community)
            {
                return 1;
            }
            CommunityRow? next = null;
            if (parsed.GetValue(successor) is { } successorCode)
            {
                if ((next = await FindCommunityAsync(org, successorCode, ct)) is null)
                {
                    return 1;
                }
                if (next.IsRetired || next.Id == community.Id)
                {
                    Console.Error.WriteLine($"--successor must be another community that takes reports ({next.Code} does not).");
                    return 1;
                }
            }
            var instead = next is null ? community.StreetName : next.Name;
            var retired = await services.GetRequiredService<OrgChangeStore>().RetireCommunityAsync(community.Id, next?.Id,
                $"community {community.Code} {community.Name}; report instead to {instead}", ct);
            Console.WriteLine(retired
                ? $"Retired {community.Name}: its cases stay; new reports are refused and sent to {instead}."
                : $"{community.Name} was already retired.");
            return 0;
        });
        return command;
    }

    private static Command RetireGrid(IServiceProvider services) => RetireUnit(services, "grid",
        "Retire a grid: reports can no longer name it; its cases stay with their community.",
        (org, code, ct) => org.FindGridAsync(code, ct), (changes, id, detail, ct) => changes.RetireGridAsync(id, detail, ct));

    private static Command RetireDepartment(IServiceProvider services) => RetireUnit(services, "department",
        "Retire a department: no case can be dispatched or whistled to it; the cases it holds stay with it.",
        (org, code, ct) => org.FindUnitAsync(HandlingLevel.Department, code, ct), (changes, id, detail, ct) => changes.RetireDepartmentAsync(id, detail, ct));

    private static Command RetireUnit(IServiceProvider services, string what, string description,
        Func<CommunityStore, string, CancellationToken, Task<OrgUnit?>> find, Func<OrgChangeStore, long, string, CancellationToken, Task<bool>> retire)
    {
        var code = Code("code", $"The {what}'s code.");
        var command = new Command(what, description) { code };
        command.SetAction(async (parsed, ct) =>
        {
            var wanted = parsed.GetRequiredValue(code);
            if (await find(services.GetRequiredService<CommunityStore>(), wanted, ct) is not { } unit)
            {
                Console.Error.WriteLine($"No {what} '{wanted}'.");
                return 1;
            }
            var retired = await retire(services.GetRequiredService<OrgChangeStore>(), unit.Id, $"{what} {wanted.ToLowerInvariant()} {unit.Name}", ct);
            Console.WriteLine(retired ? $"Retired {what} {unit.Name}." : $"The {what} {unit.Name} was already retired.");
            return 0;
        });
        return command;
    }

    private static Command Unpair(IServiceProvider services)
    {
        var department = Code("department", "The department's code.");
        var community = Code("community", "The community's code.");
        var command = new Command("unpair", "Remove a pairing (结对共建): the community can no longer whistle to the department.") { department, community };
        command.SetAction(async (parsed, ct) =>
        {
            var org = services.GetRequiredService<CommunityStore>();
            var departmentCode = parsed.GetRequiredValue(department);
            if (await org.FindUnitAsync(HandlingLevel.Department, departmentCode, ct) is not { } found)
            {
                Console.Error.WriteLine($"No department '{departmentCode}'.");
                return 1;
            }
            if (await FindCommunityAsync(org, parsed.GetRequiredValue(community), ct) is not { } paired)
            {
                return 1;
            }
            var removed = await services.GetRequiredService<OrgChangeStore>().RemovePairingAsync(found.Id, paired.Id,
                $"department {departmentCode.ToLowerInvariant()} {found.Name} from community {paired.Code} {paired.Name}", ct);
            Console.WriteLine(removed ? $"{found.Name} is no longer paired with {paired.Name}." : $"{found.Name} was not paired with {paired.Name}.");
            return 0;
        });
        return command;
    }

    private static Command Changes(IServiceProvider services)
    {
        var command = new Command("changes", "Every change made with these verbs: when (Beijing time), by whom, what.");
        command.SetAction(async (_, ct) =>
        {
            foreach (var change in await services.GetRequiredService<OrgChangeStore>().ListAsync(ct))
            {
                Console.WriteLine($"{ChinaTime.Readable(change.ChangedAt)}  {change.ChangedBy,-10} {change.Change,-7} {change.Detail}");
            }
            return 0;
        });
        return command;
    }

    private static Argument<string> Code(string name, string description) => new(name) { Description = description };

    private static async Task<CommunityRow?> FindCommunityAsync(CommunityStore org, string code, CancellationToken ct)
    {
        var community = await org.FindCommunityAsync(code, ct);
        if (community is null)
        {
            Console.Error.WriteLine($"No community '{code}'.");
        }
        return community;
    }
}
