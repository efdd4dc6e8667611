using System.Security.Cryptography;
using System.Text;

namespace LianApi.StaffConsole;

/// <summary>Random values handed to a browser or a phone, and the hashes the database keeps of them instead.</summary>
internal static class ConsoleSecrets
{
    /// <summary>128 random bits as 22 URL-safe characters: fits a mini-program code's 32-character scene.</summary>
    public static string NewTicket() => Base64Url(RandomNumberGenerator.GetBytes(16));

    /// <summary>256 random bits: a session cookie or a browser binding.</summary>
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    // A leaked table must not give anyone a working cookie or ticket.
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>A ticket as we hand them out: 22 URL-safe characters (anything else is not worth a database read).</summary>
    public static bool LooksLikeTicket(string? value) =>
        value is { Length: 22 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
