using LianApi.Wechat;
using Microsoft.Extensions.Options;

namespace LianApi.ContentSafety;

public static class ContentSafetyExtensions
{
    /// <summary>
    /// Text checks before a resident's text is stored (msg_sec_check), and image checks submitted for WeChat to push back
    /// (media_check_async); in Emulator mode both are local and deterministic.
    /// </summary>
    public static IServiceCollection AddContentSafety(this IServiceCollection services)
    {
        services.AddSingleton<EmulatedTextChecker>().AddSingleton<ContentCheckLimiter>();
        services.AddTransient<ITextChecker>(sp =>
            sp.GetRequiredService<IOptions<WechatOptions>>().Value.Mode == WechatMode.Emulator
                ? sp.GetRequiredService<EmulatedTextChecker>()
                : ActivatorUtilities.CreateInstance<WechatTextChecker>(sp));
        services.AddTransient<IMediaChecker>(sp =>
            sp.GetRequiredService<IOptions<WechatOptions>>().Value.Mode == WechatMode.Emulator
                ? ActivatorUtilities.CreateInstance<EmulatedMediaChecker>(sp)
                : ActivatorUtilities.CreateInstance<WechatMediaChecker>(sp));
        // Only the emulator enqueues these; registered always, so a job left from a Development run is not an unknown kind.
        services.AddSingleton<IWechatJobHandler, EmulatedMediaCheckJob>();
        return services;
    }
}
