using LianApi.Complaints;
using LianApi.Data;

namespace LianApi.Stats;

/// <summary>
/// The district's numbers move with every case: what a transition changes in the rollups (the delta of the case's
/// counters before and after) is appended to the transition's own batch, one upsert per changed row, so the numbers
/// commit with the case or not at all and the writer pays no extra round trip. Nothing is added for a note or a reply.
/// </summary>
public sealed class RollupListener : IComplaintChangeListener
{
    private static readonly string[] Keys = ["Dimension", "Key1", "Day", "Key2"];

    public Task WriteAsync(WriteBatch batch, ComplaintChange change, CancellationToken ct)
    {
        Append(batch, RollupDimensions.Delta(change.Before, change.After));
        return Task.CompletedTask;
    }

    private static void Append(WriteBatch batch, Dictionary<RollupKey, int[]> delta) =>
        batch.Dialect.AppendUpsertsAdding(batch.Sql, batch.Parameters, "StatsRollups", Keys, CaseCounters.Columns,
            [.. delta.Select(d => (object[])[d.Key.Dimension, d.Key.Key1, d.Key.Day, d.Key.Key2, .. d.Value.Cast<object>()])]);
}
