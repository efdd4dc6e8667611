using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LianApi.Shared;

/// <summary>Beijing time. China Standard Time has no daylight saving, so a fixed offset is exact and needs no tz database.</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>How every time leaves the API: ISO 8601, Beijing offset, milliseconds (2026-12-02T11:57:20.339+08:00).</summary>
    public const string IsoFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";

    /// <summary>The wall-clock time in Beijing of a UTC instant.</summary>
    public static DateTime ToChina(DateTime utc) => utc + Offset;

    /// <summary>The Beijing month of a UTC instant as yyyymm: what Complaints.ReceivedMonth holds for SubmittedAt.</summary>
    public static int MonthKey(DateTime utc)
    {
        var china = utc + Offset;
        return china.Year * 100 + china.Month;
    }

    /// <summary>Every Beijing month from the one holding <paramref name="first"/> to the one holding <paramref name="last"/>, as yyyymm.</summary>
    public static IEnumerable<int> MonthKeys(DateTime first, DateTime last)
    {
        var china = first + Offset;
        var month = new DateTime(china.Year, china.Month, 1);
        for (var end = MonthKey(last); month.Year * 100 + month.Month <= end; month = month.AddMonths(1))
        {
            yield return month.Year * 100 + month.Month;
        }
    }

    /// <summary>A stored UTC time as the same instant with the Beijing offset.</summary>
    public static DateTimeOffset AsChinaTime(this DateTime utc) =>
        new(DateTime.SpecifyKind(utc, DateTimeKind.Unspecified) + Offset, Offset);

    /// <summary>Any instant as the API writes it.</summary>
    public static string Iso(DateTimeOffset value) => value.ToOffset(Offset).ToString(IsoFormat, CultureInfo.InvariantCulture);

    /// <summary>A UTC instant as people read it in messages and the ops tools: 2026-12-02 11:57 Beijing time (UTC+8).</summary>
    public static string Readable(DateTime utc) => ToChina(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " Beijing time (UTC+8)";

    /// <summary>
    /// The first and last Beijing days a client may name. Far enough from DateTime's ends that no offset, period or
    /// deadline arithmetic on an input overflows (0001-01-01 in Beijing is before year 1 in UTC), wide enough for any real
    /// filter or deadline. Outside them an input is refused like a malformed one (400).
    /// </summary>
    public static readonly DateOnly FirstInputDay = new(1900, 1, 1);

    public static readonly DateOnly LastInputDay = new(2999, 12, 31);

    public static bool IsInputDay(DateOnly day) => day >= FirstInputDay && day <= LastInputDay;

    /// <summary>An ISO 8601 time from a client: with an offset (or Z) as given, without one as Beijing time; its Beijing day within the input days.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        var trimmed = text?.Trim() ?? "";
        // The year first: a far one must not reach the offset arithmetic below, where year 1 in Beijing throws.
        if (trimmed.Length < 4 || !int.TryParse(trimmed.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || year < FirstInputDay.Year || year > LastInputDay.Year
            || !DateTime.TryParseExact(trimmed, IsoInputFormats, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return false;
        }
        value = parsed.Kind == DateTimeKind.Unspecified
            ? new DateTimeOffset(parsed, Offset)
            : DateTimeOffset.ParseExact(trimmed, IsoInputFormats, CultureInfo.InvariantCulture, DateTimeStyles.None);
        return IsInputDay(DateOnly.FromDateTime(value.ToOffset(Offset).DateTime));
    }

    // ISO 8601 only (never a culture's "12/02/2026"): date, minutes, seconds, fractions; K is Z, an offset or nothing.
    private static readonly string[] IsoInputFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd",
    ];
}

/// <summary>
/// Every DateTimeOffset of the API's JSON: written with the Beijing offset and milliseconds, read as ISO 8601 where a
/// value without an offset is Beijing time (a resident's phone or a staff PC in China means its wall clock).
/// </summary>
public sealed class ChinaTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && ChinaTime.TryParse(reader.GetString(), out var value))
        {
            return value;
        }
        throw new JsonException("Expected an ISO 8601 date and time, e.g. 2026-12-02T18:00:00+08:00 (without an offset it is Beijing time).");
    }

    // Raw, so the offset reads +08:00 in the body: the app's encoder would write the plus as \u002B. Digits, '-', ':',
    // '.', 'T' and '+' need no escaping in JSON.
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteRawValue("\"" + ChinaTime.Iso(value) + "\"");
}

/// <summary>A date-time query parameter: ISO 8601, and Beijing time when it has no offset (minimal APIs would assume the server's zone).</summary>
public readonly record struct ChinaTimeParameter(DateTimeOffset Value) : IParsable<ChinaTimeParameter>
{
    public DateTime UtcDateTime => Value.UtcDateTime;

    public static ChinaTimeParameter Parse(string s, IFormatProvider? provider) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException($"'{s}' is not an ISO 8601 date and time.");

    public static bool TryParse(string? s, IFormatProvider? provider, out ChinaTimeParameter result)
    {
        var ok = ChinaTime.TryParse(s, out var value);
        result = new ChinaTimeParameter(value);
        return ok;
    }

    public override string ToString() => ChinaTime.Iso(Value);
}
