using System.Text.Json;
using LianApi.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;

namespace LianApi.Infrastructure;

/// <summary>An exception that knows the problem response it means (a failed call to another system, say).</summary>
public interface IProblemException
{
    int StatusCode { get; }
    string Title { get; }
    /// <summary>What the client shows or acts on; never secrets or another system's raw message.</summary>
    string ClientMessage { get; }
    int? RetryAfterSeconds { get; }
    /// <summary>Logs the failure as loudly as it deserves; called for 5xx only.</summary>
    void Log(ILogger logger);
}

/// <summary>
/// Turns the few exceptions that carry a meaning for the client into problem responses; anything else is
/// left to the framework's 500 (logged, with no detail leaked).
/// </summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, detail, retryAfter) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (413, "Request too large", "The request body is larger than this endpoint accepts.", (int?)null),
            BadHttpRequestException { InnerException: JsonException json } bad =>
                (bad.StatusCode, "The request body is not valid JSON for this endpoint", json.Message, null),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message, null),
            IProblemException problem => (problem.StatusCode, problem.Title, problem.ClientMessage, problem.RetryAfterSeconds),
            DatabaseBusyException => (503, "Busy", "The service is busy; try again in a moment.", 1),
            SqliteException { SqliteErrorCode: 5 or 6 } => (503, "Busy", "The service is busy; try again in a moment.", 1),
            _ => (0, "", "", null),
        };
        if (status == 0)
        {
            return false;
        }
        if (exception is IProblemException { StatusCode: >= 500 } failed)
        {
            failed.Log(logger);
        }
        context.Response.StatusCode = status;
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
