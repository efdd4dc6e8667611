using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LianApi.Idempotency;

/// <summary>The handler checks the header itself to give a clear message, so the spec has to be told it is required.</summary>
internal sealed class IdempotencyKeyOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Header && parameter.Name == IdempotencyKeys.HeaderName)
            {
                parameter.Required = true;
                if (parameter.Schema is OpenApiSchema schema)
                {
                    schema.MinLength = 8;
                    schema.MaxLength = 64;
                    schema.Pattern = IdempotencyKeys.Pattern;
                }
            }
        }
    }
}
