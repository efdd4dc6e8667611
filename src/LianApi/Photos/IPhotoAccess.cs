using System.Security.Claims;

namespace LianApi.Photos;

/// <summary>Who may see the photos of a case: its resident, and staff who may see the case now. Answered by the Complaints feature.</summary>
public interface IPhotoAccess
{
    Task<PhotoViewer> CheckAsync(long complaintId, ClaimsPrincipal user, CancellationToken ct);
}
