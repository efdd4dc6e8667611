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
}
