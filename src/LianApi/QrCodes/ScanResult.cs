using System.ComponentModel;
using LianApi.Communities;
using LianApi.Infrastructure;

namespace LianApi.QrCodes;

public static class ScanKinds
{
    public const string Community = "community";
    public const string StaffBinding = "staff_binding";
}

public sealed record ScanResult(
    [property: OpenApiEnum(ScanKinds.Community, ScanKinds.StaffBinding)]
    [property: Description("community: a community's poster (see community); staff_binding: a code of a staff binding sheet (see bindingCode)")] string Kind,
    [property: Description("The landing, as GET /api/communities/{code} gives it (a retired community's says where to report instead); null for a binding code")] CommunityLanding? Community,
    [property: Description("The one-time binding code to bind with (POST /api/staff/bind after logging in); null for a community")] string? BindingCode);
