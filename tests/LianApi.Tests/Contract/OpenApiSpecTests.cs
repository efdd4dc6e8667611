using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LianApi.Tests.Infrastructure;

namespace LianApi.Tests.Contract;

/// <summary>
/// api-spec/openapi.json is what the front-end team builds against; it must be exactly what the app serves.
/// scripts/update-openapi rewrites it (this test with LIANAPI_WRITE_SPEC=1).
/// </summary>
public sealed class OpenApiSpecTests
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string CommittedSpecPath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LianApi.sln")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("LianApi.sln not found above the test binaries"),
            "api-spec", "openapi.json");
    }

    [Test]
    public async Task ServedSpec_EqualsTheCommittedSpec()
    {
        await using var app = new LianApiFactory();
        var response = await app.CreateClient().GetAsync("/swagger/v1/swagger.json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var path = CommittedSpecPath();

        if (Environment.GetEnvironmentVariable("LIANAPI_WRITE_SPEC") == "1")
        {
            await File.WriteAllTextAsync(path, served.ToJsonString(Pretty) + "\n");
        }

        Assert.That(File.Exists(path), Is.True, $"{path} is missing: run scripts/update-openapi");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.That(JsonNode.DeepEquals(served, committed), Is.True,
            "The API changed but api-spec/openapi.json did not: run scripts/update-openapi, review the diff and commit it.");
    }

    [Test]
    public async Task ServedSpec_EveryEnumValue_IsACode()
    {
        await using var app = new LianApiFactory();
        var spec = JsonNode.Parse(await app.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;

        // A generated union type and a mock pick from these: a sentence among them breaks exhaustive switches.
        var offenders = EnumValues(spec, "#")
            .Where(e => e.Value is not null && !System.Text.RegularExpressions.Regex.IsMatch(e.Value, "^[A-Za-z0-9][A-Za-z0-9_.-]*$"))
            .Select(e => $"{e.Path}: {e.Value}").ToList();

        Assert.That(offenders, Is.Empty, "enum values that are not codes");
    }

    [Test]
    public async Task ServedSpec_AnUpload_RequiresItsFile()
    {
        await using var app = new LianApiFactory();
        var spec = JsonNode.Parse(await app.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;

        var body = spec["paths"]!["/api/photos"]!["post"]!["requestBody"]!;
        var schema = body["content"]!["multipart/form-data"]!["schema"]!;

        Assert.Multiple(() =>
        {
            Assert.That(body["required"]?.GetValue<bool>(), Is.True, "the body is required");
            Assert.That(schema["required"]?.AsArray().Select(n => n!.GetValue<string>()), Is.EquivalentTo(new[] { "file" }));
        });
    }

    private static IEnumerable<(string Path, string? Value)> EnumValues(JsonNode? node, string path) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "enum" && p.Value is JsonArray values
            ? values.Where(v => v is not null).Select(v => (path, v!.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null))
            : EnumValues(p.Value, $"{path}/{p.Key}")),
        JsonArray a => a.SelectMany((item, i) => EnumValues(item, $"{path}/{i}")),
        _ => [],
    };

    [Test]
    public async Task ServedSpec_DocumentsEveryOperationForTheFrontEnd()
    {
        await using var app = new LianApiFactory();
        var spec = JsonNode.Parse(await app.CreateClient().GetStringAsync("/swagger/v1/swagger.json"))!;

        var operations = spec["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Route: $"{o.Key.ToUpperInvariant()} {p.Key}", Operation: o.Value!)))
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(operations, Has.Count.GreaterThanOrEqualTo(7));
            foreach (var (route, operation) in operations)
            {
                Assert.That(operation["operationId"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, $"{route} has an operationId");
                Assert.That(operation["summary"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, $"{route} has a summary");
                var problems = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('4') || r.Key.StartsWith('5'))
                    .Select(r => r.Value!["content"]?["application/problem+json"]).ToList();
                Assert.That(problems, Is.All.Not.Null, $"{route}: every error response is application/problem+json");
                foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
                {
                    var name = parameter!["name"]!.GetValue<string>();
                    if (parameter["in"]!.GetValue<string>() == "query")
                    {
                        Assert.That(name, Is.EqualTo(JsonNamingPolicy.CamelCase.ConvertName(name)), $"{route}: query parameter {name} as clients send it");
                    }
                }
                var security = operation["security"] as JsonArray;
                Assert.That(security, Is.Not.Null, $"{route} says whether it needs a token (security: [] when it does not)");
                if (security is { Count: > 0 })
                {
                    Assert.That(operation["responses"]!["401"], Is.Not.Null, $"{route} documents its 401");
                }
            }
            var submit = spec["paths"]!["/api/complaints"]!["post"]!;
            var key = submit["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "Idempotency-Key")!;
            Assert.That(key["in"]!.GetValue<string>(), Is.EqualTo("header"));
            Assert.That(key["required"]!.GetValue<bool>(), Is.True);
        });
    }
}
