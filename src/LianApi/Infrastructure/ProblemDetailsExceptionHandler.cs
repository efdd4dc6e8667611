using System.Text.Json;
using System.Text.RegularExpressions;
using LianApi.Data;
using LianApi.Resources;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;

namespace LianApi.Infrastructure;

/// <summary>An exception that knows the problem response it means (a failed call to another system, say).</summary>
public interface IProblemException
{
    int StatusCode { get; }
    /// <summary>What the client shows or acts on, in the request's language; never secrets or another system's raw message.</summary>
    string ClientMessage { get; }
    int? RetryAfterSeconds { get; }
    /// <summary>The problem's code, one of <see cref="ProblemCodes"/>.</summary>
    string Code { get; }
    /// <summary>Logs the failure as loudly as it deserves; called for 5xx only.</summary>
    void Log(ILogger logger);
}

/// <summary>
/// Turns the few exceptions that carry a meaning for the client into problem responses in the client's language;
/// anything else is left to the framework's 500 (logged, with no detail leaked). No framework text reaches a client:
/// a request the framework could not read is described by our own messages, keyed by the field it names.
/// </summary>
internal sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public const string StorageUnavailableCode = "storage_unavailable";
    public const int StorageRetryAfterSeconds = 30;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var fieldErrors = exception is BadHttpRequestException { InnerException: JsonException } ? await JsonBodyErrors.CollectAsync(context, ct) : null;
        var (status, detail, retryAfter, code, errors) = exception switch
        {
            BadHttpRequestException when fieldErrors is not null =>
                (400, Messages.DetailValidation, (int?)null, (string?)ProblemCodes.ValidationFailed, fieldErrors),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (413, BodyLimits.TooLargeDetail(context), null, ProblemCodes.PayloadTooLarge, null),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
                (415, Messages.Detail415, null, ProblemCodes.UnsupportedMediaType, null),
            BadHttpRequestException { InnerException: JsonException json } bad => UnreadableJson(bad.StatusCode, json),
            BadHttpRequestException bad => UnreadableRequest(bad),
            IProblemException problem => (problem.StatusCode, problem.ClientMessage, problem.RetryAfterSeconds, problem.Code, null),
            DatabaseBusyException => (503, Messages.ServiceBusy, 1, ProblemCodes.ServiceBusy, null),
            SqliteException { SqliteErrorCode: 5 or 6 } => (503, Messages.ServiceBusy, 1, ProblemCodes.ServiceBusy, null),
            // Disk full or failing: it takes an operator, so clients wait longer than for "busy"; a retry with the same
            // Idempotency-Key is safe whether or not the write got through.
            _ when StorageHealth.IsStorageFailure(exception) =>
                (503, Messages.StorageUnavailable, StorageRetryAfterSeconds, StorageUnavailableCode, null),
            _ => (0, "", null, null, null),
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
            ProblemDetails = errors is null ? new ProblemDetails() : new HttpValidationProblemDetails(errors),
        };
        response.ProblemDetails.Status = status;
        response.ProblemDetails.Detail = detail;
        if (code is not null)
        {
            response.ProblemDetails.Extensions["code"] = code;
        }
        return await problems.TryWriteAsync(response);
    }

    /// <summary>A body that is not JSON, or a value of the wrong type at a path the reader names ($.location.latitude).</summary>
    private static (int, string, int?, string?, Dictionary<string, string[]>?) UnreadableJson(int status, JsonException json)
    {
        var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        if (field is null)
        {
            return (status, Messages.InvalidJson, null, ProblemCodes.InvalidJson, null);
        }
        // The reader says which property it could not map only in its message; the path is the property's parent then.
        var unmapped = UnmappedProperty().Match(json.Message);
        if (unmapped.Success)
        {
            return (status, Messages.InvalidJsonField, null, ProblemCodes.InvalidJson,
                new() { [JsonFieldNames.Of(unmapped.Groups[1].Value)] = [Messages.FieldUnknown] });
        }
        var message = json.Message.StartsWith("Duplicate", StringComparison.Ordinal) ? Messages.FieldDuplicate : Messages.FieldWrongType;
        return (status, Messages.InvalidJsonField, null, ProblemCodes.InvalidJson, new() { [field] = [message] });
    }

    /// <summary>A route, query or header value that does not convert, or a missing body: said with the parameter's name.</summary>
    private static (int, string, int?, string?, Dictionary<string, string[]>?) UnreadableRequest(BadHttpRequestException bad)
    {
        if (bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) && !bad.Message.StartsWith("Failed to bind", StringComparison.Ordinal))
        {
            return (bad.StatusCode, Messages.BodyRequired, null, ProblemCodes.InvalidRequest, null);
        }
        if (ParameterName().Match(bad.Message) is { Success: true } parameter)
        {
            var message = bad.Message.StartsWith("Required", StringComparison.Ordinal) ? Messages.FieldRequired : Messages.FieldWrongType;
            return (bad.StatusCode, Messages.InvalidParameter, null, ProblemCodes.ValidationFailed,
                new() { [JsonFieldNames.Of(parameter.Groups[1].Value)] = [message] });
        }
        return (bad.StatusCode, Text.DefaultDetail(bad.StatusCode), null, null, null);
    }

    // "Failed to bind parameter "int? Limit" from "abc"." / "Required parameter "string code" was not provided from query string."
    [GeneratedRegex(@"parameter ""[^""]* ([A-Za-z_][A-Za-z0-9_]*)""")]
    private static partial Regex ParameterName();

    // "The JSON property 'status' could not be mapped to any .NET member contained in type '…'."
    [GeneratedRegex(@"^The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnmappedProperty();
}
