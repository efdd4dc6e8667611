using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using LianApi.Data;

namespace LianApi.Photos;

public static class Moderation
{
    public const string Pending = "pending";
    public const string Pass = "pass";
    public const string Review = "review";
    public const string Risky = "risky";
}

/// <summary>What a photo is attached as: the resident's report, a resolution (办结照片) or a reply.</summary>
public static class PhotoPurposes
{
    public const string Report = "report";
    public const string Resolution = "resolution";
    public const string Reply = "reply";
}

/// <summary>One stored photo without its bytes: who owns it, where it is attached, what it looks like.</summary>
public sealed record PhotoRow
{
    public string Id { get; init; } = "";
    public long OwnerUserId { get; init; }
    public long? ComplaintId { get; init; }
    public string? Purpose { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public string ContentHash { get; init; } = "";
    public int ByteCount { get; init; }
    public string ThumbnailHash { get; init; } = "";
    public int ThumbnailByteCount { get; init; }
    public string Moderation { get; init; } = "";
    public DateTime CreatedAt { get; init; }
}

/// <summary>The uploader has reached the hourly upload limit; nothing of the refused upload was stored.</summary>
public sealed class PhotoUploadLimitException(TimeSpan retryAfter) : Exception("The user's photo upload limit is reached.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>A photo id that may not be attached (not the caller's, attached already, too old, or unknown); the transaction rolls back.</summary>
public sealed class PhotoNotAttachableException(string photoId) : Exception($"Photo {photoId} cannot be attached.")
{
    public string PhotoId { get; } = photoId;
}

/// <summary>The one owner of the Photos table: bytes, thumbnail, hashes, owner, attachment and moderation state.</summary>
public sealed class PhotoStore(Database db)
{
    /// <summary>An unattached photo can be attached this long after its upload; the sweep deletes it afterwards.</summary>
    public static readonly TimeSpan AttachWindow = TimeSpan.FromHours(24);

    public static readonly TimeSpan UploadWindow = TimeSpan.FromHours(1);

    /// <summary>128 random bits as 32 hex digits: not guessable from any other id.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private const string SelectRecentUploads = """
        SELECT CreatedAt FROM Photos WHERE OwnerUserId = @OwnerUserId AND CreatedAt > @Since ORDER BY CreatedAt
        """;

    /// <summary>Null when one more upload fits the hourly limit; otherwise how long until it does. Read before the costly decode.</summary>
    public async Task<TimeSpan?> WaitBeforeUploadAsync(long userId, int perHour, DateTime now, CancellationToken ct) =>
        Wait(await db.ReadAsync(async c => (await c.QueryAsync<DateTime>(new CommandDefinition(SelectRecentUploads,
            new { OwnerUserId = userId, Since = now - UploadWindow }, cancellationToken: ct))).AsList(), ct), perHour, now);

    private static TimeSpan? Wait(List<DateTime> times, int perHour, DateTime now) =>
        times.Count >= perHour ? times[times.Count - perHour] + UploadWindow - now : null;

    private const string InsertPhoto = """
        INSERT INTO Photos (Id, OwnerUserId, ComplaintId, Purpose, Width, Height, ContentHash, ByteCount, Bytes, ThumbnailHash,
            ThumbnailByteCount, Thumbnail, Moderation, CreatedAt, AttachedAt)
        VALUES (@Id, @OwnerUserId, NULL, NULL, @Width, @Height, @ContentHash, @ByteCount, @Bytes, @ThumbnailHash,
            @ThumbnailByteCount, @Thumbnail, @Moderation, @CreatedAt, NULL)
        """;

    /// <summary>Stores a cleaned photo, unattached and pending moderation, if the hourly limit (counted again here, exactly) allows it.</summary>
    public Task<PhotoRow> InsertAsync(long userId, CleanPhoto photo, int perHour, DateTime now, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var times = (await c.QueryAsync<DateTime>(new CommandDefinition(SelectRecentUploads,
                new { OwnerUserId = userId, Since = now - UploadWindow }, tx, cancellationToken: ct))).AsList();
            if (Wait(times, perHour, now) is { } wait)
            {
                throw new PhotoUploadLimitException(wait);
            }
            var row = new PhotoRow
            {
                Id = NewId(), OwnerUserId = userId, Width = photo.Width, Height = photo.Height, ContentHash = photo.ContentHash,
                ByteCount = photo.Bytes.Length, ThumbnailHash = photo.ThumbnailHash, ThumbnailByteCount = photo.Thumbnail.Length,
                Moderation = Moderation.Pending, CreatedAt = now,
            };
            await c.ExecuteAsync(new CommandDefinition(InsertPhoto, new
            {
                row.Id, row.OwnerUserId, row.Width, row.Height, row.ContentHash, row.ByteCount, photo.Bytes, row.ThumbnailHash,
                row.ThumbnailByteCount, photo.Thumbnail, row.Moderation, row.CreatedAt,
            }, tx, cancellationToken: ct));
            return row;
        }, ct);

    private const string SelectPhoto = """
        SELECT Id, OwnerUserId, ComplaintId, Purpose, Width, Height, ContentHash, ByteCount, ThumbnailHash, ThumbnailByteCount, Moderation, CreatedAt
        FROM Photos WHERE Id = @Id
        """;

    public Task<PhotoRow?> FindAsync(string id, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<PhotoRow>(new CommandDefinition(SelectPhoto, new { Id = id }, cancellationToken: ct)), ct);

    private const string SelectBytes = "SELECT Bytes FROM Photos WHERE Id = @Id";

    private const string SelectThumbnail = "SELECT Thumbnail FROM Photos WHERE Id = @Id";

    /// <summary>
    /// Copies the photo (or its thumbnail) to <paramref name="destination"/> as it comes off the connection: with
    /// SequentialAccess SQL Server streams the value instead of buffering the row, so a photo is never held twice.
    /// </summary>
    public Task<bool> CopyToAsync(string id, bool thumbnail, Stream destination, CancellationToken ct) =>
        db.ReadAsync(async c =>
        {
            await using var command = c.CreateCommand();
            command.CommandText = thumbnail ? SelectThumbnail : SelectBytes;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@Id";
            parameter.Value = id;
            command.Parameters.Add(parameter);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, ct);
            if (!await reader.ReadAsync(ct))
            {
                return false;
            }
            await using var bytes = reader.GetStream(0);
            try
            {
                await bytes.CopyToAsync(destination, ct);
            }
            catch (DbException e)
            {
                // Part of the photo may be on its way to the client: running the read again would send it twice.
                throw new PhotoStreamInterruptedException(e);
            }
            return true;
        }, ct);

    private const string AttachPhoto = """
        UPDATE Photos SET ComplaintId = @ComplaintId, Purpose = @Purpose, AttachedAt = @Now
        WHERE Id = @Id AND OwnerUserId = @OwnerUserId AND ComplaintId IS NULL AND CreatedAt > @Since
        """;

    /// <summary>
    /// Attaches the photos to the case in the caller's transaction: each must be the owner's, unattached and younger
    /// than <see cref="AttachWindow"/>, or <see cref="PhotoNotAttachableException"/> names the first that is not.
    /// </summary>
    public async Task AttachAsync(DbConnection c, DbTransaction tx, IReadOnlyList<string> ids, long ownerUserId, long complaintId,
        string purpose, DateTime now, CancellationToken ct)
    {
        foreach (var id in ids)
        {
            var attached = await c.ExecuteScalarAsync<int>(new CommandDefinition(AttachPhoto + ";\n" + db.Dialect.SelectRowsAffected, new
            {
                Id = id, OwnerUserId = ownerUserId, ComplaintId = complaintId, Purpose = purpose, Now = now, Since = now - AttachWindow,
            }, tx, cancellationToken: ct));
            if (attached != 1)
            {
                throw new PhotoNotAttachableException(id);
            }
        }
    }

    public const int SweepBatch = 200;

    /// <summary>Deletes photos never attached within <see cref="AttachWindow"/>, in short batches; returns how many.</summary>
    public async Task<int> DeleteUnattachedAsync(DateTime now, CancellationToken ct)
    {
        var sql = db.Dialect.DeleteAtMost("Photos", ["Id"], "ComplaintId IS NULL AND CreatedAt < @Before") + ";\n" + db.Dialect.SelectRowsAffected;
        int deleted, total = 0;
        do
        {
            deleted = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<int>(new CommandDefinition(sql,
                new { Before = now - AttachWindow, Limit = SweepBatch }, tx, cancellationToken: ct)), ct);
            total += deleted;
        }
        while (deleted == SweepBatch);
        return total;
    }

    private const string UpdateModeration = "UPDATE Photos SET Moderation = @Moderation WHERE Id = @Id";

    /// <summary>Records the content-safety verdict (pending, pass, review, risky).</summary>
    public Task SetModerationAsync(string id, string moderation, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(UpdateModeration, new { Id = id, Moderation = moderation }, tx, cancellationToken: ct)), ct);
}

/// <summary>The database failed while a photo was being sent; the answer cannot be repaired, only cut off.</summary>
public sealed class PhotoStreamInterruptedException(Exception inner) : Exception("The photo stream broke off.", inner);
