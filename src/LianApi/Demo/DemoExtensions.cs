namespace LianApi.Demo;

public static class DemoExtensions
{
    public static IServiceCollection AddDemoData(this IServiceCollection services) => services.AddSingleton<DemoData>();
}
