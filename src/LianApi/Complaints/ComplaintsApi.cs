using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using LianApi.Auth;
using LianApi.Calendar;
using LianApi.ContentSafety;
using LianApi.Idempotency;
using LianApi.Infrastructure;
using LianApi.Photos;
using LianApi.Resources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace LianApi.Complaints;

public sealed record MyComplaintsQuery(
    [property: Description("Only reports in this status as the resident sees it (the status the answers carry: an accepted case passed on to the street office is accepted)")]
    [property: AllowedValues(null, ComplaintStatus.Submitted, ComplaintStatus.Accepted, ComplaintStatus.InProgress, ComplaintStatus.Resolved,
        ComplaintStatus.Closed, ComplaintStatus.Rejected, ErrorMessage = ValidationMessages.Status)] string? Status,
    [property: Description("Page size, 1–50 (default 20)"), Range(1, ComplaintLists.MaxPageSize, ErrorMessage = ValidationMessages.PageSize)] int? Limit,
    [property: Description("The nextCursor of the previous page"), RegularExpression("^[0-9]{1,19}$", ErrorMessage = ValidationMessages.Cursor)] string? Cursor);

public sealed record EvaluationRequest(
    [property: Description("Was the problem actually solved?"), Required(ErrorMessage = ValidationMessages.Resolved)] bool? Resolved,
    [property: Description("satisfied | basically_satisfied | unsatisfied"), Required(ErrorMessage = ValidationMessages.Satisfaction)]
    [property: AllowedValues(Complaints.Satisfaction.Satisfied, Complaints.Satisfaction.BasicallySatisfied, Complaints.Satisfaction.Unsatisfied,
        ErrorMessage = ValidationMessages.Satisfaction), PlainText] string? Satisfaction,
    [property: Description("Optional, up to 500 characters"), CharacterLength(500, ErrorMessage = ValidationMessages.Comment), PlainText] string? Comment);

public static class ComplaintsApi
{
    public static RouteGroupBuilder MapComplaints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/complaints")
            .WithTag("Complaints", "A resident's own reports: submit one, follow it, rate it once it is resolved, urge it while it waits")
            .RequireAuthorization().ContainsPersonalData();

        group.MapPost("/", SubmitComplaint)
            .WithName(nameof(SubmitComplaint))
            .WithSummary("Report a problem in a community")
            .WithDescription("Send a fresh Idempotency-Key (e.g. a UUID) with every new report and the same key when retrying it: " +
                             "a retry replays the first answer (header Idempotent-Replayed: true) and never files a second report.")
            .ProducesStandardProblems(400, 409, 413, 415, 422, 429, 503)
            .ProducesHeader(StatusCodes.Status201Created, HeaderNames.Location, "The report's URL: GET it to follow the report", required: true)
            .ProducesHeader(StatusCodes.Status201Created, IdempotencyKeys.ReplayedHeaderName,
                "Present when this is the stored answer to an earlier request with the same Idempotency-Key", onlyValue: "true")
            .ProducesHeader(StatusCodes.Status409Conflict, HeaderNames.RetryAfter, "Sent when a request with this Idempotency-Key is still being processed");

        group.MapGet("/mine", ListMyComplaints)
            .WithName(nameof(ListMyComplaints))
            .WithSummary("My reports, newest first")
            .ProducesStandardProblems(400);

        group.MapGet("/{trackingNo}", GetMyComplaint)
            .WithName(nameof(GetMyComplaint))
            .WithSummary("One of my reports with its timeline")
            .ProducesStandardProblems(404);

        group.MapPost("/{trackingNo}/evaluation", EvaluateComplaint)
            .WithName(nameof(EvaluateComplaint))
            .WithSummary("Rate a resolved report, once; \"not resolved\" or \"unsatisfied\" sends it back to be handled again (发回重办)")
            .ProducesStandardProblems(400, 404, 409, 415, 422, 429, 503)
            .ProducesHeader(StatusCodes.Status429TooManyRequests, HeaderNames.RetryAfter, "Sent when the resident has sent too much text to check in a minute");

