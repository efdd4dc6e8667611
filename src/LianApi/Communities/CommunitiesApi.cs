using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LianApi.Infrastructure;
using LianApi.Resources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace LianApi.Communities;

public static class CommunitiesApi
{
    public static RouteGroupBuilder MapCommunities(this IEndpointRouteBuilder routes)
    {
        // What a resident sees before logging in: the scan lands here, so these are deliberately anonymous.
        // In-memory reads of the directory's snapshot: nothing that could hang, so no timeout to arm for each scan.
        var group = routes.MapGroup("/api")
            .WithTag("Communities", "What a resident sees before logging in: the landing page a QR code opens, communities and report categories (no token needed)")
            .AllowAnonymous();
        group.DisableRequestTimeout();

        group.MapGet("/categories", ListCategories)
            .WithName(nameof(ListCategories))
            .WithSummary("The report categories, their deadlines and emergency hotlines");

        group.MapGet("/communities", ListCommunities)
            .WithName(nameof(ListCommunities))
            .WithSummary("Communities, optionally of one street");

        group.MapGet("/communities/{code}", GetCommunity)
            .WithName(nameof(GetCommunity))
            .WithSummary("The landing page after a QR scan: community, street, categories, emergency hotlines and grids; a retired community says where to report instead")
            .ProducesStandardProblems(StatusCodes.Status404NotFound);

        return group;
    }

    public static async Task<Ok<IReadOnlyList<CategoryResponse>>> ListCategories(CommunityStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<CategoryResponse>>((await store.ListCategoriesAsync(ct)).Select(c => c.AsResponse()).ToList());

    public static async Task<Ok<IReadOnlyList<CommunitySummary>>> ListCommunities(
        [Description("Only the communities of this street, e.g. beiyuanmen")] string? streetCode,
        CommunityStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<CommunitySummary>>((await store.ListCommunitiesAsync(streetCode, ct)).Select(c => c.AsSummary()).ToList());

    // A landing is built once per directory snapshot and serialized once with it: a scan costs no JSON work.
    private static readonly ConditionalWeakTable<CommunityLanding, string> LandingJson = new();

    public static async Task<Results<StoredJsonOk<CommunityLanding>, ProblemHttpResult>> GetCommunity(
        [Description("The community code printed in its QR code")] string code,
        OrgDirectory directory, CommunityStore store, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var (landing, isShared) = await LandingAsync(code, directory, store, ct);
        return landing is null ? Problems.NotFound(Text.Format(Messages.UnknownCommunity, code))
            : isShared ? new StoredJsonOk<CommunityLanding>(LandingJson.GetValue(landing, l => JsonSerializer.Serialize(l, json.Value.SerializerOptions)))
            : new StoredJsonOk<CommunityLanding>(JsonSerializer.Serialize(landing, json.Value.SerializerOptions));
    }

    /// <summary>
    /// A community's landing, or null for an unknown code; <c>IsShared</c> when it is the directory snapshot's own instance
    /// (kept and serialized once), not one made for this call (a retired community's, which names where to report instead).
    /// </summary>
    public static async Task<(CommunityLanding? Landing, bool IsShared)> LandingAsync(string code, OrgDirectory directory, CommunityStore store, CancellationToken ct)
    {
        var names = await directory.GetAsync(ct);
        if (!names.CommunitiesByCode.TryGetValue(code, out var community))
        {
            return (null, false);
        }
        if (community.IsRetired)
        {
            // The posters stay on the walls for a while: a scan still lands, and is told where to go.
            var instead = await store.ReportInsteadAsync(community, ct);
            var notice = new RetiredNotice(Text.Format(Messages.CommunityRetired, community.Name, instead.Name), instead);
            return (community.AsLanding(names.Categories, [], notice), false);
        }
        return (names.LandingOf(community), true);
    }
}
