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
    /// <summary>A party member assigned to a community (敲门行动, 意见征集点): records reports on residents' behalf, acts on no case.</summary>
    public const string Volunteer = "volunteer";

    public static readonly string[] All = [Community, Street, Department, Dispatcher, Admin, Volunteer];

    /// <summary>The level of the response chain each role works at.</summary>
    public static string LevelOf(string role) => role switch
    {
        Community or Volunteer => HandlingLevel.Community,
        Street => HandlingLevel.Street,
        Department => HandlingLevel.Department,
        Dispatcher or Admin => HandlingLevel.District,
        _ => throw Vocabulary.Unknown("staff roles", role),
    };
}

/// <summary>
/// A staff member's record as the database has it now. A handler that takes one as a parameter gets the caller, read
/// while the request was authorized (<see cref="StaffAccess"/>).
/// </summary>
public sealed record StaffMember : IBindableFromHttpContext<StaffMember>
{
    public static ValueTask<StaffMember?> BindAsync(HttpContext context, System.Reflection.ParameterInfo parameter) => StaffAccess.CurrentAsync(context);

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

    /// <summary>Community staff bound to a grid (网格员): they see and act on their grid's cases and the cases assigned to them.</summary>
    public bool IsGridWorker => Role == StaffRoles.Community && GridId is not null;

    public LoginStaff AsLoginStaff() => new(Id, Name, Role, UnitLevel, UnitName);
}
