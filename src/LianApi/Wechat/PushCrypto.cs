using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LianApi.Wechat;

/// <summary>The formats of the message-push settings (消息推送) of the WeChat console.</summary>
public static class PushSettings
{
    public static bool IsToken(string token) => token.Length is >= 3 and <= 32 && token.All(char.IsAsciiLetterOrDigit);

    public static bool IsEncodingAesKey(string key) => key.Length == 43 && key.All(char.IsAsciiLetterOrDigit)
        && Convert.TryFromBase64String(key + "=", new byte[32], out var written) && written == 32;
}

/// <summary>A push that fails verification or decryption: answered 401, never parsed.</summary>
public sealed class PushRejectedException(string reason) : Exception(reason);

/// <summary>
/// WeChat's message-push signatures and safe mode (the platform's message encryption): SHA-1 over the sorted strings,
/// AES-256-CBC with the key from EncodingAESKey, IV = the key's first 16 bytes, PKCS#7 padding to 32-byte blocks.
/// The cipher is .NET's; only the framing is ours.
/// </summary>
public static class PushCrypto
{
    /// <summary>sha1 of the strings sorted ordinally and concatenated, lower-case hex: signature and msg_signature alike.</summary>
    public static string Signature(params string[] parts)
    {
        var sorted = parts.Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted))));
    }

    /// <summary>Compares a signature in constant time; a missing one never matches.</summary>
    public static bool Matches(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given.ToLowerInvariant()), Encoding.ASCII.GetBytes(expected));

    private const int PadBlock = 32;

    /// <summary>
    /// The message of a safe-mode push: random(16) | length (4, big-endian) | message (UTF-8) | appid, after removing
    /// the 32-byte-block PKCS#7 padding. The trailing appid must be ours.
    /// </summary>
    public static string Decrypt(string encodingAesKey, string encrypted, string appId)
    {
        var key = Convert.FromBase64String(encodingAesKey + "=");
        byte[] cipher;
        try
        {
            cipher = Convert.FromBase64String(encrypted);
        }
        catch (FormatException)
        {
            throw new PushRejectedException("Encrypt is not base64");
        }
        if (cipher.Length == 0 || cipher.Length % 16 != 0)
        {
            throw new PushRejectedException("Encrypt is not whole AES blocks");
        }
        using var aes = Aes.Create();
        aes.Key = key;
        // The padding is to 32-byte blocks, which AES's own PKCS#7 (16) would refuse: it is removed below.
        var plain = aes.DecryptCbc(cipher, key.AsSpan(0, 16), PaddingMode.None);
        var pad = plain[^1];
        if (pad is < 1 or > PadBlock || pad > plain.Length || plain.AsSpan(plain.Length - pad).ContainsAnyExcept(pad))
        {
            throw new PushRejectedException("bad padding");
        }
        var content = plain.AsSpan(0, plain.Length - pad);
        if (content.Length < 20)
        {
            throw new PushRejectedException("too short");
        }
        var length = BinaryPrimitives.ReadInt32BigEndian(content.Slice(16, 4));
        if (length < 0 || length > content.Length - 20)
        {
            throw new PushRejectedException("bad message length");
        }
        var message = content.Slice(20, length);
        var sender = Encoding.UTF8.GetString(content[(20 + length)..]);
        if (!string.Equals(sender, appId, StringComparison.Ordinal))
        {
            throw new PushRejectedException("the message is for another appid");
        }
        return Encoding.UTF8.GetString(message);
    }
}
