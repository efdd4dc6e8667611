using System.CommandLine;

namespace LianApi.Calendar;

/// <summary><c>calendar import FILE.csv</c>: the year's holidays and adjusted working days (调休).</summary>
internal static class CalendarVerbs
{
    public static Command Create(IServiceProvider services)
    {
        var file = new Argument<string>("file") { Description = "The CSV file." };
        var import = new Command("import", "Import holidays and worked weekend days; header: date,kind,name (kind: holiday | workday).") { file };
        import.SetAction(async (parsed, ct) =>
        {
            var path = parsed.GetRequiredValue(file);
            return (await CalendarImport.ImportAsync(services.GetRequiredService<CalendarStore>(), path, ct)).Report("calendar days", path);
        });
        return new Command("calendar", "The working calendar that deadlines count in.") { import };
    }
}
