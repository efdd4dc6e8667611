using System.Data.Common;
using System.Security.Claims;
using LianApi.Auth;
using LianApi.Photos;
using LianApi.Staff;

namespace LianApi.Complaints;

/// <summary>
/// The photos of a case are seen by whoever may see the case now: the resident who reported it, and active staff whose
/// scope holds it (the dispatch center always). Everyone else is told the photo does not exist.
/// </summary>
internal sealed class ComplaintPhotoAccess(ComplaintStore complaints, StaffStore staff) : IPhotoAccess
{
    public async Task<PhotoViewer> CheckAsync(long complaintId, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await complaints.FindByIdAsync(complaintId, ct) is not { } complaint)
        {
            return PhotoViewer.None;
        }
        var userId = user.UserId();
        var member = await staff.FindActiveByUserAsync(userId, ct);
        if (member is not null && ComplaintMachine.CanSee(member, complaint))
        {
            return member.SeesEverything ? PhotoViewer.DispatchCenter : PhotoViewer.Viewer;
        }
        return complaint.UserId == userId ? PhotoViewer.Viewer : PhotoViewer.None;
    }
}

/// <summary>
/// A photo's check arriving after the photo joined its case (WeChat's review or risky, or no verdict within the hour)
/// flags the case for the dispatch center, with an internal content_checked step.
/// </summary>
internal sealed class ComplaintPhotoFlags(ComplaintStore complaints) : IPhotoCaseFlags
{
    public Task FlagAsync(DbConnection c, DbTransaction tx, long complaintId, PhotoCheckFlag flag, DateTime now, CancellationToken ct) =>
        complaints.FlagForPhotoAsync(c, tx, complaintId, flag, now, bumpVersion: true, ct);
}
