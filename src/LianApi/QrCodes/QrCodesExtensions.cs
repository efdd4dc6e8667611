using LianApi.Infrastructure;

namespace LianApi.QrCodes;

public static class QrCodesExtensions
{
    public static IServiceCollection AddQrCodes(this IServiceCollection services)
    {
        services.AddCheckedOptions<QrCodeOptions, QrCodeOptionsSetup>(QrCodeOptions.Section);
        services.AddOptions<RenderOptions>().BindConfiguration(RenderOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services.AddSingleton<WxaCodeStore>().AddSingleton<QrCodeService>()
            .AddSingleton<RenderGate>().AddSingleton<RenderedImageStore>().AddSingleton<RenderedImages>();
    }
}
