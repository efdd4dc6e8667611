using LianApi.Complaints;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace LianApi.Notifications.Wecom;

public static class WecomExtensions
{
    /// <summary>WeCom application messages for staff: the client and its token, the outbox rows of transitions and sweeps, their dispatcher.</summary>
    public static IServiceCollection AddWecom(this IServiceCollection services)
    {
        services.AddOptions<WecomOptions>().BindConfiguration(WecomOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WecomOptions>, WecomOptionsValidator>();

        services.AddHttpClient<WecomClient>((sp, http) =>
            {
                http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<WecomOptions>>().Value.ApiHost.TrimEnd('/') + "/");
                // Timeouts belong to the resilience pipeline below.
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.MaxResponseContentBufferSize = 64 * 1024;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            // gettoken carries the application's Secret in its query string, which the default logger would write.
            .RemoveAllLoggers()
            .AddResilienceHandler("wecom", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<WecomOptions>>().Value;
                pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline
                    .AddTimeout(o.TotalTimeout)
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = 2,
                        Delay = TimeSpan.FromMilliseconds(500),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        // A message retried here could arrive twice; the outbox retries it with backoff instead.
                        ShouldHandle = args => args.Context.GetRequestMessage()?.RequestUri?.AbsolutePath.EndsWith("/" + WecomClient.SendPath, StringComparison.Ordinal) == true
                            ? PredicateResult.False()
                            : new ValueTask<bool>(HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                    })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = 0.5,
                        MinimumThroughput = 10,
                        SamplingDuration = TimeSpan.FromSeconds(30),
                        BreakDuration = TimeSpan.FromSeconds(15),
                    })
                    .AddTimeout(o.AttemptTimeout);
            });

        services.AddSingleton<WecomAccessTokenProvider>();
        services.AddSingleton<WecomStore>();
        services.AddSingleton<IComplaintChangeListener, WecomOutbox>();
        services.AddSingleton<DeadlineWarnings>();
        services.AddSingleton<MorningTodo>();
        services.AddSingleton<IDeadlineFollowUp>(sp => sp.GetRequiredService<DeadlineWarnings>());
        services.AddSingleton<IDeadlineFollowUp>(sp => sp.GetRequiredService<MorningTodo>());
        services.AddSingleton<WecomDispatcher>();
        services.AddHostedService<WecomDispatchService>();
        services.AddHealthChecks().AddCheck<WecomBacklogCheck>("wecom", tags: ["ready"]);
        return services;
    }
}

/// <summary>
/// The WeCom backlog in /health/ready's data. Always healthy (WeCom being unreachable delays alerts, never reports), but
/// says "untrusted IP" when 60020 holds messages back, since only an operator can fix that.
/// </summary>
internal sealed class WecomBacklogCheck(WecomStore store, IOptionsMonitor<WecomOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        if (!options.CurrentValue.Enabled)
        {
            return HealthCheckResult.Healthy("off (Wecom__CorpId not set): staff get subscribe messages", new Dictionary<string, object> { ["enabled"] = false });
        }
        var b = await store.BacklogAsync(time.GetUtcNow().UtcDateTime, ct);
        var description = $"{b.Pending} pending (oldest {b.OldestPendingSeconds} s), {b.Failed} failed, {b.InvalidUsersLastWeek} with invalid users in 7 days" +
                          (b.UntrustedIp ? "; untrusted IP: add this server's outbound IP to the WeCom application's trusted IPs (企业可信IP)" : "");
        return HealthCheckResult.Healthy(description, new Dictionary<string, object>
        {
            ["enabled"] = true,
            ["pending"] = b.Pending,
            ["oldestPendingSeconds"] = b.OldestPendingSeconds,
            ["failed"] = b.Failed,
            ["invalidUsersLastWeek"] = b.InvalidUsersLastWeek,
            ["untrustedIp"] = b.UntrustedIp,
        });
    }
}
