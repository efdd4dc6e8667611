using LianApi.Complaints;
using LianApi.Wechat;
using Microsoft.Extensions.Options;

namespace LianApi.Notifications;

public static class NotificationsExtensions
{
    /// <summary>Subscribe messages: templates, consent credits, the outbox written with each transition and its dispatcher.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<IComplaintChangeListener>(sp => sp.GetRequiredService<NotificationOutbox>());
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<ConsentStore>();
        services.AddSingleton<ConsentOffers>();
        services.AddSingleton<ConsentPushHandler>();
        foreach (var pushEvent in ConsentPushHandler.Events)
        {
            services.AddSingleton<IWechatPushHandler>(sp => new ConsentPushEvent(sp.GetRequiredService<ConsentPushHandler>(), pushEvent));
        }
        services.AddSingleton<EmulatedMessageStore>();
        services.AddSingleton<ISubscribeMessageSender>(sp =>
            sp.GetRequiredService<IOptions<WechatOptions>>().Value.Mode == WechatMode.Emulator
                ? sp.GetRequiredService<EmulatedMessageStore>()
                : ActivatorUtilities.CreateInstance<WechatSubscribeMessageSender>(sp));
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService<NotificationDispatchService>();
        services.AddHealthChecks().AddCheck<NotificationBacklogCheck>("notifications", tags: ["ready"]);
        return services;
    }
}

/// <summary>
/// The outbox backlog in /health/ready's data (pending, oldest pending age in seconds, failed). Always healthy: WeChat
/// being down delays messages but never stops the app from taking reports.
/// </summary>
internal sealed class NotificationBacklogCheck(NotificationStore outbox, TimeProvider time) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken ct)
    {
        var backlog = await outbox.BacklogAsync(time.GetUtcNow().UtcDateTime, ct);
        return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy(
            $"{backlog.Pending} pending (oldest {backlog.OldestPendingSeconds} s), {backlog.Failed} failed",
            new Dictionary<string, object>
            {
                ["pending"] = backlog.Pending,
                ["oldestPendingSeconds"] = backlog.OldestPendingSeconds,
                ["failed"] = backlog.Failed,
            });
    }
}