        group.MapPost("/{trackingNo}/urge", UrgeComplaint)
            .WithName(nameof(UrgeComplaint))
            .WithSummary("Urge (催办) a report that is still being handled; once a day")
            .ProducesStandardProblems(404, 409, 429, 503);

        return group;
    }

    public const string SubmitEndpoint = "POST /api/complaints";

    public static async Task<Results<StoredJsonCreated<ComplaintDetail>, ProblemHttpResult>> SubmitComplaint(
        SubmitComplaintRequest request,
        [FromHeader(Name = IdempotencyKeys.HeaderName), Required, Description("A new UUID per report; the same one when retrying it")] string? idempotencyKey,
        ClaimsPrincipal user, HttpContext http, [AsParameters] ResidentIntakeServices services, CancellationToken ct)
    {
        return await services.Idempotency.RunAsync(http, idempotencyKey, user.UserId(), SubmitEndpoint, request, async (claim, token) =>
        {
            if (PhotoIdChecks.Problem(request.PhotoIds) is { } photoProblem)
            {
                return photoProblem;
            }
            var (place, _, refusal) = await services.Intake.PlaceAsync(request.CommunityCode, request.CategoryCode, request.GridCode, token);
            if (place is null)
            {
                return Problems.Unprocessable(refusal!.Field, refusal.Message).WithCode(refusal.Code);
            }
            var (description, address) = (request.Description.Trim(), NullIfBlank(request.Address));
            // Checked before anything is stored; a refusal claims no key, so the resident can rephrase and send again.
            var verdict = await services.Checker.CheckAsync(claim.UserId, ContentScenes.Forum, ComplaintContent.ReportText(description, address), token);
            if (ComplaintContent.Refusal(http, verdict, Messages.ContentRejectedReport, address is null ? ["description"] : ["description", "address"]) is { } refused)
            {
                services.Logger.LogInformation("A report was refused by the content check ({Suggest}): label {Label}, trace_id {TraceId}", verdict.Suggest, verdict.Label, verdict.TraceId);
                return refused;
            }
            var report = new IntakeReport
            {
                Channel = Channels.MiniProgram, Place = place, Description = description, Address = address,
                Latitude = request.Location?.Latitude, Longitude = request.Location?.Longitude, Phone = request.ContactPhone,
                Anonymous = request.Anonymous, PublicConsent = request.PublicConsent, PhotoIds = request.PhotoIds,
                ContentCheck = IntakeContentCheck.Of(verdict),
            };
            try
            {
                var allowed = new SubmissionLimits(services.Limits.Value.SubmissionsPer10Minutes, services.Limits.Value.SubmissionsPerDay);
                return await CreatedAsync(await services.Intake.FileAsync(claim.UserId, claim, report, allowed, token), services.Links, token);
            }
            catch (PhotoNotAttachableException photo)
            {
                return PhotoIdChecks.NotAttachable(photo.PhotoId);
            }
            catch (SubmissionLimitExceededException full)
            {
                http.Response.SetRetryAfter(full.RetryAfter);
                return Problems.TooManyRequests(Messages.TooManyReports);
            }
        }, async (claim, token) => await services.Complaints.FindByClientRequestAsync(claim.UserId, claim.Key, token) is { } filed
            ? await CreatedAsync(filed, services.Links, token) : null, ct);
    }

    private static async Task<StoredJsonCreated<ComplaintDetail>> CreatedAsync(ResidentView view, ResidentViewLinks links, CancellationToken ct) =>
        new($"/api/complaints/{view.TrackingNo}", await links.SignAsync(view.Json, ct));

    public static async Task<Results<Ok<ComplaintPage>, ProblemHttpResult>> ListMyComplaints(
        [AsParameters] MyComplaintsQuery query, ClaimsPrincipal user, ComplaintStore complaints, CancellationToken ct)
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
        var limit = query.Limit ?? ComplaintLists.DefaultPageSize;
        var (items, lastId) = await complaints.ListForUserAsync(user.UserId(), query.Status, beforeId, limit, ct);
        return TypedResults.Ok(new ComplaintPage(items, lastId?.ToString(CultureInfo.InvariantCulture)));
    }

    public static async Task<Results<StoredJsonOk<ComplaintDetail>, ProblemHttpResult>> GetMyComplaint(
        [Description("e.g. LH20261128-0042")] string trackingNo, ClaimsPrincipal user, ComplaintStore complaints, ResidentViewLinks links, CancellationToken ct) =>
        await complaints.FindForUserAsync(trackingNo, user.UserId(), ct) is { } view
            ? new StoredJsonOk<ComplaintDetail>(await links.SignAsync(view.Json, ct))
            : NotYours(trackingNo);

    public static async Task<Results<StoredJsonOk<ComplaintDetail>, ProblemHttpResult>> EvaluateComplaint(
        string trackingNo, EvaluationRequest request, ClaimsPrincipal user, HttpContext http, ComplaintStore complaints,
        CalendarStore calendars, ResidentViewLinks links, ITextChecker checker, ILogger<EvaluationRequest> logger, TimeProvider time, CancellationToken ct)
    {
        var userId = user.UserId();
        if (await complaints.LoadAsync(trackingNo, ct) is not { } loaded || loaded.Complaint.UserId != userId)
        {
            return NotYours(trackingNo);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var comment = NullIfBlank(request.Comment);
        var decision = ComplaintMachine.Evaluate(loaded.Complaint, request.Resolved!.Value, request.Satisfaction!, comment, now, await calendars.GetAsync(ct));
        if (decision.Refusal is { } refusal)
        {
            return refusal.AsProblem();
        }
        var transition = decision.Transition!;
        if (comment is not null)
        {
            var verdict = await checker.CheckAsync(userId, ContentScenes.Comment, comment, ct);
            if (ComplaintContent.Refusal(http, verdict, Messages.ContentRejectedComment, "comment") is { } refused)
            {
                logger.LogInformation("A rating of {TrackingNo} was refused by the content check ({Suggest}): label {Label}, trace_id {TraceId}",
                    loaded.Complaint.TrackingNo, verdict.Suggest, verdict.Label, verdict.TraceId);
                return refused;
            }
            transition = transition.Flagged(verdict);
        }
        var saved = await complaints.ApplyAsync(loaded, transition, Actor.Resident(userId), now, ct,
            new Evaluation(request.Resolved.Value, request.Satisfaction!, comment));
        return saved is null
            ? Problems.Conflict(Messages.RatingConflict).WithCode(ProblemCodes.VersionConflict)
            : await ResidentAnswerAsync(saved, links, ct);
    }

    public static async Task<Results<StoredJsonOk<ComplaintDetail>, ProblemHttpResult>> UrgeComplaint(
        string trackingNo, ClaimsPrincipal user, HttpContext http, ComplaintStore complaints, ResidentViewLinks links, TimeProvider time, CancellationToken ct)
    {
        var userId = user.UserId();
        if (await complaints.LoadAsync(trackingNo, ct) is not { } loaded || loaded.Complaint.UserId != userId)
        {
            return NotYours(trackingNo);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var decision = ComplaintMachine.Urge(loaded.Complaint, now);
        if (decision.Refusal is { } refusal)
        {
            if (refusal.StatusCode == StatusCodes.Status429TooManyRequests && loaded.Complaint.LastUrgedAt is { } last)
            {
                http.Response.SetRetryAfter(last.AddDays(1) - now);
            }
            return refusal.AsProblem();
        }
        var saved = await complaints.ApplyAsync(loaded, decision.Transition!, Actor.Resident(userId), now, ct);
        return saved is null ? Problems.Conflict(Messages.ReportChangedNow).WithCode(ProblemCodes.VersionConflict) : await ResidentAnswerAsync(saved, links, ct);
    }

    private static async Task<StoredJsonOk<ComplaintDetail>> ResidentAnswerAsync(ComplaintWithEvents saved, ResidentViewLinks links, CancellationToken ct) =>
        new(await links.SignAsync(JsonSerializer.Serialize(saved.Complaint.AsDetail(saved.Events), ComplaintStore.ViewJson), ct));

    private static ProblemHttpResult NotYours(string trackingNo) =>
        Problems.NotFound(Text.Format(Messages.ReportNotYours, trackingNo));

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
