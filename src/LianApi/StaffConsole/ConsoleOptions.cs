using System.ComponentModel.DataAnnotations;

namespace LianApi.StaffConsole;

/// <summary>The staff console (section <c>Console</c>).</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>The mini-program page the login code opens, with the ticket as its scene; it shows what asks and approves it.</summary>
    [Required, RegularExpression("^[a-z0-9_/-]{1,128}$", ErrorMessage = "Console__LoginPage must be a mini-program page path such as pages/staff/console-login.")]
    public string LoginPage { get; set; } = "pages/staff/console-login";

    /// <summary>The map page's background tiles; without a template the map draws its points on a blank background.</summary>
    public MapTilesOptions MapTiles { get; set; } = new();
}
