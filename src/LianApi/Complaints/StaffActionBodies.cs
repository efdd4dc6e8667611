using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LianApi.Complaints;

/// <summary>Marks the operation of one staff action, for <see cref="StaffActionBodies"/>.</summary>
public sealed record StaffActionMetadata(string Action);

/// <summary>
/// Each action's request body in the spec is the flat <see cref="StaffActionRequest"/> cut to the fields the action
/// takes, with those it needs required, both read from <see cref="ComplaintMachine.Fields"/>: the spec cannot say
/// something the machine does not check.
/// </summary>
internal sealed class StaffActionBodies : IOperationFilter, IDocumentFilter
{
    /// <summary>The flat request is only the source of the actions' bodies: no operation of the spec sends it as it is.</summary>
    public void Apply(OpenApiDocument document, DocumentFilterContext context) =>
        document.Components?.Schemas?.Remove(nameof(StaffActionRequest));

    /// <summary>The operationId of an action: StaffRequestExtension for request-extension (a generated client's method name).</summary>
    public static string OperationId(string action) => "Staff" + Pascal(action);

    private static string Pascal(string action) => string.Concat(action.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<StaffActionMetadata>().FirstOrDefault() is not { } marker
            || operation.RequestBody is not OpenApiRequestBody body || body.Content is null)
        {
            return;
        }
        var name = OperationId(marker.Action) + "Request";
        if (!context.SchemaRepository.Schemas.ContainsKey(name))
        {
            var flat = (OpenApiSchema)context.SchemaRepository.Schemas[nameof(StaffActionRequest)];
            var fields = ComplaintMachine.Fields[marker.Action];
            context.SchemaRepository.AddDefinition(name, new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = fields.All.Any()
                    ? $"The request of {marker.Action}: its fields as the state machine checks them (a field required only for some cases is described so)"
                    : $"{marker.Action} takes no fields: send {{}} or no body",
                Properties = fields.All.ToDictionary(f => f, f => fields.Required.Contains(f) ? NotNull(flat.Properties![f], context.Document) : flat.Properties![f]),
                Required = new SortedSet<string>(fields.Required, StringComparer.Ordinal),
            });
        }
        foreach (var media in body.Content.Values)
        {
            media.Schema = new OpenApiSchemaReference(name, context.Document);
        }
        // A required field makes the body required; an action without any may be sent with none.
        body.Required = ComplaintMachine.Fields[marker.Action].Required.Count > 0;
    }

    /// <summary>A required field's schema: the same without null among its types and values.</summary>
    private static IOpenApiSchema NotNull(IOpenApiSchema schema, OpenApiDocument document) => schema switch
    {
        OpenApiSchema { OneOf: [OpenApiSchemaReference reference, ..] } nullable => new OpenApiSchemaReference(reference.Reference.Id!, document)
        {
            Description = nullable.Description,
        },
        OpenApiSchema { Type: { } type } concrete when type.HasFlag(JsonSchemaType.Null) => WithoutNull((OpenApiSchema)concrete.CreateShallowCopy(), type),
        _ => schema,
    };

    private static OpenApiSchema WithoutNull(OpenApiSchema copy, JsonSchemaType type)
    {
        copy.Type = type & ~JsonSchemaType.Null;
        copy.Enum = copy.Enum?.Where(v => v is not null).ToList();
        return copy;
    }
}
