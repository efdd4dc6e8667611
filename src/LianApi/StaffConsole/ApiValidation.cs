using System.ComponentModel.DataAnnotations;
using LianApi.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

namespace LianApi.StaffConsole;

/// <summary>
/// The API's validation of a request body or query, for a console form that feeds the same handler: the validator the
/// framework runs before an API handler (AddValidation), then the keys and texts as the API's problem would carry them.
/// </summary>
public sealed class ApiValidation(IOptions<ValidationOptions> options, IServiceProvider services)
{
    // ASP0029 (evaluation API): this is the very validator AddValidation runs before the API's handlers; a copy of its rules
    // through DataAnnotations alone would drift from it (it walks nested records, the framework's way).
#pragma warning disable ASP0029
    public async Task<Dictionary<string, string[]>> ErrorsAsync<T>(T value, CancellationToken ct) where T : notnull
    {
        var errors = new Dictionary<string, string[]>();
        if (options.Value.TryGetValidatableTypeInfo(typeof(T), out var info))
        {
            var context = new ValidateContext { ValidationOptions = options.Value, ValidationContext = new ValidationContext(value, services, null) };
            await info.ValidateAsync(value, context, ct);
            foreach (var (field, messages) in context.ValidationErrors ?? [])
            {
                errors[field] = messages;
            }
        }
        else
        {
            throw new InvalidOperationException($"{typeof(T).Name} is not validated by the API, so the console cannot validate it the same way.");
        }
        return AsTheApiSaysIt(errors);
    }
#pragma warning restore ASP0029

    /// <summary>Field errors keyed by JSON names and read in the request's language, as the API's problem responses carry them.</summary>
    public static Dictionary<string, string[]> AsTheApiSaysIt(IDictionary<string, string[]> errors)
    {
        var copy = new Dictionary<string, string[]>(errors);
        JsonFieldNames.Apply(copy);
        return copy.ToDictionary(e => e.Key, e => e.Value.Select(Text.Field).ToArray());
    }
}
