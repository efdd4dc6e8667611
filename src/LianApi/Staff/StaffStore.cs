using LianApi.Auth;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using LianApi.Data;

namespace LianApi.Staff;

public sealed record NewStaff(string Name, string Role, string UnitLevel, long? UnitId, string UnitName, long? GridId, string? WecomUserId = null);

/// <summary>How setting a WeCom user id ended.</summary>
public enum WecomMapping { Set, NoSuchStaff, TakenByAnother }

public sealed record StaffBindingCode(long StaffId, string Code, DateTime ExpiresAt);

/// <summary>An account as <c>staff list</c> shows it: with its grid's code, which ops typed and will look for.</summary>
public sealed record StaffListing
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string UnitName { get; init; } = "";
    public string? GridCode { get; init; }
    public long? UserId { get; init; }
    public bool IsActive { get; init; }
    public string? WecomUserId { get; init; }
}

/// <summary>Staff accounts. A binding code is shown once, stored only as a hash, and works once before it expires.</summary>
public sealed class StaffStore(Database db)
{
    /// <summary>Staff.Name: nvarchar(50) on SQL Server; checked before writing, since SQLite would store anything.</summary>
    public const int MaxNameLength = 50;

    public static readonly TimeSpan BindingCodeLifetime = TimeSpan.FromHours(72);

    /// <summary>The longest a printed binding sheet may stay valid: it travels through street and community offices first.</summary>
    public static readonly TimeSpan MaxBindingCodeLifetime = TimeSpan.FromDays(30);

    // No 0/O or 1/I/L: codes are read aloud and typed on phones.
    private const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    private const string InsertStaff = """
        INSERT INTO Staff (Name, Role, UnitLevel, UnitId, UnitName, GridId, BindingCodeHash, BindingCodeExpiresAt, IsActive, CreatedAt, WecomUserId)
        VALUES (@Name, @Role, @UnitLevel, @UnitId, @UnitName, @GridId, @BindingCodeHash, @BindingCodeExpiresAt, @IsActive, @CreatedAt, @WecomUserId);
        """;

    public async Task<StaffBindingCode> AddAsync(NewStaff staff, DateTime now, CancellationToken ct) =>
        (await AddManyAsync([staff], now, BindingCodeLifetime, ct))[0];

