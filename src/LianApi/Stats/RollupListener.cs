using LianApi.Complaints;
using LianApi.Data;

namespace LianApi.Stats;

/// <summary>
/// The district's numbers move with every case: what a transition changes in the rollups (the delta of the case's
/// counters before and after) is written in the transition's own transaction, so the numbers commit with the case or
/// not at all. The deltas of all the cases one transaction writes (a SQLite group commit) are added up first and each
/// changed row is upserted once: the reports of a busy minute share their day's district, category and street rows.
/// </summary>
public sealed class RollupListener : IComplaintChangeListener, ITailWriter
{
    private static readonly string[] Keys = ["Dimension", "Key1", "Day", "Key2"];

    public Task WriteAsync(WriteBatch batch, ComplaintChange change, CancellationToken ct)
    {
        var delta = RollupDimensions.Delta(change.Before, change.After);
        if (delta.Count > 0)
        {
            batch.AddToTail(this, delta);
        }
        return Task.CompletedTask;
    }

    public void Append(WriteBatch batch, IReadOnlyList<object> contributions)
    {
        var total = new Dictionary<RollupKey, int[]>();
        foreach (var delta in contributions.Cast<Dictionary<RollupKey, int[]>>())
        {
            foreach (var (key, values) in delta)
            {
                if (!total.TryGetValue(key, out var sum))
                {
                    total[key] = sum = new int[values.Length];
                }
                for (var i = 0; i < values.Length; i++)
                {
                    sum[i] += values[i];
                }
            }
        }
        var rows = total.Where(t => t.Value.Any(v => v != 0)).ToList();
        if (rows.Count > 0)
        {
            batch.Dialect.AppendUpsertsAdding(batch.Sql, batch.Parameters, "StatsRollups", Keys, CaseCounters.Columns,
                [.. rows.Select(d => (object[])[d.Key.Dimension, d.Key.Key1, d.Key.Day, d.Key.Key2, .. d.Value.Cast<object>()])]);
        }
    }
}
