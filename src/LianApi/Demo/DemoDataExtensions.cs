namespace LianApi.Demo;

public static class DemoDataExtensions
{
    public static IServiceCollection AddDemoData(this IServiceCollection services) => services.AddSingleton<DemoData>();
}
