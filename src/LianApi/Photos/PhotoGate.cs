using Microsoft.Extensions.Options;

namespace LianApi.Photos;

/// <summary>
/// Bounds the uploads decoded at once per process (each holds a decoded bitmap of up to ~20 MB): the rest wait up to
/// the queue timeout, then get 503 with Retry-After, so a burst costs time, never the process's memory.
/// </summary>
public sealed class PhotoGate(IOptions<PhotoOptions> options) : IDisposable
{
    private readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentDecodes, options.Value.MaxConcurrentDecodes);

    /// <summary>A slot to release by disposing it, or null when none came free in time.</summary>
    public async Task<IDisposable?> TryEnterAsync(CancellationToken ct) =>
        await slots.WaitAsync(options.Value.QueueTimeout, ct) ? new Slot(slots) : null;

    public void Dispose() => slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
