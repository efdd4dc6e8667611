using LianApi.ContentSafety;
using LianApi.Infrastructure;
using LianApi.Resources;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.Complaints;

/// <summary>
/// What WeChat's text check means for a report or a rating: risky is refused (422, nothing stored), review and
/// unchecked are accepted and flag the case, and every verdict is an internal step on the timeline.
/// </summary>
public static class ComplaintContent
{
    /// <summary>
    /// The report's free text as one check: description and address together (at most 1000 + 200 characters, well within
    /// msg_sec_check's 2500), so a resident waits for one call, not two, and the quota counts one per report.
    /// </summary>
    public static string ReportText(string description, string? address) =>
        address is null ? description : description + "\n" + address;

    public static ComplaintEvent TimelineStep(TextVerdict verdict) =>
        new(EventKinds.ContentChecked, verdict.Note, IsPublic: false, UnitName: Actor.SystemName);

    public static NewComplaint Flagged(this NewComplaint complaint, TextVerdict verdict) => complaint with
    {
        ContentCheck = TimelineStep(verdict),
        ContentReview = verdict.Suggest == TextSuggest.Review,
        ContentUnchecked = verdict.Suggest == TextSuggest.Unchecked,
    };

    /// <summary>The transition with the check's timeline step and flags added; flags once set stay set.</summary>
    public static Transition Flagged(this Transition transition, TextVerdict verdict) => transition with
    {
        Next = transition.Next with
        {
            ContentReview = transition.Next.ContentReview || verdict.Suggest == TextSuggest.Review,
            ContentUnchecked = transition.Next.ContentUnchecked || verdict.Suggest == TextSuggest.Unchecked,
        },
        Events = [.. transition.Events, TimelineStep(verdict)],
    };

    /// <summary>The verdicts that refuse the request: risky text (422) or a resident over their checks for the minute (429).</summary>
    public static ProblemHttpResult? Refusal(HttpContext http, TextVerdict verdict, string rejected, params string[] fields)
    {
        switch (verdict.Suggest)
        {
            case TextSuggest.Risky:
                return Rejected(rejected, fields);
            case TextSuggest.Throttled:
                http.Response.SetRetryAfter(TimeSpan.FromMinutes(1));
                return Problems.TooManyRequests(Messages.ContentChecksTooMany);
            default:
                return null;
        }
    }

    /// <summary>422 content_rejected naming the checked fields; the message (Messages.ContentRejected*) asks the resident to rephrase.</summary>
    public static ProblemHttpResult Rejected(string message, params string[] fields)
    {
        var problem = Problems.Validation(fields.ToDictionary(f => f, _ => new[] { message }), StatusCodes.Status422UnprocessableEntity);
        problem.ProblemDetails.Detail = message;
        return problem.WithCode(ProblemCodes.ContentRejected);
    }
}
