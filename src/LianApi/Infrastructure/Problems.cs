using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.Infrastructure;

/// <summary>
/// Every expected failure is an RFC 9457 problem with a detail a resident or a front-end developer can act on, in the
/// request's language (callers pass Messages.X); the title comes from the status when the problem is written.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult BadRequest(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] }, StatusCodes.Status400BadRequest);

    public static ProblemHttpResult Unprocessable(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] }, StatusCodes.Status422UnprocessableEntity);

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, int status) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = status });

    public static ProblemHttpResult Forbidden(string detail, string code) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden).WithCode(code);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult TooManyRequests(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests);

    /// <summary>Documents the problem responses an endpoint can return, so the front-end team sees them in the spec.</summary>
    public static RouteHandlerBuilder ProducesStandardProblems(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (var status in statusCodes)
        {
            if (status == StatusCodes.Status400BadRequest || status == StatusCodes.Status422UnprocessableEntity)
            {
                builder.ProducesValidationProblem(status);
            }
            else
            {
                builder.ProducesProblem(status);
            }
        }
        return builder;
    }
}
