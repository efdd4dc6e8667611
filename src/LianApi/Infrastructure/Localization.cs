using System.Globalization;
using LianApi.Resources;
using LianApi.Shared;
using Microsoft.AspNetCore.Localization;

namespace LianApi.Infrastructure;

/// <summary>
/// Which language a client reads: Simplified Chinese unless Accept-Language asks for English. Only the UI culture
/// changes; number and date formatting in our answers stays invariant whatever the client asks for.
/// </summary>
public static class Localization
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

/// <summary>Messages from Resources/Messages*.resx in the request's language, with their placeholders filled.</summary>
public static class Text
{
    public static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentUICulture, format, args);

    /// <summary>One title per status, whoever wrote the problem.</summary>
    public static string Title(int status) => Messages.ResourceManager.GetString($"Title{status}") ?? Messages.Title500;

    /// <summary>What a problem says when its producer said nothing (a 401 from the token check, a 404 from routing).</summary>
    public static string DefaultDetail(int status) => Messages.ResourceManager.GetString($"Detail{status}")
        ?? (status >= 500 ? Messages.Detail500 : Messages.Detail400);

    /// <summary>A field message named by its resource key (validation attributes hold keys) in the request's language; any other text unchanged.</summary>
    public static string Field(string keyOrMessage) => Messages.ResourceManager.GetString(keyOrMessage) ?? keyOrMessage;

    /// <summary>A time inside a message, as people in Beijing read it: 12月3日 11:57 (or Dec 3, 11:57 Beijing time).</summary>
    public static string Time(DateTime utc) => ChinaTime.ToChina(utc).ToString(Messages.TimeInMessages, CultureInfo.CurrentUICulture);

    /// <summary>A handling level as a word of the message's language (街道, street).</summary>
    public static string Level(string level) => level switch
    {
        HandlingLevel.Community => Messages.LevelCommunity,
        HandlingLevel.Street => Messages.LevelStreet,
        HandlingLevel.Department => Messages.LevelDepartment,
        _ => Messages.LevelDistrict,
    };
}
