using System.Text.Json;
using LianApi.Data;
using LianApi.Wechat;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;

namespace LianApi.Infrastructure;

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
            WechatException wechat => (wechat.StatusCode, wechat.Title, wechat.ClientMessage, wechat.RetryAfterSeconds),
            DatabaseBusyException => (503, "Busy", "The service is busy; try again in a moment.", 1),
            SqliteException { SqliteErrorCode: 5 or 6 } => (503, "Busy", "The service is busy; try again in a moment.", 1),
            _ => (0, "", "", null),
        };
        if (status == 0)
        {
            return false;
        }
        if (exception is WechatException { StatusCode: >= 500 } wx)
        {
            // Configuration errors must be loud: every login fails until someone fixes the settings.
            logger.Log(wx.StatusCode == 500 ? LogLevel.Critical : LogLevel.Warning,
                "WeChat call {Api} failed with errcode {ErrCode}: {Reason}", wx.Api, wx.ErrorCode, wx.Reason);
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
