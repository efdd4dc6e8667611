namespace LianApi.Wechat;

/// <summary>
/// One cached access token per process, refreshed by a single caller at a time (single flight), well before
/// WeChat's expiry. A token WeChat rejects is dropped only if it is still the cached one, so a burst of
/// failures triggers one refresh, not one per failure.
/// </summary>
// Typed HttpClients are transient; the provider lives for the process, so it asks for a fresh client per refresh.
public sealed class WechatAccessTokenProvider(IServiceProvider services, TimeProvider time)
{
    // stable_token keeps answering with a token valid for at least 5 more minutes, so refreshing a minute early is safe.
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim refresh = new(1, 1);
    private WechatAccessToken? current;

    public async Task<string> GetAsync(CancellationToken ct)
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
            current = await services.GetRequiredService<WechatClient>().GetStableAccessTokenAsync(ct);
            return current.Value;
        }
        finally
        {
            refresh.Release();
        }
    }

    /// <summary>Runs a business call with the token; if WeChat rejects the token, refreshes it and retries once.</summary>
    public async Task<T> CallAsync<T>(Func<string, CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var token = await GetAsync(ct);
        try
        {
            return await call(token, ct);
        }
        catch (WechatException e) when (e.Failure == WechatFailure.AccessTokenRejected)
        {
            Invalidate(token);
            return await call(await GetAsync(ct), ct);
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

    private WechatAccessToken? Fresh(WechatAccessToken? token) =>
        token is not null && token.ExpiresAt - RefreshMargin > time.GetUtcNow() ? token : null;
}
