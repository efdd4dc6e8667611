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
    /// <summary>The problem's code, one of <see cref="ProblemCodes"/>.</summary>
    string Code { get; }
    /// <summary>Logs the failure as loudly as it deserves; called for 5xx only.</summary>
    void Log(ILogger logger);
}

/// <summary>
/// Turns the few exceptions that carry a meaning for the client into problem responses; anything else is
/// left to the framework's 500 (logged, with no detail leaked).
/// </summary>
internal sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public const string StorageUnavailableCode = "storage_unavailable";
    public const int StorageRetryAfterSeconds = 30;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, detail, retryAfter, code) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (413, "Request too large", "The request body is larger than this endpoint accepts.", (int?)null, (string?)ProblemCodes.PayloadTooLarge),
            BadHttpRequestException { InnerException: JsonException json } bad =>
                (bad.StatusCode, "The request body is not valid JSON for this endpoint", json.Message, null, ProblemCodes.InvalidJson),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message, null, null),
            IProblemException problem => (problem.StatusCode, problem.Title, problem.ClientMessage, problem.RetryAfterSeconds, problem.Code),
            DatabaseBusyException => (503, "Busy", "The service is busy; try again in a moment.", 1, ProblemCodes.ServiceBusy),
            SqliteException { SqliteErrorCode: 5 or 6 } => (503, "Busy", "The service is busy; try again in a moment.", 1, ProblemCodes.ServiceBusy),
            // Disk full or failing: it takes an operator, so clients wait longer than for "busy"; a retry with the same
            // Idempotency-Key is safe whether or not the write got through.
            _ when StorageHealth.IsStorageFailure(exception) =>
                (503, "Storage unavailable", "Our storage is not working right now. Please try again in a few minutes.", StorageRetryAfterSeconds, StorageUnavailableCode),
            _ => (0, "", "", null, null),
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
        var response = new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        if (code is not null)
        {
            response.ProblemDetails.Extensions["code"] = code;
        }
        return await problems.TryWriteAsync(response);
    }
}
