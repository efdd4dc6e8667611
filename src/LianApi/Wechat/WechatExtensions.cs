using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace LianApi.Wechat;

public static class WechatExtensions
{
    public static IServiceCollection AddWechat(this IServiceCollection services)
    {
        services.AddOptions<WechatOptions>().BindConfiguration(WechatOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WechatOptions>, WechatOptionsValidator>();

        services.AddHttpClient<WechatClient>((sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<WechatOptions>>().Value;
                http.BaseAddress = new Uri(o.BaseUrl.TrimEnd('/') + "/");
                // Timeouts belong to the resilience pipeline below.
                http.Timeout = Timeout.InfiniteTimeSpan;
                // Images from getwxacodeunlimit are the largest answers; anything bigger is not WeChat.
                http.MaxResponseContentBufferSize = 4 * 1024 * 1024;
            })
            // Only the fixed WeChat host is ever called, and a redirect would be a reason to stop, not to follow.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            // The default logger writes full request URIs, and jscode2session carries the AppSecret in its query string.
            .RemoveAllLoggers()
            .AddResilienceHandler("wechat", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<WechatOptions>>().Value;
                // Timeouts, delays and the breaker run on the app's clock, so tests can move it instead of waiting.
                pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline
                    .AddTimeout(o.TotalTimeout)
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = 2,
                        Delay = o.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        // A login code works once: retrying jscode2session would spend it and turn a blip into a 401. A
                        // subscribe message retried here could arrive twice; the notification outbox retries it with backoff.
                        ShouldHandle = args => IsNeverRetried(args.Context)
                            ? PredicateResult.False()
                            : new ValueTask<bool>(HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                    })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        // A district system never reaches the default 100 calls in 30 s; 10 lets the breaker work.
                        FailureRatio = 0.5,
                        MinimumThroughput = 10,
                        SamplingDuration = TimeSpan.FromSeconds(30),
                        BreakDuration = TimeSpan.FromSeconds(15),
                    })
                    .AddTimeout(o.AttemptTimeout);
            });

        services.AddSingleton<WechatAccessTokenProvider>();

        // Message push: verified events stored once, applied from the durable job queue.
        services.AddSingleton<PushEventStore>().AddSingleton<WechatJobStore>();
        services.AddSingleton<WechatJobSignal>().AddSingleton<WechatJobRunner>().AddHostedService<WechatJobLoop>();
        services.AddSingleton<IWechatJobHandler, ApplyPushEventJob>();
        services.AddSingleton<IWechatPushHandler, MediaCheckPushHandler>();
        services.AddTransient<IWechatLogin>(sp =>
            sp.GetRequiredService<IOptions<WechatOptions>>().Value.Mode == WechatMode.Emulator
                ? ActivatorUtilities.CreateInstance<EmulatedWechatLogin>(sp)
                : new LiveWechatLogin(sp.GetRequiredService<WechatClient>()));
        return services;
    }

    private static bool IsNeverRetried(ResilienceContext context) =>
        context.GetRequestMessage()?.RequestUri?.AbsolutePath is { } path
        && (path.EndsWith("/" + WechatClient.Code2SessionPath, StringComparison.Ordinal) || path.EndsWith("/" + WechatClient.SubscribeSendPath, StringComparison.Ordinal));
}
