using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace LianApi.Photos;

/// <summary>
/// Bounds the uploads decoded at once per process (each holds the upload and its decoded bitmap: up to about 190 MB for
/// a 40-megapixel PNG, see the README): the rest wait up to the queue timeout, then get 503 with Retry-After, so a burst
/// costs time, never the process's memory. And one upload per user at a time: a user's second upload while the first
/// is still checked, waiting or decoded is refused at once (429), so one resident cannot queue several slots' worth of
/// work ahead of everyone else. Per process: across N instances a user has at most N uploads in flight.
/// </summary>
public sealed class PhotoGate(IOptions<PhotoOptions> options) : IDisposable
{
    private readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentDecodes, options.Value.MaxConcurrentDecodes);
    private readonly ConcurrentDictionary<long, byte> uploading = new();

    /// <summary>A slot to release by disposing it, or null when none came free in time.</summary>
    public async Task<IDisposable?> TryEnterAsync(CancellationToken ct) =>
        await slots.WaitAsync(options.Value.QueueTimeout, ct) ? new Release(() => slots.Release()) : null;

    /// <summary>The user's one upload in flight, ended by disposing it; null while another of theirs is in flight.</summary>
    public IDisposable? TryStartUpload(long userId) =>
        uploading.TryAdd(userId, 0) ? new Release(() => uploading.TryRemove(userId, out _)) : null;

    public void Dispose() => slots.Dispose();

    private sealed class Release(Action release) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                release();
            }
        }
    }
}
