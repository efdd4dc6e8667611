using System.Threading.RateLimiting;
using LianApi.Infrastructure;
using Microsoft.Extensions.Options;

namespace LianApi.Open311;

/// <summary>Reports per partner key per minute (in memory, per instance): a leaked or buggy client cannot flood the inbox.</summary>
public sealed class Open311PostLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<long> limiter = PartitionedRateLimiter.Create<long, long>(id =>
        RateLimitPartition.GetFixedWindowLimiter(id, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.Open311PostsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public bool TryAcquire(long keyId)
    {
        using var lease = limiter.AttemptAcquire(keyId);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
