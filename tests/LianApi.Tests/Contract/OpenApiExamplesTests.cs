using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LianApi.Infrastructure;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Contract;

/// <summary>
/// The spec shows believable answers: Swagger's "Try it" and a mock server started on the spec alone return Lianhu's
/// communities, Chinese text, Beijing times and, for each error status, the code that status carries there.
/// </summary>
public sealed partial class OpenApiExamplesTests
{
    private static JsonNode spec = null!;

    [OneTimeSetUp]
    public static async Task Load()
    {
        await using var app = new LianApiFactory();
        spec = JsonNode.Parse(await app.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;
    }

    private static IEnumerable<(string Route, JsonObject Operation)> Operations() =>
        spec["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Select(o => ($"{o.Key.ToUpperInvariant()} {p.Key}", o.Value!.AsObject())));

    [Test]
    public void EveryJsonBody_RequestAndResponse_HasAnExample()
    {
        var missing = new List<string>();
        foreach (var (route, operation) in Operations())
        {
            // A body that takes no fields (accept, start: "send {} or no body") has nothing to show.
            if (operation["requestBody"]?["content"]?["application/json"] is { } request && request["example"] is null && TakesFields(request["schema"]!))
            {
                missing.Add($"{route} request");
            }
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                foreach (var type in new[] { "application/json", "application/problem+json" })
                {
                    if (response!["content"]?[type] is { } media && media["example"] is null)
                    {
                        missing.Add($"{route} {status} {type}");
                    }
                }
            }
        }
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void EverySchemaProperty_HasAnExample()
    {
        var missing = spec["components"]!["schemas"]!.AsObject()
            .SelectMany(s => (s.Value!["properties"] as JsonObject ?? []).Select(p => (Name: $"{s.Key}.{p.Key}", Schema: p.Value!.AsObject())))
            .Where(p => !p.Schema.ContainsKey("$ref") && !p.Schema.ContainsKey("oneOf") && !p.Schema.ContainsKey("properties")
                        && p.Schema["items"]?["$ref"] is null && !p.Schema.ContainsKey("example"))
            .Where(p => !OpenApiExamples.ShownAsNull.Contains(p.Name) && !OpenApiExamples.ShownAsNull.Contains(p.Name.Split('.')[1]))
            .Select(p => p.Name).ToList();

        Assert.That(missing, Is.Empty, "properties without an example: add them to OpenApiExamples");
    }

    [Test]
    public void Examples_AreBelievable_NoPlaceholdersNoUtcTimes()
    {
        var values = Examples().SelectMany(e => Strings(e.Example).Select(v => (e.Where, Value: v))).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(values, Is.Not.Empty);
            Assert.That(values.Where(v => v.Value is "string" or "" ), Is.Empty, "placeholders");
            Assert.That(values.Where(v => IsoTime().IsMatch(v.Value) && !v.Value.EndsWith("+08:00", StringComparison.Ordinal)), Is.Empty,
                "times carry the Beijing offset, as the app writes them");
            Assert.That(values.Where(v => v.Value.StartsWith("2019", StringComparison.Ordinal)), Is.Empty);
        });
        var submit = spec["paths"]!["/api/complaints"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]!;
        Assert.Multiple(() =>
        {
            Assert.That(submit["communityCode"]!.GetValue<string>(), Is.EqualTo("gongyuanmen"));
            Assert.That(submit["description"]!.GetValue<string>(), Does.Match(@"\p{IsCJKUnifiedIdeographs}"));
        });
        var login = spec["paths"]!["/api/auth/wechat-login"]!["post"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!;
        Assert.That(login["user"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { "resident" }));
        Assert.That(login["user"]!["staff"], Is.Null, "a resident has no staff object");
    }

    [Test]
    public void ErrorExamples_CarryTheCodeOfTheirStatus_InChinese()
    {
        var wrong = new List<string>();
        foreach (var (route, operation) in Operations())
        {
            var codes = new Dictionary<string, string>();
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                if (response!["content"]?["application/problem+json"]?["example"] is not { } example)
                {
                    continue;
                }
                var code = example["code"]!.GetValue<string>();
                codes[status] = code;
                if (ProblemCodes.Meanings[code].Status.ToString(System.Globalization.CultureInfo.InvariantCulture) != status
                    || example["status"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture) != status
                    || !Regex.IsMatch(example["detail"]!.GetValue<string>(), @"\p{IsCJKUnifiedIdeographs}"))
                {
                    wrong.Add($"{route} {status}: {example.ToJsonString()}");
                }
            }
            if (codes.Values.Distinct().Count() != codes.Count)
            {
                wrong.Add($"{route}: one code for several statuses ({string.Join(", ", codes)})");
            }
        }
        Assert.That(wrong, Is.Empty);
    }

    private static bool TakesFields(JsonNode schema)
    {
        var target = schema["$ref"] is { } reference ? spec["components"]!["schemas"]![reference.GetValue<string>().Split('/')[^1]]! : schema;
        return target["properties"] is JsonObject { Count: > 0 } || target["additionalProperties"] is JsonObject;
    }

    private static IEnumerable<(string Where, JsonNode Example)> Examples()
    {
        foreach (var (route, operation) in Operations())
        {
            if (operation["requestBody"]?["content"]?["application/json"]?["example"] is { } request)
            {
                yield return (route, request);
            }
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                foreach (var media in (response!["content"] as JsonObject ?? []).Select(c => c.Value?["example"]).OfType<JsonNode>())
                {
                    yield return ($"{route} {status}", media);
                }
            }
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")]
    private static partial Regex IsoTime();
}
