using System.Diagnostics;

namespace LianApi.Shared;

/// <summary>
/// The closed vocabularies (statuses, roles, levels, event kinds, groupings, orders) are strings checked at the edges;
/// inside, a value outside its set is a bug, and a switch over one says so instead of answering something plausible.
/// </summary>
public static class Vocabulary
{
    public static UnreachableException Unknown(string vocabulary, object? value) =>
        new($"'{value}' is not one of the {vocabulary}: a closed vocabulary was extended without this switch.");
}
