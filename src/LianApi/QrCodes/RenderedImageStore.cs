using Dapper;
using LianApi.Data;
using Microsoft.Net.Http.Headers;

namespace LianApi.QrCodes;

/// <summary>
/// Which image of which community (<paramref name="Variant"/>: kind, format, preset) and the key of everything its
/// bytes depend on. The key is the ETag: a client's copy is current exactly when it carries the key of today's inputs.
/// </summary>
public sealed record ImageSpec(long CommunityId, string Variant, string Key, string ContentType)
{
    public EntityTagHeaderValue ETag => new($"\"{Key}\"");
}

/// <summary>One drawn image per community and variant, with the key of the inputs it was drawn from.</summary>
public sealed class RenderedImageStore(Database db)
{
    private const string SelectImage = """
        SELECT Bytes FROM RenderedImages WHERE CommunityId = @CommunityId AND Variant = @Variant AND RenderKey = @RenderKey
        """;

    /// <summary>The stored bytes, or null when this variant was never drawn or was drawn from other inputs.</summary>
    public Task<byte[]?> FindAsync(ImageSpec image, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition(SelectImage,
            new { image.CommunityId, image.Variant, RenderKey = image.Key }, cancellationToken: ct)), ct);

    /// <summary>Replaces the community's earlier drawing of this variant: an image of outdated inputs is never kept.</summary>
    public Task SaveAsync(ImageSpec image, byte[] bytes, DateTime now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            db.Dialect.Upsert("RenderedImages", ["CommunityId", "Variant"], ["RenderKey", "Bytes", "CreatedAt"]),
            new { image.CommunityId, image.Variant, RenderKey = image.Key, Bytes = bytes, CreatedAt = now }, tx, cancellationToken: ct)), ct);
}
