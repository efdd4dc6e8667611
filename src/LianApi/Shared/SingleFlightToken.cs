namespace LianApi.Shared;

/// <summary>
/// An access token cached for the process, fetched by one caller at a time (single flight) a margin before it expires.
/// A token the service rejects is dropped only if it is still the cached one, so a burst of rejections causes one fetch,
/// not one per rejection. WeChat's and WeCom's token providers each keep one: a token belongs to one application.
/// </summary>
public sealed class SingleFlightToken(TimeProvider time, TimeSpan refreshMargin)
{
    private sealed record Cached(string Value, DateTimeOffset ExpiresAt);

    private readonly SemaphoreSlim refresh = new(1, 1);
    private Cached? current;

    public async Task<string> GetAsync(Func<CancellationToken, Task<(string Value, DateTimeOffset ExpiresAt)>> fetch, CancellationToken ct)
    {
        if (Fresh(current) is { } token)
        {
            return token.Value;
        }
        await refresh.WaitAsync(ct);
        try
        {
            if (Fresh(current) is { } refreshed)
            {
                return refreshed.Value;
            }
            var (value, expiresAt) = await fetch(ct);
            current = new Cached(value, expiresAt);
            return value;
        }
        finally
        {
            refresh.Release();
        }
    }

    /// <summary>Runs a call with the token; when the service rejects it (<paramref name="rejected"/>), fetches a new one and tries once more.</summary>
    public async Task<T> CallAsync<T>(Func<CancellationToken, Task<(string Value, DateTimeOffset ExpiresAt)>> fetch, Func<Exception, bool> rejected,
        Func<string, CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var token = await GetAsync(fetch, ct);
        try
        {
            return await call(token, ct);
        }
        catch (Exception e) when (rejected(e))
        {
            Invalidate(token);
            return await call(await GetAsync(fetch, ct), ct);
        }
    }

    public void Invalidate(string rejectedToken)
    {
        var cached = current;
        if (cached is not null && cached.Value == rejectedToken)
        {
            Interlocked.CompareExchange(ref current, null, cached);
        }
    }

    private Cached? Fresh(Cached? token) =>
        token is not null && token.ExpiresAt - refreshMargin > time.GetUtcNow() ? token : null;
}
