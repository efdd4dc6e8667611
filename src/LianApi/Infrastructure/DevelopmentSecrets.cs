using System.Security.Cryptography;

namespace LianApi.Infrastructure;

/// <summary>
/// Development keys (JWT signing, phone encryption) are generated once and kept in the data folder, so tokens
/// and stored phone numbers survive restarts without anyone handling secrets. Production must configure them.
/// </summary>
internal static class DevelopmentSecrets
{
    public const string DataDirectoryKey = "DataDirectory";

    public static string LoadOrCreate(IConfiguration configuration, string fileName)
    {
        var path = Path.Combine(configuration[DataDirectoryKey] ?? "data", fileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
        return File.ReadAllText(path).Trim();
    }

    /// <summary>Why a configured HMAC key (base64, at least 32 bytes) cannot be used, naming its setting; null when it can.</summary>
    public static string? SigningKeyProblem(string base64, string setting)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return $"{setting} must be base64 (e.g. the output of `openssl rand -base64 32`).";
        }
        return key.Length < 32
            ? $"{setting} is missing or shorter than 32 bytes: set it to base64 of at least 32 random bytes (`openssl rand -base64 32`) from the secret store."
            : null;
    }
}
