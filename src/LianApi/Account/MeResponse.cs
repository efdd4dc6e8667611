using System.ComponentModel;
using LianApi.Auth;
using LianApi.Infrastructure;
using LianApi.Notifications;

namespace LianApi.Account;

/// <summary>Who the caller is now, for a "我的" screen: the same identity a login answers, read again, and the subscribe credits.</summary>
public sealed record MeResponse(
    [property: Description("Our user id; the WeChat openid never leaves the server")] long Id,
    [property: OpenApiEnum(Roles.Resident, "community", "street", "department", "dispatcher", "admin", "volunteer")]
    [property: Description("resident, plus the staff role of an active bound staff account — as it is now, which a token issued earlier may not say")] IReadOnlyList<string> Roles,
    [property: Description("The staff account (name, role, level, unit) when the user is active staff now; null otherwise")] LoginStaff? Staff,
    [property: Description("Messages per subscribe template we may still send (one per accept): what to offer again with wx.requestSubscribeMessage")] IReadOnlyList<ConsentCredit> Credits);
