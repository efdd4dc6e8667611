using Microsoft.Extensions.Options;

namespace LianApi.Reports;

public static class ReportsExtensions
{
    /// <summary>The daily and weekly reports: read from the statistics and the inbox, drawn, kept, and announced over WeCom.</summary>
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddOptions<DailyReportOptions>().BindConfiguration(DailyReportOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DailyReportOptions>, DailyReportOptionsValidator>();
        return services
            .AddSingleton<DailyReportBuilder>()
            .AddSingleton<DailyReportStore>()
            .AddSingleton<DailyReportService>()
            .AddHostedService<DailyReportJob>();
    }
}
