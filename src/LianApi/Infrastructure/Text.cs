using System.Globalization;
using LianApi.Resources;
using LianApi.Shared;

namespace LianApi.Infrastructure;

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
