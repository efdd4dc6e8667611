using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using System.Xml;
using LianApi.Shared;

namespace LianApi.Open311;

/// <summary>
/// One Open311 answer, written once and rendered in both of the spec's formats: XML (mandatory; UTF-8 declaration,
/// no namespace, the field names as element names, <c>long</c> included) and JSON (the spec's mapping of the same
/// tree: a list is an array, so the root of a list is a bare array). A field's value is a string, a bool, a number,
/// a time, null (an empty element / JSON null), a nested <see cref="Open311Object"/> or an <see cref="Open311List"/>.
/// </summary>
public sealed record Open311Object(IReadOnlyList<KeyValuePair<string, object?>> Fields)
{
    public static Open311Object Of(params (string Name, object? Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).ToList());
}

/// <summary>A list: <c>&lt;services&gt;&lt;service&gt;…&lt;/service&gt;&lt;/services&gt;</c> in XML, an array in JSON.</summary>
public sealed record Open311List(string Name, string ItemName, IReadOnlyList<object?> Items);

public static class Open311Formats
{
    public const string Xml = "xml";
    public const string Json = "json";
    public const string XmlContentType = "text/xml; charset=utf-8";
    public const string JsonContentType = "application/json; charset=utf-8";

    // Chinese stays readable in JSON (as in the rest of the API); the writer still escapes what JSON requires.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All), Indented = false };

    /// <summary>The XML of a root object (named <paramref name="rootName"/>) or of a list.</summary>
    public static byte[] ToXml(object root, string? rootName = null)
    {
        using var buffer = new MemoryStream();
        // XmlWriter, not XmlSerializer: no xmlns:i, no xsi:nil, exactly the spec's element names.
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            switch (root)
            {
                case Open311List list:
                    WriteList(xml, list);
                    break;
                case Open311Object obj:
                    xml.WriteStartElement(rootName ?? throw new ArgumentNullException(nameof(rootName)));
                    WriteFields(xml, obj);
                    xml.WriteEndElement();
                    break;
            }
            xml.WriteEndDocument();
        }
        return buffer.ToArray();
    }

    private static void WriteList(XmlWriter xml, Open311List list)
    {
        xml.WriteStartElement(list.Name);
        foreach (var item in list.Items)
        {
            xml.WriteStartElement(list.ItemName);
            if (item is Open311Object obj)
            {
                WriteFields(xml, obj);
            }
            else
            {
                xml.WriteString(Text(item));
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    private static void WriteFields(XmlWriter xml, Open311Object obj)
    {
        foreach (var (name, value) in obj.Fields)
        {
            if (value is Open311List list)
            {
                WriteList(xml, list);
                continue;
            }
            xml.WriteStartElement(name);
            if (value is Open311Object nested)
            {
                WriteFields(xml, nested);
            }
            else
            {
                xml.WriteString(Text(value));
            }
            xml.WriteEndElement();
        }
    }

    /// <summary>The JSON of the same tree: a list is an array (its names belong to XML only).</summary>
    public static byte[] ToJson(object root)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            WriteJson(json, root);
        }
        return buffer.ToArray();
    }

    private static void WriteJson(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case Open311List list:
                json.WriteStartArray();
                foreach (var item in list.Items)
                {
                    WriteJson(json, item);
                }
                json.WriteEndArray();
                break;
            case Open311Object obj:
                json.WriteStartObject();
                foreach (var (name, field) in obj.Fields)
                {
                    json.WritePropertyName(name);
                    WriteJson(json, field);
                }
                json.WriteEndObject();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int i:
                json.WriteNumberValue(i);
                break;
            case double d:
                json.WriteNumberValue(d);
                break;
            case DateTime or DateTimeOffset:
                // Raw, so the offset reads +08:00 (the encoder would write the plus as \u002B); a date-time needs no escaping.
                json.WriteRawValue("\"" + Text(value) + "\"");
                break;
            default:
                json.WriteStringValue(Text(value));
                break;
        }
    }

    /// <summary>
    /// Times are W3C date-times with the Beijing offset, with milliseconds as everywhere in this API
    /// (2026-12-02T11:57:20.339+08:00: W3C-DTF allows the fraction, and the offset is what Open311 requires).
    /// </summary>
    private static string Text(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        DateTime utc => ChinaTime.Iso(utc.AsChinaTime()),
        DateTimeOffset time => ChinaTime.Iso(time),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
