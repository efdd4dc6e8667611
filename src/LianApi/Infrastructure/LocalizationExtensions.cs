using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace LianApi.Infrastructure;

/// <summary>
/// Which language a client reads: Simplified Chinese unless Accept-Language asks for English. Only the UI culture
/// changes; number and date formatting in our answers stays invariant whatever the client asks for.
/// </summary>
public static class LocalizationExtensions
{
    public static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    public static IServiceCollection AddLianLocalization(this IServiceCollection services) =>
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Chinese, Chinese);
            o.SupportedCultures = [Chinese];
            o.SupportedUICultures = [Chinese, English];
            // en-US, en-GB… read English; zh-TW, ja… fall back to the default, Chinese.
            o.FallBackToParentUICultures = true;
            // The header only: a query string or cookie must not change what a cached or shared answer says.
            o.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        });

    /// <summary>Before the exception handler and status-code pages, so the problems they write are in the client's language too.</summary>
    public static IApplicationBuilder UseLianLocalization(this IApplicationBuilder app) => app.UseRequestLocalization();
}
