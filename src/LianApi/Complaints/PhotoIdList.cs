namespace LianApi.Complaints;

/// <summary>How a timeline step keeps its photo ids in one column.</summary>
public static class PhotoIdList
{
    public const int Max = 9;

    public static string? Join(IReadOnlyList<string>? ids) => ids is { Count: > 0 } ? string.Join(',', ids) : null;

    public static IReadOnlyList<string> Split(string? ids) => string.IsNullOrEmpty(ids) ? [] : ids.Split(',');
}
