using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.Infrastructure;

/// <summary>Every expected failure is an RFC 9457 problem with a detail a resident or a front-end developer can act on.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult BadRequest(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] }, StatusCodes.Status400BadRequest);

    public static ProblemHttpResult Unprocessable(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] }, StatusCodes.Status422UnprocessableEntity);

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, int status) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = status,
            Title = status == StatusCodes.Status422UnprocessableEntity
                ? "The request refers to something we cannot accept"
                : "One or more fields are invalid",
        });

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult TooManyRequests(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");

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
