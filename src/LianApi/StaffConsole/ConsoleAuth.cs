namespace LianApi.StaffConsole;

/// <summary>The console's scheme, its policy and the paths they redirect between.</summary>
public static class ConsoleAuth
{
    public const string Scheme = "console-session";
    public const string Policy = "console-staff";

    public const string Root = "/console";
    public const string LoginPath = "/console/login";
    /// <summary>What the pages' script asks for (JSON and fragments): a 401 there, not a redirect to the login page.</summary>
    public const string DataPath = "/console/data";

    /// <summary>Where to go after the login: only a path of the console itself, so the login page cannot be made to send anyone elsewhere.</summary>
    public static string LocalReturnUrl(string? url) =>
        url is { Length: > 0 } && url.StartsWith(Root, StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.Contains('\\') && !url.StartsWith(LoginPath, StringComparison.Ordinal)
            ? url
            : Root;
}
