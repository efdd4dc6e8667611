namespace LianApi.Calendar;

public static class CalendarExtensions
{
    public static IServiceCollection AddCalendar(this IServiceCollection services) => services.AddSingleton<CalendarStore>();
}
