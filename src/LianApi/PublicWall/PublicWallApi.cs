using System.Globalization;
using LianApi.Communities;
using LianApi.Infrastructure;
using LianApi.Photos;
using LianApi.Resources;
using LianApi.Stats;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.PublicWall;

/// <summary>办结公示: the resolved cases residents agreed to publish, for everyone, with no personal data.</summary>
public static class PublicWallApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 50;

    public static RouteGroupBuilder MapPublicWall(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/public")
            .WithTag("Public wall", "办结公示: resolved cases residents agreed to publish, with what was done — no token, no personal data")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.PublicRead);

        group.MapGet("/cases", ListPublicCases)
            .WithName(nameof(ListPublicCases))
            .WithSummary("Resolved and closed cases residents agreed to publish, newest report first, with this year's figures for the same filters")
            .WithDescription("A case appears once resolved if its resident agreed (publicConsent) and no staff withdrew it (unpublish). " +
                             "Never the resident's identity, phone, address or coordinates, internal notes, or text waiting for content review. " +
                             "counts are the statistics' own figures for the same community, street and category, published or not.")
            .ProducesStandardProblems(400, 422, 429)
            .ProducesHeader(StatusCodes.Status429TooManyRequests, Microsoft.Net.Http.Headers.HeaderNames.RetryAfter, "How long to wait", required: true);

        return group;
    }

    public static async Task<Results<Ok<PublicCasePage>, ProblemHttpResult>> ListPublicCases(
        [AsParameters] PublicCasesQuery query, HttpContext http, OrgDirectory directory, PublicCaseStore store, StatsReader stats,
        PhotoLinks links, CancellationToken ct)
    {
        long? beforeId = null;
        if (query.Cursor is { } cursor)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return Problems.BadRequest("cursor", ValidationMessages.Cursor);
            }
            beforeId = id;
        }
        var (community, street, category) = (Blank(query.Community), Blank(query.Street), Blank(query.Category));
        var names = await directory.GetAsync(ct);
        CommunityRow? communityRow = null;
        if (community is not null && !names.CommunitiesByCode.TryGetValue(community, out communityRow))
        {
            return Problems.Unprocessable("community", Text.Format(Messages.UnknownCommunity, community)).WithCode(ProblemCodes.UnknownCommunity);
        }
        var streetCommunities = street is null ? null
            : names.Communities.Where(c => string.Equals(c.StreetCode, street, StringComparison.OrdinalIgnoreCase)).ToList();
        if (streetCommunities is { Count: 0 } || (communityRow is not null && streetCommunities is not null && !streetCommunities.Contains(communityRow)))
        {
            return Problems.Unprocessable("street", Text.Format(Messages.PublicUnknownStreet, street)).WithCode(ProblemCodes.UnknownUnit);
        }
        CategoryRow? categoryRow = null;
        if (category is not null && !names.CategoriesByCode.TryGetValue(category, out categoryRow))
        {
            return Problems.Unprocessable("category", Text.Format(Messages.UnknownCategory, category)).WithCode(ProblemCodes.UnknownCategory);
        }
        if (await stats.PublicFiguresAsync(street, community, category, ct) is not { } figures)
        {
            return Problems.Unprocessable("street", Text.Format(Messages.PublicUnknownStreet, street)).WithCode(ProblemCodes.UnknownUnit);
        }
        var limit = query.Limit ?? DefaultPageSize;
        var filter = new PublicCaseFilter
        {
            CommunityIds = communityRow is not null ? [communityRow.Id] : streetCommunities?.Select(c => c.Id).ToList(),
            CategoryIds = categoryRow is null ? null : [categoryRow.Id],
            BeforeId = beforeId,
        };
        var rows = await store.ListAsync(filter, limit + 1, ct);
        var page = rows.Take(limit).ToList();
        http.Response.Headers.CacheControl = "public, max-age=60";
        var f = figures.Figures;
        return TypedResults.Ok(new PublicCasePage(page.Select(p => p.AsPublicCase(links.ForPublic)).ToList(),
            rows.Count > limit ? page[^1].Row.Id.ToString(CultureInfo.InvariantCulture) : null,
            new PublicCounts(figures.From, figures.To, f.Received, f.Handled, f.CompletionRate, f.SatisfactionRate)));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
