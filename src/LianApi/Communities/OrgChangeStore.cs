using Dapper;
using LianApi.Data;

namespace LianApi.Communities;

public sealed record OrgChange
{
    public long Id { get; init; }
    public DateTime ChangedAt { get; init; }
    public string ChangedBy { get; init; } = "";
    public string Change { get; init; } = "";
    public string Detail { get; init; } = "";
}

/// <summary>
/// Changes to the organisation that imports cannot make (an import only adds and renames): moving a community to
/// another street, retiring a community, grid or department (撤并), removing a pairing. Each change and its audit row
/// are written together, and only when something changed, so running a verb twice records it once.
/// </summary>
public sealed class OrgChangeStore(Database db, OrgDirectory directory, TimeProvider time)
{
    public const string Move = "move";
    public const string Retire = "retire";
    public const string Unpair = "unpair";

    private const string MoveCommunity = "UPDATE Communities SET StreetId = @StreetId WHERE Id = @Id AND StreetId <> @StreetId";

    /// <summary>New reports go to the new street's office; cases already escalated stay where they are.</summary>
    public Task<bool> MoveCommunityAsync(long communityId, long streetId, string detail, CancellationToken ct) =>
        ChangeAsync(MoveCommunity, new { Id = communityId, StreetId = streetId }, Move, detail, ct);

    private const string RetireCommunity = "UPDATE Communities SET RetiredAt = @Now, SuccessorId = @SuccessorId WHERE Id = @Id AND RetiredAt IS NULL";

    public Task<bool> RetireCommunityAsync(long communityId, long? successorId, string detail, CancellationToken ct) =>
        ChangeAsync(RetireCommunity, new { Id = communityId, SuccessorId = successorId, Now = time.GetUtcNow().UtcDateTime }, Retire, detail, ct);

    private const string RetireGrid = "UPDATE Grids SET RetiredAt = @Now WHERE Id = @Id AND RetiredAt IS NULL";

    public Task<bool> RetireGridAsync(long gridId, string detail, CancellationToken ct) =>
        ChangeAsync(RetireGrid, new { Id = gridId, Now = time.GetUtcNow().UtcDateTime }, Retire, detail, ct);

    private const string RetireDepartment = "UPDATE Departments SET RetiredAt = @Now WHERE Id = @Id AND RetiredAt IS NULL";

    public Task<bool> RetireDepartmentAsync(long departmentId, string detail, CancellationToken ct) =>
        ChangeAsync(RetireDepartment, new { Id = departmentId, Now = time.GetUtcNow().UtcDateTime }, Retire, detail, ct);

    private const string DeletePairing = "DELETE FROM DepartmentPairings WHERE DepartmentId = @DepartmentId AND CommunityId = @CommunityId";

    /// <summary>The department can no longer be whistled to from the community; cases it holds stay with it.</summary>
    public Task<bool> RemovePairingAsync(long departmentId, long communityId, string detail, CancellationToken ct) =>
        ChangeAsync(DeletePairing, new { DepartmentId = departmentId, CommunityId = communityId }, Unpair, detail, ct);

    private const string InsertChange = """
        INSERT INTO OrgChanges (ChangedAt, ChangedBy, Change, Detail) VALUES (@ChangedAt, @ChangedBy, @Change, @Detail)
        """;

    private async Task<bool> ChangeAsync(string sql, object args, string change, string detail, CancellationToken ct)
    {
        var changed = await db.WriteAsync(async (c, tx) =>
        {
            var rows = await c.ExecuteScalarAsync<int>(new CommandDefinition(sql + ";\n" + db.Dialect.SelectRowsAffected, args, tx, cancellationToken: ct));
            if (rows > 0)
            {
                // Ops run the verbs on the server under their own login: that name is who made the change.
                await c.ExecuteAsync(new CommandDefinition(InsertChange, new
                {
                    ChangedAt = time.GetUtcNow().UtcDateTime, ChangedBy = Environment.UserName, Change = change, Detail = detail,
                }, tx, cancellationToken: ct));
            }
            return rows > 0;
        }, ct);
        directory.Invalidate();
        return changed;
    }

    private const string SelectChanges = "SELECT Id, ChangedAt, ChangedBy, Change, Detail FROM OrgChanges ORDER BY Id";

    public Task<IReadOnlyList<OrgChange>> ListAsync(CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<OrgChange>>(async c =>
            (await c.QueryAsync<OrgChange>(new CommandDefinition(SelectChanges, cancellationToken: ct))).AsList(), ct);
}
