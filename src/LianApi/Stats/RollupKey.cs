namespace LianApi.Stats;

/// <summary>The rows of StatsRollups one case counts in: a dimension, the scope's key, the group's key, its day (or month).</summary>
public readonly record struct RollupKey(string Dimension, long Key1, long Key2, int Day);
