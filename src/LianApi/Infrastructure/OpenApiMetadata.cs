using System.Reflection;

namespace LianApi.Infrastructure;

/// <summary>
/// A string the server only ever sends with one of a closed set of values (a status, a level, an event kind), so the
/// spec lists them as an enum: the <c>All</c> list of the given vocabulary classes, or the values given. Documentation
/// only; what a request may send is checked by [AllowedValues], which the spec turns into an enum as well.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OpenApiEnumAttribute : Attribute
{
    // The vocabulary's own list rather than its string constants: a class also holds texts (a description for the
    // spec, a display name), and each would become a "value" that clients switch on.
    public OpenApiEnumAttribute(params Type[] vocabularies) =>
        Values = [.. vocabularies.SelectMany(ListOf).Distinct()];

    public OpenApiEnumAttribute(params string[] values) => Values = values;

    public IReadOnlyList<string> Values { get; }

    private static IEnumerable<string> ListOf(Type vocabulary) =>
        vocabulary.GetField("All", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as IEnumerable<string>
        ?? throw new InvalidOperationException($"{vocabulary.Name} has no public static All list of its values for [OpenApiEnum]");
}

/// <summary>A response header an endpoint sends with one status, for the spec.</summary>
public sealed record ResponseHeaderMetadata(int StatusCode, string Name, string Description, bool Required, string? OnlyValue);

/// <summary>What a tag of the spec groups, shown above its operations.</summary>
public sealed record TagDescriptionMetadata(string Name, string Description);

public static class OpenApiMetadata
{
    /// <summary>
    /// Documents a response header: <paramref name="required"/> when every answer with this status carries it,
    /// <paramref name="onlyValue"/> for a flag that is either absent or this value.
    /// </summary>
    public static RouteHandlerBuilder ProducesHeader(this RouteHandlerBuilder builder, int statusCode, string name, string description,
        bool required = false, string? onlyValue = null) =>
        builder.WithMetadata(new ResponseHeaderMetadata(statusCode, name, description, required, onlyValue));

    /// <summary>Tags the group's operations and says, once, what the tag is about.</summary>
    public static RouteGroupBuilder WithTag(this RouteGroupBuilder group, string name, string description) =>
        group.WithTags(name).WithMetadata(new TagDescriptionMetadata(name, description));
}
