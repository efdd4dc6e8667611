using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LianApi.Resources;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

namespace LianApi.Infrastructure;

/// <summary>
/// Every field error of a JSON body at once. System.Text.Json stops at the first value of the wrong type or the first
/// unknown member, so a client would fix one field per round trip: when it refuses a body, the body is read again as a
/// document, each member is checked against the endpoint's type on its own, and the members that did read are validated
/// as usual, so wrong types, unknown and repeated members and broken rules come back in one answer.
/// </summary>
public static class JsonBodyErrors
{
    /// <summary>JSON bodies stay readable after the framework has read them, so a refused one can be read again here.</summary>
    public static IApplicationBuilder UseRereadableJsonBodies(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.HasJsonContentType())
        {
            context.Request.EnableBuffering();
        }
        return next(context);
    });

    /// <summary>The errors by JSON path, or null when the body is not one JSON object of a known type (the caller says so in general).</summary>
    public static async Task<Dictionary<string, string[]>?> CollectAsync(HttpContext context, CancellationToken ct)
    {
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is not { } type || !context.Request.Body.CanSeek)
        {
            return null;
        }
        JsonDocument document;
        try
        {
            context.Request.Body.Position = 0;
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            if (document.RootElement.ValueKind != JsonValueKind.Object || options.GetTypeInfo(type) is not { Kind: JsonTypeInfoKind.Object } typeInfo)
            {
                return null;
            }
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var readable = Check(document.RootElement, typeInfo, options, "", errors);
            if (errors.Count == 0)
            {
                return null;
            }
            foreach (var (field, messages) in await ValidateAsync(readable, type, options, context, ct))
            {
                errors.TryAdd(field, messages);
            }
            return errors;
        }
    }

    /// <summary>Records what is wrong with each member and returns the object of the members that read.</summary>
    private static JsonObject Check(JsonElement body, JsonTypeInfo typeInfo, JsonSerializerOptions options, string path, Dictionary<string, string[]> errors)
    {
        var comparer = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var members = typeInfo.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null).ToDictionary(p => p.Name, comparer);
        var disallowUnknown = (typeInfo.UnmappedMemberHandling ?? options.UnmappedMemberHandling) == JsonUnmappedMemberHandling.Disallow;
        var seen = new HashSet<string>(comparer);
        var readable = new JsonObject();
        foreach (var member in body.EnumerateObject())
        {
            var field = path + JsonFieldNames.Of(member.Name);
            if (!seen.Add(member.Name))
            {
                errors[field] = [Messages.FieldDuplicate];
                readable.Remove(member.Name);
                continue;
            }
            if (!members.TryGetValue(member.Name, out var property))
            {
                if (disallowUnknown)
                {
                    errors[field] = [Messages.FieldUnknown];
                }
                continue;
            }
            try
            {
                JsonSerializer.Deserialize(member.Value, property.PropertyType, options);
                readable[property.Name] = JsonNode.Parse(member.Value.GetRawText());
            }
            catch (JsonException)
            {
                var nested = member.Value.ValueKind == JsonValueKind.Object ? options.GetTypeInfo(property.PropertyType) : null;
                if (nested is { Kind: JsonTypeInfoKind.Object })
                {
                    var before = errors.Count;
                    Check(member.Value, nested, options, field + ".", errors);
                    if (errors.Count > before)
                    {
                        continue;
                    }
                }
                errors[field] = [Messages.FieldWrongType];
            }
        }
        return readable;
    }

    /// <summary>The endpoint's own validation of the members that read (a missing required member, a value out of range).</summary>
    // The framework's own validator (still marked experimental), so these messages are the ones a body that reads would get.
#pragma warning disable ASP0029
    private static async Task<IDictionary<string, string[]>> ValidateAsync(JsonObject readable, Type type, JsonSerializerOptions options, HttpContext context,
        CancellationToken ct)
    {
        var validation = context.RequestServices.GetRequiredService<IOptions<ValidationOptions>>().Value;
        object? value;
        try
        {
            value = readable.Deserialize(type, options);
        }
        catch (JsonException)
        {
            return new Dictionary<string, string[]>();
        }
        if (value is null || !validation.TryGetValidatableTypeInfo(type, out var info))
        {
            return new Dictionary<string, string[]>();
        }
        var validateContext = new ValidateContext
        {
            ValidationOptions = validation,
            ValidationContext = new ValidationContext(value, context.RequestServices, null),
        };
        await info.ValidateAsync(value, validateContext, ct);
        var errors = validateContext.ValidationErrors ?? new Dictionary<string, string[]>();
        JsonFieldNames.Apply(errors);
        return errors;
    }
#pragma warning restore ASP0029
}
