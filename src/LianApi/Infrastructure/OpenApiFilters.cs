using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LianApi.Infrastructure;

/// <summary>
/// Marks the operations that need a token (with their 401 and its WWW-Authenticate) and says explicitly that the
/// others need none, so the spec says who may call what.
/// </summary>
internal sealed class AuthorizationOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [];
            return;
        }
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(SwaggerExtensions.BearerScheme, context.Document)] = [],
        });
        operation.Responses ??= [];
        operation.Responses.TryAdd("401", new OpenApiResponse
        {
            Description = "Missing, invalid or expired access token: log in again",
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                [HeaderNames.WWWAuthenticate] = new OpenApiHeader
                {
                    Description = "Bearer, with error=\"invalid_token\" when a token was sent but refused (RFC 6750)",
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            },
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository) },
            },
        });
    }
}

/// <summary>Query parameters bound from [AsParameters] records are named as clients send them (status, not Status).</summary>
internal sealed class CamelCaseQueryOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Query && parameter.Name is { } name)
            {
                parameter.Name = JsonNamingPolicy.CamelCase.ConvertName(name);
            }
        }
    }
}

/// <summary>
/// A form field marked [Required] is required in the multipart schema, and so is the body: the generator leaves every
/// form field optional, so a client would send an upload without its file.
/// </summary>
internal sealed class RequiredFormFieldsOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody is not OpenApiRequestBody body || body.Content?.TryGetValue("multipart/form-data", out var media) != true
            || media?.Schema is not OpenApiSchema form)
        {
            return;
        }
        var required = context.ApiDescription.ParameterDescriptions
            .Where(p => p.ParameterDescriptor is IParameterInfoParameterDescriptor { ParameterInfo: var info } && info.GetCustomAttribute<RequiredAttribute>() is not null)
            .Select(p => p.Name).Where(name => form.Properties?.ContainsKey(name) == true).ToList();
        if (required.Count == 0)
        {
            return;
        }
        form.Required ??= new HashSet<string>();
        form.Required.UnionWith(required);
        body.Required = true;
    }
}

/// <summary>
/// Response headers: those an endpoint declares with ProducesHeader, and Retry-After on every 429 and 503, which
/// always tell the client when to come back.
/// </summary>
internal sealed class ResponseHeadersOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (status is "429" or "503" && response is OpenApiResponse concrete)
            {
                Add(concrete, HeaderNames.RetryAfter, new OpenApiHeader { Description = "Seconds to wait before trying again", Schema = Schema(HeaderNames.RetryAfter, null) });
            }
        }
        foreach (var header in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ResponseHeaderMetadata>())
        {
            var status = header.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses?.GetValueOrDefault(status) is not OpenApiResponse response)
            {
                throw new InvalidOperationException($"{context.ApiDescription.RelativePath}: header {header.Name} is declared for status {status}, which the endpoint does not produce");
            }
            Add(response, header.Name, new OpenApiHeader
            {
                Description = header.Description,
                Required = header.Required,
                Schema = Schema(header.Name, header.OnlyValue),
            });
        }
    }

    private static OpenApiSchema Schema(string name, string? onlyValue) => (name, onlyValue) switch
    {
        _ when string.Equals(name, HeaderNames.RetryAfter, StringComparison.OrdinalIgnoreCase) => new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
        (_, { } value) => new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(value)] },
        _ => new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static void Add(OpenApiResponse response, string name, OpenApiHeader header)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = header;
    }
}

/// <summary>
/// Closed sets of values become enums: [AllowedValues] on request members and query parameters, [OpenApiEnum] on
/// what the server sends. On an array the values are those of its items.
/// </summary>
internal sealed class EnumSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        var attributes = context.MemberInfo?.GetCustomAttributes(true) ?? context.ParameterInfo?.GetCustomAttributes(true) ?? [];
        var values = attributes.OfType<AllowedValuesAttribute>().FirstOrDefault()?.Values.OfType<string>().ToList()
                     ?? attributes.OfType<OpenApiEnumAttribute>().FirstOrDefault()?.Values;
        if (values is null || schema is not OpenApiSchema target)
        {
            return;
        }
        if (target.Type == JsonSchemaType.Array && target.Items is OpenApiSchema items)
        {
            target = items;
        }
        // A nullable member's null is one of its values too, or a validator refuses every null the server sends.
        target.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v)), .. target.Type?.HasFlag(JsonSchemaType.Null) == true ? [null!] : Array.Empty<JsonNode>()];
    }
}

