namespace LianApi.Notifications.Wecom;

/// <summary>
/// The application's access token, cached until shortly before WeCom's expiry and fetched by one caller at a time. A
/// token is per application secret, so this one serves only our agent. A rejected token is dropped only if it is still
/// the cached one, so a burst of rejections causes one refresh.
/// </summary>
// Typed HttpClients are transient; the provider lives for the process, so it asks for a fresh client per refresh.
public sealed class WecomAccessTokenProvider(IServiceProvider services, TimeProvider time)
{
    // gettoken hands out 7200 s tokens; refreshing five minutes early keeps a slow send from outliving its token.
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim refresh = new(1, 1);
    private WecomAccessToken? current;

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
            current = await services.GetRequiredService<WecomClient>().GetTokenAsync(ct);
            return current.Value;
        }
        finally
        {
            refresh.Release();
        }
    }

    /// <summary>Runs a call with the token; on 40014/42001 refreshes it once and tries again (a second rejection throws).</summary>
    public async Task<T> CallAsync<T>(Func<string, CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var token = await GetAsync(ct);
        try
        {
            return await call(token, ct);
        }
        catch (WecomException e) when (e.Failure == WecomFailure.TokenRejected)
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

    private WecomAccessToken? Fresh(WecomAccessToken? token) =>
        token is not null && token.ExpiresAt - RefreshMargin > time.GetUtcNow() ? token : null;
}
