using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LianApi.Infrastructure;

/// <summary>
/// Examples everywhere (<see cref="OpenApiExamples"/>): on each property of each schema, then one whole example per JSON
/// request and response body made of them, and one problem per error status with the code that status carries there.
/// A mock server started on the spec alone answers with these.
/// </summary>
internal sealed class ExamplesDocumentFilter : IDocumentFilter
{
    // Deep enough for the deepest answer (a page of call-backs: item, case, community), shallow enough to stop a cycle.
    private const int MaxDepth = 24;

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        foreach (var (id, schema) in schemas)
        {
            foreach (var (name, property) in (schema as OpenApiSchema)?.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                if (property is OpenApiSchema { Example: null } concrete && Leaf(concrete) && OpenApiExamples.ForProperty(id, name, concrete) is { } example)
                {
                    concrete.Example = example;
                }
            }
        }
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            var body = operation.RequestBody?.Content?.TryGetValue("application/json", out var request) == true ? request : null;
            if (body is OpenApiMediaType { Example: null } && body.Schema is not null)
            {
                body.Example = OpenApiExamples.RequestOf(operation.OperationId ?? "") ?? Compose(body.Schema, schemas, null, null, 0);
            }
            var field = FirstField(body?.Schema, schemas);
            foreach (var (status, response) in operation.Responses ?? [])
            {
                if (response.Content is null)
                {
                    continue;
                }
                if (response.Content.TryGetValue("application/json", out var json) && json is OpenApiMediaType { Example: null } && json.Schema is not null)
                {
                    json.Example = Compose(json.Schema, schemas, null, null, 0);
                }
                if (response.Content.TryGetValue("application/problem+json", out var problem) && problem is OpenApiMediaType { Example: null } media
                    && int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                {
                    media.Example = OpenApiExamples.Problem(operation.OperationId ?? "", code, code == 400 ? field : null);
                }
            }
        }
    }

    private static bool Leaf(OpenApiSchema schema) =>
        schema.Properties is not { Count: > 0 } && schema.OneOf is not { Count: > 0 } && (schema.Items is null || schema.Items is OpenApiSchema { Properties: null, OneOf: null });

    /// <summary>A whole example of a schema, from its properties' examples; a nullable reference shows its value, not null.</summary>
    private static JsonNode? Compose(IOpenApiSchema schema, IDictionary<string, IOpenApiSchema> schemas, string? schemaId, string? name, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        if (name is not null && schema is OpenApiSchemaReference or OpenApiSchema { OneOf.Count: > 0 }
            && OpenApiExamples.TryGetObject(name, out var shared) && shared is not null)
        {
            return shared;
        }
        if (schema is OpenApiSchemaReference { Reference.Id: { } id })
        {
            return schemas.TryGetValue(id, out var target) ? Compose(target, schemas, id, null, depth + 1) : null;
        }
        if (schema is not OpenApiSchema concrete)
        {
            return null;
        }
        if (concrete.Example is { } example)
        {
            return example.DeepClone();
        }
        if (concrete.OneOf is { Count: > 0 } choices)
        {
            if (schemaId is not null && name is not null && OpenApiExamples.TryGet(schemaId, name, out var listed))
            {
                return listed;
            }
            return Compose(choices.FirstOrDefault(c => c is OpenApiSchemaReference || c.Type != JsonSchemaType.Null) ?? choices[0], schemas, schemaId, name, depth);
        }
        if (concrete.Properties is { Count: > 0 } properties)
        {
            var result = new JsonObject();
            foreach (var (property, propertySchema) in properties)
            {
                result[property] = Compose(propertySchema, schemas, schemaId, property, depth + 1);
            }
            return result;
        }
        if (concrete.Type?.HasFlag(JsonSchemaType.Array) == true && concrete.Items is { } items)
        {
            return Compose(items, schemas, schemaId, name, depth + 1) is { } item ? new JsonArray(item) : new JsonArray();
        }
        if (concrete.Type == JsonSchemaType.Object && concrete.AdditionalProperties is null)
        {
            return new JsonObject();
        }
        return schemaId is not null && name is not null ? OpenApiExamples.ForProperty(schemaId, name, concrete) : null;
    }

    /// <summary>The request's first required field (else its first), for a validation problem's example.</summary>
    private static string? FirstField(IOpenApiSchema? body, IDictionary<string, IOpenApiSchema> schemas)
    {
        var schema = body is OpenApiSchemaReference { Reference.Id: { } id } && schemas.TryGetValue(id, out var target) ? target : body;
        return schema?.Required?.FirstOrDefault() ?? schema?.Properties?.Keys.FirstOrDefault();
    }
}
