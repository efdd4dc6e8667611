using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LianApi.Infrastructure;

/// <summary>Marks the operations that need a token, and documents their 401, so the spec says who may call what.</summary>
internal sealed class AuthorizationOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return;
        }
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(SwaggerExtensions.BearerScheme, context.Document)] = [],
        });
        operation.Responses ??= new OpenApiResponses();
        operation.Responses.TryAdd("401", new OpenApiResponse
        {
            Description = "Missing, invalid or expired access token: log in again",
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
        target.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
    }
}
