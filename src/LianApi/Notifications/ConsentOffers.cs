using LianApi.Staff;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications;

/// <summary>
/// The templates a user is offered (GET /api/notifications/templates): the resident events' to everyone, the staff
/// events' to active staff only, read from the database like every staff check. An accept counts for these only, from
/// the client or from WeChat's push: a resident collects nothing for the inbox template.
/// </summary>
public sealed class ConsentOffers(StaffStore staff, IOptionsMonitor<NotificationOptions> options)
{
    public async Task<IReadOnlySet<string>> ForUserAsync(long userId, CancellationToken ct)
    {
        var isStaff = await staff.FindActiveByUserAsync(userId, ct) is not null;
        var o = options.CurrentValue;
        return NotificationEvents.All
            .Where(e => isStaff || !NotificationEvents.Staff.Contains(e))
            .Select(e => o.TemplateFor(e)?.TemplateId)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
    }
}
