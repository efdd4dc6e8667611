using LianApi.Auth;
using LianApi.Shared;

namespace LianApi.Staff;

public static class StaffRoles
{
    public const string Community = "community";
    public const string Street = "street";
    public const string Department = "department";
    public const string Dispatcher = "dispatcher";
    public const string Admin = "admin";

    public static readonly string[] All = [Community, Street, Department, Dispatcher, Admin];

    /// <summary>The level of the response chain each role works at.</summary>
    public static string LevelOf(string role) => role switch
    {
        Community => HandlingLevel.Community,
        Street => HandlingLevel.Street,
        Department => HandlingLevel.Department,
        _ => HandlingLevel.District,
    };
}

public sealed record StaffMember
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string UnitLevel { get; init; } = "";
    public long? UnitId { get; init; }
    public string UnitName { get; init; } = "";
    public long? GridId { get; init; }
    public long? UserId { get; init; }
    public bool IsActive { get; init; }

    public bool SeesEverything => Role is StaffRoles.Dispatcher or StaffRoles.Admin;

    public LoginStaff AsLoginStaff() => new(Id, Name, Role, UnitLevel, UnitName);
}
