using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using LianApi.Shared;
using Microsoft.AspNetCore.Http.Timeouts;

namespace LianApi.Infrastructure;

public static class WebExtensions
{
    /// <summary>Small bodies, strict JSON, short timeouts: a complaint is a few KB, and a phone gives up after 60 s anyway.</summary>
    public static WebApplicationBuilder AddLianHttp(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 256 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
        });
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            // Unknown members are refused, so a client cannot post "status" or "userId" and think it took effect.
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // A member sent twice is refused: readers disagree on which one counts (last wins here, first elsewhere).
            json.SerializerOptions.AllowDuplicateProperties = false;
            // Chinese text stays readable in responses instead of \uXXXX escapes.
            json.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
            // One time policy: Beijing offset and milliseconds out; no offset in means Beijing time.
            json.SerializerOptions.Converters.Add(new ChinaTimeJsonConverter());
        });
        // Malformed requests become problem responses in every environment, not only in Development.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy { Timeout = TimeSpan.FromSeconds(15) });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            // Field errors are keyed by the JSON names the client sent (location.latitude), whoever produced them, and
            // read in the client's language (validation attributes hold message keys).
            if (context.ProblemDetails is HttpValidationProblemDetails validation)
            {
                JsonFieldNames.Apply(validation.Errors);
                foreach (var (field, messages) in validation.Errors)
                {
                    validation.Errors[field] = [.. messages.Select(Text.Field)];
                }
                context.ProblemDetails.Detail ??= Resources.Messages.DetailValidation;
            }
            // One title per status; a detail always, in the client's language (the framework's own 401/403/404 say nothing).
            context.ProblemDetails.Title = Text.Title(status);
            if (string.IsNullOrEmpty(context.ProblemDetails.Detail))
            {
                // Kestrel refuses an oversized body itself, so its 413 arrives here without a detail.
                context.ProblemDetails.Detail = status switch
                {
                    StatusCodes.Status403Forbidden when context.HttpContext.Request.Path.StartsWithSegments("/api/staff") => Resources.Messages.Detail403Staff,
                    StatusCodes.Status413PayloadTooLarge => BodyLimits.TooLargeDetail(context.HttpContext),
                    _ => Text.DefaultDetail(status),
                };
            }
            // Every problem carries a code from the closed list; the status's general one unless the producer set one.
            context.ProblemDetails.Extensions.TryAdd("code", ProblemCodes.ForStatus(status, context.ProblemDetails is HttpValidationProblemDetails));
            // The type names the code (a page of this server says what it means), not the RFC section of the status.
            context.ProblemDetails.Type = ProblemCodes.TypeOf(context.HttpContext.Request, (string)context.ProblemDetails.Extensions["code"]!);
        });
        builder.Services.AddValidation();
        builder.Services.AddLianLocalization();
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
