using LianApi.Shared;

namespace LianApi.Wechat;

/// <summary>
/// The mini-program's access token (stable_token), one per process, fetched by a single caller at a time well before
/// WeChat's expiry (<see cref="SingleFlightToken"/>).
/// </summary>
// Typed HttpClients are transient; the provider lives for the process, so it asks for a fresh client per refresh.
public sealed class WechatAccessTokenProvider(IServiceProvider services, TimeProvider time)
{
    // stable_token keeps answering with a token valid for at least 5 more minutes, so refreshing a minute early is safe.
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    private readonly SingleFlightToken token = new(time, RefreshMargin);

    public Task<string> GetAsync(CancellationToken ct) => token.GetAsync(FetchAsync, ct);

    /// <summary>Runs a business call with the token; if WeChat rejects the token, refreshes it and retries once.</summary>
    public Task<T> CallAsync<T>(Func<string, CancellationToken, Task<T>> call, CancellationToken ct) =>
        token.CallAsync(FetchAsync, e => e is WechatException { Failure: WechatFailure.AccessTokenRejected }, call, ct);

    public void Invalidate(string rejectedToken) => token.Invalidate(rejectedToken);

    private async Task<(string Value, DateTimeOffset ExpiresAt)> FetchAsync(CancellationToken ct)
    {
        var fetched = await services.GetRequiredService<WechatClient>().GetStableAccessTokenAsync(ct);
        return (fetched.Value, fetched.ExpiresAt);
    }
}
