using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace LianApi.Tests.Contract;

/// <summary>
/// api-spec/openapi.json as a checker of real answers: finds the operation an exchange belongs to, the response the
/// spec declares for its status, and validates the body against that response's JSON Schema (OpenAPI 3.1 schemas
/// are JSON Schema 2020-12, validated by JsonSchema.Net), its media type and its headers.
/// </summary>
public sealed class OpenApiContract
{
    /// <summary>The response headers clients act on: wherever the app sends one, the spec must declare it.</summary>
    public static readonly string[] AnnouncedHeaders =
        ["Location", "Idempotent-Replayed", "Retry-After", "ETag", "Content-Disposition", "X-Lian-Emulated", "WWW-Authenticate"];

    private const string ComponentsPrefix = "\"#/components/schemas/";

    private static readonly EvaluationOptions Evaluation = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
    };

    private readonly JsonObject paths;
    private readonly JsonNode definitions;
    private readonly ConcurrentDictionary<string, JsonSchema> schemas = new();

    private OpenApiContract(JsonObject spec)
    {
        paths = spec["paths"]!.AsObject();
        // The component schemas become $defs of each validated schema, so their $refs resolve inside one JSON Schema document.
        definitions = JsonNode.Parse(spec["components"]!["schemas"]!.ToJsonString().Replace(ComponentsPrefix, "\"#/$defs/", StringComparison.Ordinal))!;
    }

    public static OpenApiContract Committed { get; } =
        new(JsonNode.Parse(File.ReadAllText(OpenApiSpecTests.CommittedSpecPath()))!.AsObject());

    /// <summary>"GET /api/complaints/{trackingNo}": the operation the exchange belongs to, or null outside the spec (health, swagger).</summary>
    public string? OperationOf(RecordedExchange exchange) =>
        MatchPath(exchange.Path) is { } template && paths[template]![exchange.Method.ToLowerInvariant()] is not null
            ? $"{exchange.Method.ToUpperInvariant()} {template}"
            : null;

    /// <summary>Every way the exchange differs from what the spec declares for its operation and status; empty when it matches.</summary>
    public IReadOnlyList<string> Check(RecordedExchange exchange)
    {
        var operationKey = OperationOf(exchange);
        if (operationKey is null)
        {
            return [];
        }
        var template = operationKey[(operationKey.IndexOf(' ') + 1)..];
        var responses = paths[template]![exchange.Method.ToLowerInvariant()]!["responses"]!.AsObject();
        var status = exchange.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if ((responses[status] ?? responses["default"]) is not JsonObject response)
        {
            return [$"{exchange}: status {status} is not declared (declared: {string.Join(", ", responses.Select(r => r.Key))})"];
        }

        var violations = new List<string>();
        CheckHeaders(exchange, response, violations);
        var content = response["content"] as JsonObject;
        var mediaType = exchange.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is null)
        {
            if (content is { Count: > 0 })
            {
                violations.Add($"{exchange}: no body, but the spec declares {string.Join(", ", content.Select(c => c.Key))}");
            }
            return violations;
        }
        if (content?[mediaType] is not JsonObject media)
        {
            violations.Add($"{exchange}: media type {mediaType} is not declared (declared: {string.Join(", ", content?.Select(c => c.Key) ?? [])})");
            return violations;
        }
        if (!mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            return violations;
        }
        if (exchange.Body is null)
        {
            violations.Add($"{exchange}: the JSON body was not captured (larger than the recorder keeps)");
            return violations;
        }
        if (media["schema"] is not { } schemaNode)
        {
            violations.Add($"{exchange}: the spec declares {mediaType} without a schema");
            return violations;
        }

        JsonNode? body;
        try
        {
            body = JsonNode.Parse(exchange.Body);
        }
        catch (JsonException e)
        {
            violations.Add($"{exchange}: the body is not JSON ({e.Message})");
            return violations;
        }
        var schema = schemas.GetOrAdd($"{operationKey} {status} {mediaType}", _ => Compile(schemaNode));
        var result = schema.Evaluate(body, Evaluation);
        if (!result.IsValid)
        {
            var errors = (result.Details ?? []).Where(d => d.HasErrors)
                .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value} ({d.EvaluationPath})"))
                .Distinct()
                .Take(12);
            violations.Add($"{exchange}: the body does not match {schemaNode.ToJsonString()}:\n    {string.Join("\n    ", errors)}\n    body: {Shorten(exchange.Body)}");
        }
        return violations;
    }

    private static void CheckHeaders(RecordedExchange exchange, JsonObject response, List<string> violations)
    {
        var declared = (response["headers"] as JsonObject)?.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase)
                       ?? new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in AnnouncedHeaders.Where(exchange.Headers.ContainsKey))
        {
            if (!declared.ContainsKey(name))
            {
                violations.Add($"{exchange}: sends {name}, which the spec does not declare for this response");
            }
        }
        foreach (var (name, header) in declared)
        {
            if (header?["required"]?.GetValue<bool>() == true && !exchange.Headers.ContainsKey(name))
            {
                violations.Add($"{exchange}: the spec requires header {name}, which was not sent");
            }
        }
    }

    private JsonSchema Compile(JsonNode schema)
    {
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = definitions.DeepClone(),
            ["allOf"] = new JsonArray(JsonNode.Parse(schema.ToJsonString().Replace(ComponentsPrefix, "\"#/$defs/", StringComparison.Ordinal))),
        };
        return JsonSchema.FromText(document.ToJsonString());
    }

    /// <summary>The spec's path template for a request path; literal segments win over parameters, as in routing.</summary>
    private string? MatchPath(string path)
    {
        var segments = path.Trim('/').Split('/');
        string? best = null;
        var bestLiterals = -1;
        foreach (var (template, _) in paths)
        {
            var parts = template.Trim('/').Split('/');
            if (parts.Length != segments.Length)
            {
                continue;
            }
            var literals = 0;
            var matches = true;
            for (var i = 0; i < parts.Length && matches; i++)
            {
                if (parts[i].StartsWith('{') && parts[i].EndsWith('}'))
                {
                    matches = segments[i].Length > 0;
                }
                else
                {
                    matches = string.Equals(parts[i], segments[i], StringComparison.OrdinalIgnoreCase);
                    literals++;
                }
            }
            if (matches && literals > bestLiterals)
            {
                (best, bestLiterals) = (template, literals);
            }
        }
        return best;
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";
}
