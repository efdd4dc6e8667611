using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace LianApi.Privacy;

/// <summary>Encrypts contact phone numbers at rest and masks them for display (GB/T 35273 §7.2).</summary>
public sealed class PhoneProtector(IOptions<PrivacyOptions> options)
{
    private const string Version = "v1:";

    public string Protect(string phone)
    {
        var key = Convert.FromBase64String(options.Value.PhoneKey);
        var plain = Encoding.UTF8.GetBytes(phone);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var cipher = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using var aes = new AesGcm(key, tag.Length);
        aes.Encrypt(nonce, plain, cipher, tag);
        return Version + Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    public string Unprotect(string protectedPhone)
    {
        if (!protectedPhone.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown phone protection format.");
        }
        var key = Convert.FromBase64String(options.Value.PhoneKey);
        var bytes = Convert.FromBase64String(protectedPhone[Version.Length..]);
        var nonceSize = AesGcm.NonceByteSizes.MaxSize;
        var tagSize = AesGcm.TagByteSizes.MaxSize;
        var plain = new byte[bytes.Length - nonceSize - tagSize];
        using var aes = new AesGcm(key, tagSize);
        aes.Decrypt(bytes.AsSpan(0, nonceSize), bytes.AsSpan(nonceSize + tagSize), bytes.AsSpan(nonceSize, tagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }

    // A key of its own for the blind index (HKDF of the phone key with a distinct label): the index's key is never the
    // encryption key, and knowing one HMAC output tells nothing about AES-GCM's key.
    private static readonly byte[] BlindIndexLabel = "LianApi phone blind index v1"u8.ToArray();

    /// <summary>
    /// The keyed blind index of a phone number: HMAC-SHA256 of its normalized digits (<see cref="Normalize"/>), so any
    /// written form of one number gives one value and a different number another; without the key it reveals nothing
    /// (a dictionary of every Chinese mobile number is cheap to hash, not to HMAC). Null when no digits remain.
    /// </summary>
    public string? BlindIndex(string? phone)
    {
        if (Normalize(phone) is not { } digits)
        {
            return null;
        }
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(options.Value.PhoneKey), 32, info: BlindIndexLabel);
        return Convert.ToHexString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(digits)));
    }

    /// <summary>
    /// Digits only, the country code (+86, 0086) dropped and a landline's trunk 0 put back: "+86 138-1234-5678" →
    /// 13812345678, "+86 29 8888 1234" → 02988881234 (as "029-88881234" is written at home).
    /// </summary>
    public static string? Normalize(string? phone)
    {
        var digits = new string((phone ?? "").Where(char.IsAsciiDigit).ToArray());
        var national = digits.StartsWith("0086", StringComparison.Ordinal) ? digits[4..]
            : digits.StartsWith("86", StringComparison.Ordinal) && digits.Length >= 12 ? digits[2..]
            : null;
        if (national is not null)
        {
            digits = national.StartsWith('1') || national.StartsWith('0') ? national : "0" + national;
        }
        return digits.Length == 0 ? null : digits;
    }

    /// <summary>13812345678 → 138****5678; 029-88881234 → 029-****1234.</summary>
    public static string Mask(string phone)
    {
        var keepStart = phone.StartsWith('0') && phone.Contains('-') ? phone.IndexOf('-') + 1 : 3;
        var keepEnd = 4;
        var hidden = phone.Length - keepStart - keepEnd;
        return hidden <= 0 ? new string('*', phone.Length) : phone[..keepStart] + new string('*', hidden) + phone[^keepEnd..];
    }
}
