using LianApi.Shared;
using System.ComponentModel;
using LianApi.Communities;
using LianApi.Infrastructure;
using LianApi.Resources;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.Staff;

public sealed record GridWorkerResponse(
    [property: Description("The staff id to send as assigneeId with assign")] long Id,
    string Name,
    GridResponse Grid);

public sealed record StaffCommunity(
    string Code,
    string Name,
    StreetResponse Street,
    [property: Description("The community's grids (网格)")] IReadOnlyList<GridResponse> Grids,
    [property: Description("The departments paired with the community (结对共建): the ones its cases can be whistled to (吹哨)")] IReadOnlyList<PairedDepartment> PairedDepartments,
    [property: Description("The community's active grid workers (网格员): the staff its cases can be assigned to; empty for a volunteer, who assigns none")] IReadOnlyList<GridWorkerResponse> GridWorkers);

public sealed record PairedDepartment(string Code, string Name);

/// <summary>What staff need to route a community's cases: its grids, grid workers and paired departments.</summary>
public static class StaffCommunitiesApi
{
    public static RouteGroupBuilder MapStaffCommunities(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/staff/communities")
            .WithTag("Staff communities", "A community as staff route its cases: grids, grid workers and the departments paired with it (staff token)")
            .RequireActiveStaff();

        group.MapGet("/{code}", GetStaffCommunity)
            .WithName(nameof(GetStaffCommunity))
            .WithSummary("A community's grids, grid workers and paired departments (结对共建), for assign and whistle")
            .WithDescription("Community staff and volunteers see their own community, street staff the communities of their street, a department " +
                             "the communities paired with it, the dispatch center every community; any other community is a 404.")
            .ProducesStandardProblems(404);

        return group;
    }

    public static async Task<Results<Ok<StaffCommunity>, ProblemHttpResult>> GetStaffCommunity(
        [Description("The community code")] string code, StaffMember staff, CommunityStore org, StaffStore staffStore, CancellationToken ct)
    {
        if (await org.FindCommunityAsync(code, ct) is not { } community)
        {
            return Problems.NotFound(Text.Format(Messages.CommunityNotInScope, code));
        }
        var paired = await org.ListPairedDepartmentsAsync(community.Id, ct);
        var inScope = staff.Role switch
        {
            StaffRoles.Dispatcher or StaffRoles.Admin => true,
            StaffRoles.Street => community.StreetId == staff.UnitId,
            StaffRoles.Department => paired.Any(d => d.Id == staff.UnitId),
            StaffRoles.Community or StaffRoles.Volunteer => community.Id == staff.UnitId,
            _ => throw Vocabulary.Unknown("staff roles", staff.Role),
        };
        if (!inScope)
        {
            return Problems.NotFound(Text.Format(Messages.CommunityNotInScope, code));
        }
        var grids = await org.ListGridsAsync(community.Id, ct);
        var gridsById = grids.ToDictionary(g => g.Id);
        // A volunteer acts on no case, so it assigns none: it sees the grids, not the named people working them.
        var workers = staff.Role == StaffRoles.Volunteer ? [] : (await staffStore.ListGridWorkersAsync(community.Id, ct))
            .Where(w => gridsById.ContainsKey(w.GridId!.Value))
            .Select(w => new GridWorkerResponse(w.Id, w.Name, new GridResponse(gridsById[w.GridId!.Value].Code, gridsById[w.GridId!.Value].Name)))
            .ToList();
        return TypedResults.Ok(new StaffCommunity(community.Code, community.Name, new StreetResponse(community.StreetCode, community.StreetName),
            grids.Select(g => new GridResponse(g.Code, g.Name)).ToList(), paired.Where(d => d.RetiredAt is null).Select(d => new PairedDepartment(d.Code, d.Name)).ToList(), workers));
    }
}
