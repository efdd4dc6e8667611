using LianApi.Calendar;
using LianApi.Communities;
using LianApi.Photos;
using LianApi.Staff;

namespace LianApi.Complaints;

/// <summary>What a staff action needs besides the request and the caller, bound as one parameter (eShop's CatalogServices).</summary>
public sealed record StaffActionServices(
    ComplaintStore Complaints, CommunityStore Org, StaffStore StaffStore, CalendarStore Calendars, PhotoLinks Links, TimeProvider Time);