    /// <summary>Creates the accounts in one transaction (a bulk import lands whole or not at all), each with its own code.</summary>
    public Task<IReadOnlyList<StaffBindingCode>> AddManyAsync(IReadOnlyList<NewStaff> staff, DateTime now, TimeSpan codeLifetime, CancellationToken ct)
    {
        var expires = now + codeLifetime;
        return db.WriteAsync<IReadOnlyList<StaffBindingCode>>(async (c, tx) =>
        {
            var codes = new List<StaffBindingCode>(staff.Count);
            foreach (var member in staff)
            {
                var code = NewCode();
                var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertStaff + db.Dialect.SelectInsertedId, new
                {
                    member.Name, member.Role, member.UnitLevel, member.UnitId, member.UnitName, member.GridId, member.WecomUserId,
                    BindingCodeHash = Hash(code), BindingCodeExpiresAt = expires, IsActive = true, CreatedAt = now,
                }, tx, cancellationToken: ct));
                codes.Add(new StaffBindingCode(id, code, expires));
            }
            return codes;
        }, ct);
    }

    private const string RenewCode = """
        UPDATE Staff SET BindingCodeHash = @BindingCodeHash, BindingCodeExpiresAt = @BindingCodeExpiresAt, UserId = NULL
        WHERE Id = @Id AND IsActive = @True
        """;

    private const string RenewUnboundCode = """
        UPDATE Staff SET BindingCodeHash = @BindingCodeHash, BindingCodeExpiresAt = @BindingCodeExpiresAt
        WHERE Id = @Id AND IsActive = @True AND UserId IS NULL
        """;

    /// <summary>
    /// A new code for an active account nobody has bound yet (its old code lost or expired); null when the account is
    /// inactive or bound meanwhile, which keeps its binding.
    /// </summary>
    public Task<StaffBindingCode?> RenewUnboundCodeAsync(long staffId, DateTime now, CancellationToken ct) => RenewAsync(RenewUnboundCode, staffId, now, ct);

    /// <summary>A new code for a staff member who changed phones; it unbinds the old WeChat account.</summary>
    public Task<StaffBindingCode?> RenewCodeAsync(long staffId, DateTime now, CancellationToken ct) => RenewAsync(RenewCode, staffId, now, ct);

    private async Task<StaffBindingCode?> RenewAsync(string renew, long staffId, DateTime now, CancellationToken ct)
    {
        var code = NewCode();
        var expires = now + BindingCodeLifetime;
        var updated = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<int>(new CommandDefinition(renew + ";\n" + db.Dialect.SelectRowsAffected,
            new { Id = staffId, BindingCodeHash = Hash(code), BindingCodeExpiresAt = expires, True = true }, tx, cancellationToken: ct)), ct);
        return updated == 1 ? new StaffBindingCode(staffId, code, expires) : null;
    }

    private const string SelectBindFailures = """
        SELECT FailedAt FROM StaffBindFailures WHERE UserId = @UserId AND FailedAt > @Since;
        SELECT FailedAt FROM StaffBindFailures WHERE ClientAddress = @ClientAddress AND FailedAt > @Since;
        """;

    /// <summary>Wrong codes this user, and this client address, sent since <paramref name="since"/> (times, any order).</summary>
    public Task<(IReadOnlyList<DateTime> ByUser, IReadOnlyList<DateTime> ByAddress)> RecentBindFailuresAsync(
        long userId, string clientAddress, DateTime since, CancellationToken ct) =>
        db.ReadAsync<(IReadOnlyList<DateTime>, IReadOnlyList<DateTime>)>(async c =>
        {
            await using var grid = await c.QueryMultipleAsync(new CommandDefinition(SelectBindFailures,
                new { UserId = userId, ClientAddress = clientAddress, Since = since }, cancellationToken: ct));
            return ((await grid.ReadAsync<DateTime>()).AsList(), (await grid.ReadAsync<DateTime>()).AsList());
        }, ct);

    private const string InsertBindFailure = """
        INSERT INTO StaffBindFailures (UserId, ClientAddress, FailedAt) VALUES (@UserId, @ClientAddress, @FailedAt)
        """;

    public Task RecordBindFailureAsync(long userId, string clientAddress, DateTime now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(InsertBindFailure,
            new { UserId = userId, ClientAddress = clientAddress, FailedAt = now }, tx, cancellationToken: ct)), ct);

    private const string Bind = """
        UPDATE Staff SET UserId = @UserId, BindingCodeHash = NULL, BindingCodeExpiresAt = NULL
        WHERE BindingCodeHash = @BindingCodeHash AND BindingCodeExpiresAt > @Now AND IsActive = @True
        """;

    // Not "BindAsync": minimal APIs would take a method of that name for a parameter binder.
    /// <summary>Binds the code's staff account to a WeChat user; false when the code is unknown, used or expired.</summary>
    public async Task<bool> BindToUserAsync(string code, long userId, DateTime now, CancellationToken ct) =>
        await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<int>(new CommandDefinition(Bind + ";\n" + db.Dialect.SelectRowsAffected,
            new { UserId = userId, BindingCodeHash = Hash(code), Now = now, True = true }, tx, cancellationToken: ct)), ct) == 1;

    private const string SelectActiveByUser = """
        SELECT Id, Name, Role, UnitLevel, UnitId, UnitName, GridId, UserId, IsActive FROM Staff
        WHERE UserId = @UserId AND IsActive = @True
        """;

    /// <summary>Read on every staff request, so a deactivation takes effect at once, not when a token expires.</summary>
    public Task<StaffMember?> FindActiveByUserAsync(long userId, CancellationToken ct) =>
        db.ReadAsync(c => c.QuerySingleOrDefaultAsync<StaffMember>(new CommandDefinition(SelectActiveByUser, new { UserId = userId, True = true }, cancellationToken: ct)), ct);

    private const string SelectGridWorkers = """
        SELECT Id, Name, Role, UnitLevel, UnitId, UnitName, GridId, UserId, IsActive FROM Staff
        WHERE Role = @Role AND UnitId = @UnitId AND GridId IS NOT NULL AND IsActive = @True
        ORDER BY Id
        """;

    /// <summary>A community's active grid workers (网格员): the staff a case can be assigned to.</summary>
    public Task<IReadOnlyList<StaffMember>> ListGridWorkersAsync(long communityId, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<StaffMember>>(async c => (await c.QueryAsync<StaffMember>(new CommandDefinition(SelectGridWorkers,
            new { Role = StaffRoles.Community, UnitId = communityId, True = true }, cancellationToken: ct))).AsList(), ct);

    /// <summary>
    /// A WeCom user id as WeCom's admin sets it (成员账号): 1 to 64 letters, digits and _ - . @. Case does not matter to WeCom,
    /// so it is kept as given and compared as stored.
    /// </summary>
    public static bool IsWecomUserId(string? value) =>
        value is { Length: >= 1 and <= 64 } && value.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '.' or '@');

    private const string SetWecomUserId = "UPDATE Staff SET WecomUserId = @WecomUserId WHERE Id = @Id";

    /// <summary>Maps (or, with null, unmaps) one staff member to their WeCom user id; one id belongs to one person.</summary>
    public async Task<WecomMapping> SetWecomUserIdAsync(long staffId, string? wecomUserId, CancellationToken ct)
    {
        try
        {
            var changed = await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<int>(new CommandDefinition(SetWecomUserId + ";\n" + db.Dialect.SelectRowsAffected,
                new { Id = staffId, WecomUserId = wecomUserId }, tx, cancellationToken: ct)), ct);
            return changed == 1 ? WecomMapping.Set : WecomMapping.NoSuchStaff;
        }
        catch (Exception e) when (DuplicateKey.Is(e))
        {
            return WecomMapping.TakenByAnother;
        }
    }

    private const string Deactivate = "UPDATE Staff SET IsActive = @False, BindingCodeHash = NULL WHERE Id = @Id";

    public async Task<bool> DeactivateAsync(long staffId, CancellationToken ct) =>
        await db.WriteAsync((c, tx) => c.ExecuteScalarAsync<int>(new CommandDefinition(Deactivate + ";\n" + db.Dialect.SelectRowsAffected,
            new { Id = staffId, False = false }, tx, cancellationToken: ct)), ct) == 1;

    private const string SelectAll = "SELECT Id, Name, Role, UnitLevel, UnitId, UnitName, GridId, UserId, IsActive FROM Staff ORDER BY Id";

    public Task<IReadOnlyList<StaffMember>> ListAsync(CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<StaffMember>>(async c => (await c.QueryAsync<StaffMember>(new CommandDefinition(SelectAll, cancellationToken: ct))).AsList(), ct);

    private const string SelectListing = """
        SELECT s.Id, s.Name, s.Role, s.UnitName, g.Code AS GridCode, s.UserId, s.IsActive, s.WecomUserId
        FROM Staff s LEFT JOIN Grids g ON g.Id = s.GridId
        ORDER BY s.Id
        """;

    public Task<IReadOnlyList<StaffListing>> ListForOpsAsync(CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<StaffListing>>(async c => (await c.QueryAsync<StaffListing>(new CommandDefinition(SelectListing, cancellationToken: ct))).AsList(), ct);

    public static string Normalize(string code) => new(code.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(code))));

    private static string NewCode()
    {
        var chars = RandomNumberGenerator.GetItems<char>(CodeAlphabet, 10);
        return $"{new string(chars, 0, 5)}-{new string(chars, 5, 5)}";
    }
}
