using LianApi.Shared;

namespace LianApi.Notifications.Wecom;

/// <summary>
/// The WeCom application's access token, cached until shortly before WeCom's expiry and fetched by one caller at a time
/// (<see cref="SingleFlightToken"/>). A token is per application secret, so this one serves only our agent.
/// </summary>
// Typed HttpClients are transient; the provider lives for the process, so it asks for a fresh client per refresh.
public sealed class WecomAccessTokenProvider(IServiceProvider services, TimeProvider time)
{
    // gettoken hands out 7200 s tokens; refreshing five minutes early keeps a slow send from outliving its token.
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly SingleFlightToken token = new(time, RefreshMargin);

    public Task<string> GetAsync(CancellationToken ct) => token.GetAsync(FetchAsync, ct);

    /// <summary>Runs a call with the token; on 40014/42001 refreshes it once and tries again (a second rejection throws).</summary>
    public Task<T> CallAsync<T>(Func<string, CancellationToken, Task<T>> call, CancellationToken ct) =>
        token.CallAsync(FetchAsync, e => e is WecomException { Failure: WecomFailure.TokenRejected }, call, ct);

    public void Invalidate(string rejectedToken) => token.Invalidate(rejectedToken);

    private async Task<(string Value, DateTimeOffset ExpiresAt)> FetchAsync(CancellationToken ct)
    {
        var fetched = await services.GetRequiredService<WecomClient>().GetTokenAsync(ct);
        return (fetched.Value, fetched.ExpiresAt);
    }
}
