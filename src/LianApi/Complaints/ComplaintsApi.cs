using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using LianApi.Auth;
using LianApi.Communities;
using LianApi.Data;
using LianApi.Idempotency;
using LianApi.Infrastructure;
using LianApi.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LianApi.Complaints;

public sealed record MyComplaintsQuery(
    [property: Description("Only reports in this status")] string? Status,
    [property: Description("Page size, 1–50 (default 20)")] int? Limit,
    [property: Description("The nextCursor of the previous page")] string? Cursor);

public static class ComplaintsApi
{
    public static RouteGroupBuilder MapComplaints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/complaints").WithTags("Complaints").RequireAuthorization();

        group.MapPost("/", SubmitComplaint)
            .WithName(nameof(SubmitComplaint))
            .WithSummary("Report a problem in a community")
            .WithDescription("Send a fresh Idempotency-Key (e.g. a UUID) with every new report and the same key when retrying it: " +
                             "a retry replays the first answer (header Idempotent-Replayed: true) and never files a second report.")
            .ProducesStandardProblems(400, 409, 413, 422, 429, 503);

        group.MapGet("/mine", ListMyComplaints)
            .WithName(nameof(ListMyComplaints))
            .WithSummary("My reports, newest first")
            .ProducesStandardProblems(400);

        group.MapGet("/{trackingNo}", GetMyComplaint)
            .WithName(nameof(GetMyComplaint))
            .WithSummary("One of my reports with its timeline")
            .ProducesStandardProblems(404);

        return group;
    }

    public static async Task<Results<Created<ComplaintDetail>, ProblemHttpResult>> SubmitComplaint(
        SubmitComplaintRequest request,
        [FromHeader(Name = IdempotencyKeys.HeaderName), Required, Description("A new UUID per report; the same one when retrying it")] string? idempotencyKey,
        ClaimsPrincipal user, HttpContext http, CommunityStore org, ComplaintStore complaints, IdempotencyStore idempotency,
        SubmissionRateLimiter limiter, PhoneProtector phones, TimeProvider time, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!IdempotencyKeys.IsValid(idempotencyKey))
        {
            return Problems.BadRequest(IdempotencyKeys.HeaderName,
                "Send an Idempotency-Key header: a new UUID (8–64 letters, digits, '-' or '_') for each new report, the same one when retrying.");
        }
        if (request.Errors() is { Count: > 0 } errors)
        {
            return Problems.Validation(errors, StatusCodes.Status400BadRequest);
        }

        var serializer = json.Value.SerializerOptions;
        var claim = new IdempotencyClaim(user.UserId(), ComplaintStore.SubmitEndpoint, idempotencyKey!, IdempotencyKeys.Fingerprint(request, serializer));
        if (await idempotency.FindAsync(claim, ct) is { } earlier)
        {
            return Replay(earlier, claim, http, serializer);
        }
        if (limiter.TryAcquire(claim.UserId) is { } wait)
        {
            http.Response.SetRetryAfter(wait);
            return Problems.TooManyRequests("You have sent many reports in a short time. Wait a while, or call 12345 if it is urgent.");
        }

        var community = await org.FindCommunityAsync(request.CommunityCode, ct);
        if (community is null)
        {
            return Problems.Unprocessable("communityCode", $"There is no community with the code '{request.CommunityCode}'.");
        }
        var category = await org.FindCategoryAsync(request.CategoryCode, ct);
        if (category is null)
        {
            return Problems.Unprocessable("categoryCode", $"There is no category with the code '{request.CategoryCode}'; see GET /api/categories.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var phone = request.ContactPhone?.Trim();
        var complaint = new NewComplaint(claim.UserId, claim.Key, community.Id, category.Id, request.Description.Trim(),
            NullIfBlank(request.Address), request.Location?.Latitude, request.Location?.Longitude,
            phone is null ? null : phones.Protect(phone), phone is null ? null : PhoneProtector.Mask(phone), request.Anonymous,
            now, now.AddHours(category.ResponseHours), community.Name);
        try
        {
            var outcome = await complaints.SubmitAsync(complaint, claim, detail => JsonSerializer.Serialize(detail, serializer), ct);
            return outcome switch
            {
                SubmitOutcome.Created created => TypedResults.Created($"/api/complaints/{created.Complaint.TrackingNo}", created.Complaint),
                SubmitOutcome.AlreadyDone done => Replay(done.Record, claim, http, serializer),
                SubmitOutcome.AlreadyFiled filed => ReplayFiled(filed.Complaint, http),
                _ => throw new InvalidOperationException("Unknown submission outcome."),
            };
        }
        catch (Exception e) when (DuplicateKey.Is(e))
        {
            // Another request with the same key is committing right now; its answer will be there in a moment.
            http.Response.SetRetryAfter(TimeSpan.FromSeconds(1));
            return Problems.Conflict("A request with this Idempotency-Key is still being processed. Retry with the same key shortly.");
        }
    }

    private static Results<Created<ComplaintDetail>, ProblemHttpResult> Replay(
        IdempotencyRecord earlier, IdempotencyClaim claim, HttpContext http, JsonSerializerOptions serializer)
    {
        if (earlier.RequestHash != claim.RequestHash)
        {
            return Problems.Unprocessable(IdempotencyKeys.HeaderName,
                "This Idempotency-Key was already used for a different report. Use a new key for a new report.");
        }
        http.Response.Headers[IdempotencyKeys.ReplayedHeaderName] = "true";
        var detail = JsonSerializer.Deserialize<ComplaintDetail>(earlier.ResponseBody, serializer)!;
        return TypedResults.Created(earlier.Location, detail);
    }

    private static Results<Created<ComplaintDetail>, ProblemHttpResult> ReplayFiled(ComplaintDetail complaint, HttpContext http)
    {
        http.Response.Headers[IdempotencyKeys.ReplayedHeaderName] = "true";
        return TypedResults.Created($"/api/complaints/{complaint.TrackingNo}", complaint);
    }

    public static async Task<Results<Ok<ComplaintPage>, ProblemHttpResult>> ListMyComplaints(
        [AsParameters] MyComplaintsQuery query, ClaimsPrincipal user, ComplaintStore complaints, CancellationToken ct)
    {
        var limit = query.Limit ?? 20;
        if (limit is < 1 or > 50)
        {
            return Problems.BadRequest("limit", "Use a page size between 1 and 50.");
        }
        if (query.Status is { } status && !ComplaintStatus.IsKnown(status))
        {
            return Problems.BadRequest("status", $"Use one of: {string.Join(", ", ComplaintStatus.Labels.Keys)}.");
        }
        long? beforeId = null;
        if (query.Cursor is { } cursor)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return Problems.BadRequest("cursor", "Pass back the nextCursor of the previous page unchanged.");
            }
            beforeId = id;
        }
        var (items, lastId) = await complaints.ListForUserAsync(user.UserId(), query.Status, beforeId, limit, ct);
        return TypedResults.Ok(new ComplaintPage(items, lastId?.ToString(CultureInfo.InvariantCulture)));
    }

    public static async Task<Results<Ok<ComplaintDetail>, ProblemHttpResult>> GetMyComplaint(
        [Description("e.g. LH20261128-0042")] string trackingNo, ClaimsPrincipal user, ComplaintStore complaints, CancellationToken ct) =>
        await complaints.FindForUserAsync(trackingNo, user.UserId(), ct) is { } detail
            ? TypedResults.Ok(detail)
            : Problems.NotFound($"You have no report with the tracking number '{trackingNo}'.");

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
