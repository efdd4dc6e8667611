using System.Data.Common;

namespace LianApi.Data;

/// <summary>
/// Something written once per transaction from what its units contributed, just before the commit: the units of one
/// SQLite group commit add to the same rows (the district's counts of the day, of a category), so their contributions
/// are merged and each row is written once for all of them instead of once per unit.
/// </summary>
public interface ITailWriter
{
    /// <summary>Appends to the batch what the contributions (in the order the units ran) add up to.</summary>
    void Append(WriteBatch batch, IReadOnlyList<object> contributions);
}

/// <summary>
/// The contributions of a transaction's units to its <see cref="ITailWriter"/>s. A unit's contributions count only if
/// the unit itself commits: one rolled back to its savepoint takes its contributions with it. A transaction of one unit
/// (SQL Server's) has nothing to merge: its contributions join the unit's own batch, with no round trip of their own.
/// </summary>
public sealed class TransactionTail(bool mergesUnits)
{
    public bool MergesUnits { get; } = mergesUnits;

    private readonly List<(ITailWriter Writer, object Contribution)> kept = [];
    private readonly List<(ITailWriter Writer, object Contribution)> unit = [];

    public void Add(ITailWriter writer, object contribution) => unit.Add((writer, contribution));

    internal void KeepUnit()
    {
        kept.AddRange(unit);
        unit.Clear();
    }

    internal void DropUnit() => unit.Clear();

    /// <summary>Writes what the kept units contributed, in the transaction, before it commits.</summary>
    internal async Task WriteAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken ct)
    {
        if (kept.Count == 0)
        {
            return;
        }
        var batch = new WriteBatch(connection, transaction, dialect, this);
        foreach (var group in kept.GroupBy(k => k.Writer))
        {
            group.Key.Append(batch, [.. group.Select(g => g.Contribution)]);
        }
        kept.Clear();
        await batch.ExecuteAsync(ct);
    }
}
