using System.Reflection;

namespace LianApi.Infrastructure;

/// <summary>
/// A string the server only ever sends with one of a closed set of values (a status, a level, an event kind), so the
/// spec lists them as an enum: the public string constants of the given classes, or the values given. Documentation
/// only; what a request may send is checked by [AllowedValues], which the spec turns into an enum as well.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OpenApiEnumAttribute : Attribute
{
    public OpenApiEnumAttribute(params Type[] constants) =>
        Values = [.. constants.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).Distinct()];

    public OpenApiEnumAttribute(params string[] values) => Values = values;

    public IReadOnlyList<string> Values { get; }
}
