namespace LianApi.Shared;

/// <summary>The levels of the response chain a case can be at; staff roles and org units map onto them.</summary>
public static class HandlingLevel
{
    public const string Community = "community";
    public const string Street = "street";
    /// <summary>The district dispatch center (区调度中心).</summary>
    public const string District = "district";
    public const string Department = "department";

    public static readonly string[] All = [Community, Street, District, Department];

    /// <summary>What a level is called when no unit name is at hand.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Community] = "社区",
        [Street] = "街道",
        [District] = DispatchCenter.Name,
        [Department] = "部门",
    };
}

/// <summary>The district dispatch center: one per district, so it is a name rather than a row.</summary>
public static class DispatchCenter
{
    public const string Name = "区调度中心";
}
