using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using LianApi.Infrastructure;
using LianApi.Resources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LianApi.QrCodes;

/// <summary>How many images the process draws at once, and how long a request waits for its turn.</summary>
public sealed class RenderOptions
{
    public const string Section = "Rendering";

    /// <summary>
    /// Images drawn at the same time, process-wide. A print-size poster holds about 40 MB and a whole core for
    /// about a second, so by default drawing gets at most half the cores and the rest of the API stays responsive.
    /// </summary>
    [Range(1, 64)] public int MaxConcurrentRenders { get; set; } = Math.Clamp(Environment.ProcessorCount / 2, 1, 4);

    /// <summary>Requests that may wait for a free slot; beyond that they are turned away at once.</summary>
    [Range(0, 10_000)] public int QueueLimit { get; set; } = 32;

    /// <summary>How long a request waits for a slot before it gets 503 with Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")] public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Every drawing (a code, a poster, a wxacode fetched and resized, a whole print set) holds one slot of this gate.
/// Memory and CPU spent on drawing are then bounded by the slot count, whatever the number of requests: the
/// others wait briefly and are then told to come back (503 + Retry-After) instead of piling up on the heap.
/// </summary>
public sealed class RenderGate : IDisposable
{
    private readonly ConcurrencyLimiter limiter;
    private readonly TimeSpan queueTimeout;

    public RenderGate(IOptions<RenderOptions> options)
    {
        var o = options.Value;
        queueTimeout = o.QueueTimeout;
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.MaxConcurrentRenders,
            QueueLimit = o.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Requests waiting for a slot now (diagnostics).</summary>
    public long Waiting => limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>A slot to dispose when the drawing is done; null when none came free within the queue timeout.</summary>
    public async ValueTask<IDisposable?> TryEnterAsync(CancellationToken ct)
    {
        var lease = limiter.AttemptAcquire();
        if (!lease.IsAcquired && queueTimeout > TimeSpan.Zero)
        {
            lease.Dispose();
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(queueTimeout);
            try
            {
                lease = await limiter.AcquireAsync(1, wait.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return null;
            }
        }
        if (lease.IsAcquired)
        {
            return lease;
        }
        lease.Dispose();
        return null;
    }

    /// <summary>The answer when no slot came free: nothing was drawn, so the client may simply ask again.</summary>
    public ProblemHttpResult Busy(HttpContext http)
    {
        http.Response.SetRetryAfter(queueTimeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : queueTimeout);
        return TypedResults.Problem(Messages.RenderBusy, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    public void Dispose() => limiter.Dispose();
}
