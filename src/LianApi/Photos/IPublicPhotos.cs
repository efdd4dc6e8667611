namespace LianApi.Photos;

/// <summary>Whether a photo is still on the public side (its case consented, not withdrawn, resolved): answered by the PublicWall feature.</summary>
public interface IPublicPhotos
{
    Task<bool> IsPublicAsync(string photoId, CancellationToken ct);
}
