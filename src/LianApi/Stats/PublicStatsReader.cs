using System.Globalization;
using LianApi.Shared;
using Microsoft.Extensions.Caching.Hybrid;
using D = LianApi.Stats.RollupDimensions;

namespace LianApi.Stats;

/// <summary>
/// The home page's figures. Every resident's phone asks for them, so they are read from the rollups at most once a
/// minute per instance; HybridCache also lets one request read them while the others that arrive meanwhile wait for it.
/// </summary>
public sealed class PublicStatsReader(StatsStore store, HybridCache cache, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = Lifetime, LocalCacheExpiration = Lifetime };

    public ValueTask<PublicStats> GetAsync(CancellationToken ct) =>
        cache.GetOrCreateAsync("stats:public", this, static (reader, token) => reader.ReadAsync(token), Entry, cancellationToken: ct);

    private async ValueTask<PublicStats> ReadAsync(CancellationToken ct)
    {
        var year = store.Today().Date.Year;
        var sums = await store.SumAsync([(new RollupQuery(D.District, 0, BeijingDay.KeyOf(new DateOnly(year, 1, 1)), BeijingDay.KeyOf(new DateOnly(year, 12, 31))), false),
            (new RollupQuery(D.District, 0, 0, int.MaxValue), false)], ct);
        StatsHeadline Headline(string period, int[] s) => new(period, s[CaseCounters.Received], s[CaseCounters.Handled],
            StatsFigures.Rate(s[CaseCounters.Handled], s[CaseCounters.Received]),
            StatsFigures.Rate(s[CaseCounters.Satisfied] + s[CaseCounters.BasicallySatisfied], s[CaseCounters.Evaluated]));
        return new PublicStats(Headline(year.ToString(CultureInfo.InvariantCulture), StatsReader.Add(sums[0].Values)),
            Headline("all", StatsReader.Add(sums[1].Values)), time.GetUtcNow().ToOffset(ChinaTime.Offset));
    }
}
