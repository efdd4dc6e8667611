using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using LianApi.Data;
using LianApi.Shared;
using LianApi.Wechat;

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
    /// <summary>WeChat's trace_id for the image check, once the photo was submitted.</summary>
    public string? MediaTraceId { get; init; }
}

/// <summary>
/// What a photo's check means for the case it is attached to: WeChat's review or risky (the case's contentReview), or
/// no verdict at all (contentUnchecked: still pending after an hour, or WeChat could not judge it); the note is the
/// case's internal timeline step.
/// </summary>
public sealed record PhotoCheckFlag(string PhotoId, bool Review, string Note)
{
    public static PhotoCheckFlag Verdict(string photoId, string moderation, string? label, string? traceId) => new(photoId, true, moderation == Moderation.Risky
        ? $"微信图片安全检测：照片 {photoId[..8]} 违规，仅调度中心可见（label {label ?? "-"}，trace_id {traceId ?? "-"}）"
        : $"微信图片安全检测：照片 {photoId[..8]} 疑似违规，待人工复核（label {label ?? "-"}，trace_id {traceId ?? "-"}）");

    public static PhotoCheckFlag Unchecked(string photoId, string reason) =>
        new(photoId, false, $"微信图片安全检测未完成，照片 {photoId[..8]} 待人工复核：{reason}");
}

/// <summary>
/// Flags the case a photo is attached to, in the caller's transaction, so the photo's state and the case's flag change
/// together. Answered by the Complaints feature.
/// </summary>
public interface IPhotoCaseFlags
{
    Task FlagAsync(DbConnection c, DbTransaction tx, long complaintId, PhotoCheckFlag flag, DateTime now, CancellationToken ct);
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

    // A user's uploads in the window: the photos stored and the uploads refused (each held the decoder as long).
    private const string SelectRecentUploads = """
        SELECT CreatedAt FROM Photos WHERE OwnerUserId = @OwnerUserId AND CreatedAt > @Since;
        SELECT RefusedAt FROM PhotoRefusals WHERE UserId = @OwnerUserId AND RefusedAt > @Since;
        """;

    private const string SelectRecentRefusalsFromAddress = """
        SELECT RefusedAt FROM PhotoRefusals WHERE ClientAddress = @ClientAddress AND RefusedAt > @Since;
        """;

    /// <summary>
    /// Null when one more upload fits the user's hourly limit (stored and refused uploads) and the client address's
    /// limit of refused uploads; otherwise how long until it does, and whether the address is what is over. Read before
    /// the upload is checked or decoded.
    /// </summary>
    public Task<(TimeSpan Wait, bool ForAddress)?> WaitBeforeUploadAsync(long userId, string clientAddress, int perHour, int refusalsPerAddress,
        DateTime now, CancellationToken ct) =>
        db.ReadAsync<(TimeSpan, bool)?>(async c =>
        {
            await using var grid = await c.QueryMultipleAsync(new CommandDefinition(SelectRecentUploads + SelectRecentRefusalsFromAddress,
                new { OwnerUserId = userId, ClientAddress = clientAddress, Since = now - UploadWindow }, cancellationToken: ct));
            var byUser = (await grid.ReadAsync<DateTime>()).Concat(await grid.ReadAsync<DateTime>());
            var byAddress = await grid.ReadAsync<DateTime>();
            return SlidingWindow.Wait(byAddress, refusalsPerAddress, UploadWindow, now) is { } addressWait ? (addressWait, true)
                : SlidingWindow.Wait(byUser, perHour, UploadWindow, now) is { } userWait ? (userWait, false)
                : null;
        }, ct);

    private const string InsertRefusal = """
        INSERT INTO PhotoRefusals (UserId, ClientAddress, RefusedAt) VALUES (@UserId, @ClientAddress, @RefusedAt)
        """;

