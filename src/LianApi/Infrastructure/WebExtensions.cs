using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using LianApi.Calendar;
using LianApi.Communities;
using LianApi.Staff;
using LianApi.Complaints;
using LianApi.Idempotency;
using LianApi.Posters;
using LianApi.Privacy;
using LianApi.QrCodes;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;

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
            // Chinese text stays readable in responses instead of \uXXXX escapes.
            json.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        });
        // Malformed requests become problem responses in every environment, not only in Development.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy { Timeout = TimeSpan.FromSeconds(15) });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static IServiceCollection AddLianFeatures(this IServiceCollection services)
    {
        services.AddSingleton<OrgDirectory>();
        services.AddSingleton<CommunityStore>();
        services.AddSingleton<ComplaintStore>();
        services.AddSingleton<CaseStore>();
        services.AddSingleton<StaffInboxStore>();
        services.AddSingleton<StaffStore>();
        services.AddSingleton<CalendarStore>();
        services.AddSingleton<DeadlineSweep>();
        services.AddHostedService<DeadlineSweepService>();
        services.AddSingleton<IdempotencyStore>();
        services.AddHostedService<IdempotencyKeyPruner>();
        services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateOnStart();
        services.AddSingleton<PrivacyOptionsSetup>();
        services.AddSingleton<IPostConfigureOptions<PrivacyOptions>>(sp => sp.GetRequiredService<PrivacyOptionsSetup>());
        services.AddSingleton<IValidateOptions<PrivacyOptions>>(sp => sp.GetRequiredService<PrivacyOptionsSetup>());
        services.AddSingleton<PhoneProtector>();

        services.AddOptions<QrCodeOptions>().BindConfiguration(QrCodeOptions.Section).ValidateOnStart();
        services.AddSingleton<QrCodeOptionsSetup>();
        services.AddSingleton<IPostConfigureOptions<QrCodeOptions>>(sp => sp.GetRequiredService<QrCodeOptionsSetup>());
        services.AddSingleton<IValidateOptions<QrCodeOptions>>(sp => sp.GetRequiredService<QrCodeOptionsSetup>());
        services.AddOptions<PosterOptions>().BindConfiguration(PosterOptions.Section);
        services.AddSingleton<WxaCodeStore>();
        services.AddSingleton<QrCodeService>();
        services.AddSingleton<PosterRenderer>();
        services.AddSingleton<PosterService>();
        return services;
    }
}
