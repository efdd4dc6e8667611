using LianApi.Resources;
using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LianApi.Infrastructure;

public sealed record ProblemCodeResponse(
    [property: Description("The code, as in a problem's `code`")] string Code,
    [property: Description("The HTTP status the code comes with")] int Status,
    [property: Description("What it means for the program that receives it")] string Meaning);

/// <summary>The page a problem's <c>type</c> points to: what its code means.</summary>
public static class ProblemCodesApi
{
    public static RouteGroupBuilder MapProblemCodes(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/problems")
            .WithTag("Problems", "What the `code` of an error means; every problem's `type` is the URL of its code here (no token needed)")
            .AllowAnonymous();
        group.MapGet("/{code}", GetProblemCode)
            .WithName(nameof(GetProblemCode))
            .WithSummary("What a problem code means")
            .ProducesStandardProblems(StatusCodes.Status404NotFound);
        return group;
    }

    public static Results<Ok<ProblemCodeResponse>, ProblemHttpResult> GetProblemCode(
        [Description("A problem code, e.g. validation_failed")] string code) =>
        ProblemCodes.Meanings.TryGetValue(code, out var meaning)
            ? TypedResults.Ok(new ProblemCodeResponse(code, meaning.Status, meaning.Meaning))
            : Problems.NotFound(Text.Format(Messages.UnknownProblemCode, code));
}