    /// <summary>An upload refused after it was let in: it counts against the user's and the address's limits.</summary>
    public Task RecordRefusalAsync(long userId, string clientAddress, DateTime now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(InsertRefusal,
            new { UserId = userId, ClientAddress = clientAddress, RefusedAt = now }, tx, cancellationToken: ct)), ct);

    private const string InsertPhoto = """
        INSERT INTO Photos (Id, OwnerUserId, ComplaintId, Purpose, Width, Height, ContentHash, ByteCount, Bytes, ThumbnailHash,
            ThumbnailByteCount, Thumbnail, Moderation, CreatedAt, AttachedAt)
        VALUES (@Id, @OwnerUserId, NULL, NULL, @Width, @Height, @ContentHash, @ByteCount, @Bytes, @ThumbnailHash,
            @ThumbnailByteCount, @Thumbnail, @Moderation, @CreatedAt, NULL)
        """;

    /// <summary>
    /// Stores a cleaned photo, unattached and pending moderation, if the user's hourly limit (counted again here, exactly) allows
    /// it, with the job that submits it to WeChat's image check in the same transaction: a crash after the upload's
    /// answer cannot skip the check. <paramref name="fileName"/> is the upload's name (only the emulator reads it).
    /// </summary>
    public Task<PhotoRow> InsertAsync(long userId, CleanPhoto photo, int perHour, DateTime now, CancellationToken ct, string? fileName = null) =>
        db.WriteAsync(async (c, tx) =>
        {
            await using (var grid = await c.QueryMultipleAsync(new CommandDefinition(SelectRecentUploads,
                new { OwnerUserId = userId, Since = now - UploadWindow }, tx, cancellationToken: ct)))
            {
                if (SlidingWindow.Wait((await grid.ReadAsync<DateTime>()).Concat(await grid.ReadAsync<DateTime>()), perHour, UploadWindow, now) is { } wait)
                {
                    throw new PhotoUploadLimitException(wait);
                }
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
            await WechatJobStore.EnqueueAsync(c, tx, PhotoCheckJob.For(row.Id, fileName, now), now, ct);
            return row;
        }, ct);

    private const string SelectPhoto = """
        SELECT Id, OwnerUserId, ComplaintId, Purpose, Width, Height, ContentHash, ByteCount, ThumbnailHash, ThumbnailByteCount, Moderation, CreatedAt,
            MediaTraceId
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

    private const string SelectCaseFlags = """
        SELECT Id, Moderation, ModerationLabel, MediaTraceId FROM Photos
        WHERE Id = @Id AND (Moderation IN ('review', 'risky') OR (Moderation = 'pending' AND UncheckedAt IS NOT NULL))
        """;

    private sealed record CheckState
    {
        public string Id { get; init; } = "";
        public string Moderation { get; init; } = "";
        public string? ModerationLabel { get; init; }
        public string? MediaTraceId { get; init; }
    }

    /// <summary>
    /// Attaches the photos to the case in the caller's transaction: each must be the owner's, unattached and younger
    /// than <see cref="AttachWindow"/>, or <see cref="PhotoNotAttachableException"/> names the first that is not.
    /// Answers what the photos' checks mean for the case (a verdict or a missed check that came before the attaching),
    /// for the caller to flag it in the same transaction.
    /// </summary>
    public async Task<IReadOnlyList<PhotoCheckFlag>> AttachAsync(DbConnection c, DbTransaction tx, IReadOnlyList<string> ids, long ownerUserId, long complaintId,
        string purpose, DateTime now, CancellationToken ct)
    {
        var flags = new List<PhotoCheckFlag>();
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
            if (await c.QuerySingleOrDefaultAsync<CheckState>(new CommandDefinition(SelectCaseFlags, new { Id = id }, tx, cancellationToken: ct)) is { } state)
            {
                flags.Add(state.Moderation == Moderation.Pending
                    ? PhotoCheckFlag.Unchecked(state.Id, "照片未得到微信的检测结果")
                    : PhotoCheckFlag.Verdict(state.Id, state.Moderation, state.ModerationLabel, state.MediaTraceId));
            }
        }
        return flags;
    }

    public const int SweepBatch = 200;

    /// <summary>Deletes photos never attached within <see cref="AttachWindow"/>, in short batches; returns how many.</summary>
    public Task<int> DeleteUnattachedAsync(DateTime now, CancellationToken ct) =>
        DeleteInBatchesAsync("Photos", "ComplaintId IS NULL AND CreatedAt < @Before", now - AttachWindow, ct);

    /// <summary>Deletes the refusals older than the hour they count in; returns how many.</summary>
    public Task<int> DeleteExpiredRefusalsAsync(DateTime now, CancellationToken ct) =>
        DeleteInBatchesAsync("PhotoRefusals", "RefusedAt < @Before", now - UploadWindow, ct);

    private async Task<int> DeleteInBatchesAsync(string table, string where, DateTime before, CancellationToken ct)
    {
        var sql = db.Dialect.DeleteAtMost(table, ["Id"], where) + ";\n" + db.Dialect.SelectRowsAffected;
        int deleted, total = 0;
        do
        {
            deleted = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<int>(new CommandDefinition(sql,
                new { Before = before, Limit = SweepBatch }, tx, cancellationToken: ct)), ct);
            total += deleted;
        }
        while (deleted == SweepBatch);
        return total;
    }

    private const string SelectRisky = "SELECT Id FROM Photos WHERE Id IN @Ids AND Moderation = @Risky";

    /// <summary>Which of these photos WeChat's check found risky: shown to the dispatch center only.</summary>
    public async Task<IReadOnlySet<string>> RiskyAmongAsync(IReadOnlyCollection<string> ids, CancellationToken ct) =>
        ids.Count == 0 ? new HashSet<string>() : (await db.ReadAsync(c => c.QueryAsync<string>(new CommandDefinition(SelectRisky,
            new { Ids = ids.ToArray(), Risky = Moderation.Risky }, cancellationToken: ct)), ct)).ToHashSet(StringComparer.Ordinal);

    private const string UpdateModeration = "UPDATE Photos SET Moderation = @Moderation WHERE Id = @Id";

    /// <summary>Sets the content-safety state directly (pending, pass, review, risky), without flagging a case: for tests and ops tools.</summary>
    public Task SetModerationAsync(string id, string moderation, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(UpdateModeration, new { Id = id, Moderation = moderation }, tx, cancellationToken: ct)), ct);

    private const string RecordSubmission = """
        UPDATE Photos SET MediaTraceId = @TraceId, MediaSubmittedAt = @Now WHERE Id = @Id AND MediaTraceId IS NULL
        """;

    /// <summary>Records the trace_id WeChat answered for the photo's check (the result push names it).</summary>
    public Task RecordSubmissionAsync(string id, string traceId, DateTime now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(RecordSubmission, new { Id = id, TraceId = traceId, Now = now }, tx, cancellationToken: ct)), ct);

    private const string SelectByTraceId = "SELECT Id, ComplaintId FROM Photos WHERE MediaTraceId = @TraceId";

    private const string UpdateVerdict = """
        UPDATE Photos SET Moderation = @Moderation, ModerationLabel = @Label, ModeratedAt = @Now
        WHERE Id = @Id AND ModeratedAt IS NULL
        """;

    private sealed record TracedPhoto
    {
        public string Id { get; init; } = "";
        public long? ComplaintId { get; init; }
    }

    /// <summary>What applying a check's result did.</summary>
    public enum VerdictOutcome
    {
        Applied,
        AppliedBefore,
        UnknownTrace,
    }

    /// <summary>
    /// Applies WeChat's verdict (pass, review, risky) to the photo it submitted under <paramref name="traceId"/>, once:
    /// a second push of the same result changes nothing. Review and risky flag the photo's case in the same transaction.
    /// </summary>
    public Task<VerdictOutcome> ApplyVerdictAsync(string traceId, string moderation, string? label, DateTime now, IPhotoCaseFlags cases, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var photo = await c.QuerySingleOrDefaultAsync<TracedPhoto>(new CommandDefinition(SelectByTraceId, new { TraceId = traceId }, tx, cancellationToken: ct));
            if (photo is null)
            {
                return VerdictOutcome.UnknownTrace;
            }
            var updated = await c.ExecuteScalarAsync<int>(new CommandDefinition(UpdateVerdict + ";\n" + db.Dialect.SelectRowsAffected,
                new { photo.Id, Moderation = moderation, Label = label is { Length: > 20 } ? label[..20] : label, Now = now }, tx, cancellationToken: ct));
            if (updated == 0)
            {
                return VerdictOutcome.AppliedBefore;
            }
            if (photo.ComplaintId is { } complaintId && moderation is Moderation.Review or Moderation.Risky)
            {
                await cases.FlagAsync(c, tx, complaintId, PhotoCheckFlag.Verdict(photo.Id, moderation, label, traceId), now, ct);
            }
            return VerdictOutcome.Applied;
        }, ct);

    /// <summary>The photo WeChat's trace_id names, if we submitted it.</summary>
    public Task<string?> FindByTraceIdAsync(string traceId, CancellationToken ct) =>
        db.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<TracedPhoto>(new CommandDefinition(SelectByTraceId, new { TraceId = traceId }, cancellationToken: ct)))?.Id, ct);

    private const string SelectUnflagged = "SELECT Id, ComplaintId FROM Photos WHERE Id = @Id";

    private const string UpdateUnchecked = """
        UPDATE Photos SET UncheckedAt = @Now WHERE Id = @Id AND Moderation = 'pending' AND UncheckedAt IS NULL
        """;

    /// <summary>
    /// Flags a photo that got no verdict for a person to look at (it stays pending: shown to its owner and staff), and
    /// its case (contentUnchecked), once; false when it has a verdict or was flagged already.
    /// </summary>
    public Task<bool> MarkUncheckedAsync(string id, string reason, DateTime now, IPhotoCaseFlags cases, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var updated = await c.ExecuteScalarAsync<int>(new CommandDefinition(UpdateUnchecked + ";\n" + db.Dialect.SelectRowsAffected,
                new { Id = id, Now = now }, tx, cancellationToken: ct));
            if (updated == 0)
            {
                return false;
            }
            var photo = await c.QuerySingleAsync<TracedPhoto>(new CommandDefinition(SelectUnflagged, new { Id = id }, tx, cancellationToken: ct));
            if (photo.ComplaintId is { } complaintId)
            {
                await cases.FlagAsync(c, tx, complaintId, PhotoCheckFlag.Unchecked(id, reason), now, ct);
            }
            return true;
        }, ct);

    /// <summary>A photo is expected to have WeChat's verdict this long after its upload (WeChat answers within 30 minutes).</summary>
    public static readonly TimeSpan CheckWindow = TimeSpan.FromHours(1);

    private const string SelectOverdueChecks = """
        SELECT Id FROM Photos WHERE Moderation = 'pending' AND UncheckedAt IS NULL AND CreatedAt < @Before
        ORDER BY CreatedAt
        """;

    /// <summary>Photos still pending <see cref="CheckWindow"/> after their upload and not flagged yet, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ListOverdueChecksAsync(DateTime now, int limit, CancellationToken ct) =>
        await db.ReadAsync(async c => (await c.QueryAsync<string>(new CommandDefinition(SelectOverdueChecks + "\n" + db.Dialect.LimitRows,
            new { Before = now - CheckWindow, Limit = limit }, cancellationToken: ct))).AsList(), ct);
}

/// <summary>The database failed while a photo was being sent; the answer cannot be repaired, only cut off.</summary>
public sealed class PhotoStreamInterruptedException(Exception inner) : Exception("The photo stream broke off.", inner);