/// <summary>
/// A property whose type is one of our schemas is a $ref, where the generator drops nullability and the
/// description: a nullable one becomes "oneOf: [$ref, null]", and its [Description] is kept either way.
/// </summary>
internal sealed class ReferencePropertySchemaFilter(ISerializerDataContractResolver contracts) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.MemberInfo is not null || context.ParameterInfo is not null || schema is not OpenApiSchema { Properties.Count: > 0 } concrete)
        {
            return;
        }
        foreach (var property in contracts.GetDataContractForType(context.Type).ObjectProperties ?? [])
        {
            if (!concrete.Properties!.TryGetValue(property.Name, out var propertySchema) || propertySchema is not OpenApiSchemaReference reference)
            {
                continue;
            }
            var description = property.MemberInfo?.GetCustomAttribute<DescriptionAttribute>()?.Description;
            if (property.IsNullable && property.MemberInfo?.GetCustomAttribute<RequiredAttribute>() is null)
            {
                concrete.Properties[property.Name] = new OpenApiSchema
                {
                    OneOf = [reference, new OpenApiSchema { Type = JsonSchemaType.Null }],
                    Description = description,
                };
            }
            else if (description is not null)
            {
                reference.Description = description;
            }
        }
    }
}

/// <summary>
/// The problem responses as the app writes them: with the traceId the framework adds, an optional machine-readable
/// code, and errors present only when fields were checked (a malformed body or an unparsable parameter has none).
/// </summary>
internal sealed class ProblemSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (!typeof(ProblemDetails).IsAssignableFrom(context.Type) || context.MemberInfo is not null || schema is not OpenApiSchema { Properties: { } properties } concrete)
        {
            return;
        }
        properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "What went wrong, as a stable machine-readable code from a closed list (README: Error codes)",
            Enum = [.. ProblemCodes.All.Select(c => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(c))],
        };
        concrete.Required ??= new HashSet<string>();
        concrete.Required.Add("code");
        properties["traceId"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "Quote it when reporting a problem: it finds the request in the server's logs",
        };
        if (properties.TryGetValue("errors", out var errorsSchema) && errorsSchema is OpenApiSchema errors)
        {
            errors.Description = "The invalid fields, by their JSON path, and what is wrong with each; absent when the request could not be read at all";
            concrete.Required?.Remove("errors");
        }
    }
}

/// <summary>Tag descriptions, from the groups that declare them with WithTag.</summary>
internal sealed class TagDescriptionsDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var descriptions = context.ApiDescriptions.SelectMany(d => d.ActionDescriptor.EndpointMetadata.OfType<TagDescriptionMetadata>())
            .DistinctBy(t => t.Name).ToDictionary(t => t.Name, t => t.Description);
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= descriptions.GetValueOrDefault(tag.Name ?? "");
        }
    }
}

/// <summary>
/// "required" as the JSON really is. The server writes every property of what it sends, null or not, so in a
/// schema only sent, every property is required (nullable ones may be null). In a schema only received, a property
/// with a default may be left out. Problem schemas (problem+json) keep the framework's shape.
/// </summary>
internal sealed class RequiredPropertiesDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        if (document.Components?.Schemas is not { } schemas)
        {
            return;
        }
        var received = new HashSet<string>();
        var sent = new HashSet<string>();
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var media in operation.RequestBody?.Content?.Values ?? [])
            {
                Reach(media.Schema, schemas, received);
            }
            foreach (var response in operation.Responses?.Values.AsEnumerable() ?? [])
            {
                if (response.Content?.TryGetValue("application/json", out var json) == true)
                {
                    Reach(json.Schema, schemas, sent);
                }
            }
        }
        foreach (var (id, schema) in schemas)
        {
            if (schema is not OpenApiSchema { Properties.Count: > 0 } concrete)
            {
                continue;
            }
            if (sent.Contains(id) && !received.Contains(id))
            {
                concrete.Required = new SortedSet<string>(concrete.Properties!.Keys, StringComparer.Ordinal);
            }
            else if (received.Contains(id) && !sent.Contains(id))
            {
                concrete.Required?.ExceptWith(concrete.Properties!.Where(p => p.Value.Default is not null).Select(p => p.Key));
            }
        }
    }

    private static void Reach(IOpenApiSchema? schema, IDictionary<string, IOpenApiSchema> schemas, HashSet<string> reached)
    {
        if (schema is OpenApiSchemaReference { Reference.Id: { } id })
        {
            if (reached.Add(id) && schemas.TryGetValue(id, out var target))
            {
                Reach(target, schemas, reached);
            }
            return;
        }
        if (schema is OpenApiSchema concrete)
        {
            var children = (concrete.Properties?.Values ?? []).Concat(concrete.AllOf ?? []).Concat(concrete.AnyOf ?? []).Concat(concrete.OneOf ?? [])
                .Append(concrete.Items).Append(concrete.AdditionalProperties);
            foreach (var child in children)
            {
                Reach(child, schemas, reached);
            }
        }
    }
}
