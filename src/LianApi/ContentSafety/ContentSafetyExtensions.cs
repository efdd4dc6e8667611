using LianApi.Wechat;
using Microsoft.Extensions.Options;

namespace LianApi.ContentSafety;

public static class ContentSafetyExtensions
{
    /// <summary>Text checks before a resident's text is stored: WeChat's msg_sec_check, or the local emulator.</summary>
    public static IServiceCollection AddContentSafety(this IServiceCollection services)
    {
        services.AddSingleton<EmulatedTextChecker>();
        services.AddTransient<ITextChecker>(sp =>
            sp.GetRequiredService<IOptions<WechatOptions>>().Value.Mode == WechatMode.Emulator
                ? sp.GetRequiredService<EmulatedTextChecker>()
                : ActivatorUtilities.CreateInstance<WechatTextChecker>(sp));
        return services;
    }
}
