using System.Text;
using LianApi.Calendar;
using LianApi.Data;
using LianApi.Tests.Data;
using Microsoft.Extensions.DependencyInjection;

namespace LianApi.Tests.Calendar;

/// <summary>
/// Deadline arithmetic in China time. Every instant is written as a China wall-clock time and converted here with
/// a literal +8 h, so a mistake in the calendar's own offset handling cannot cancel out in the expectation.
/// </summary>
public sealed class WorkingCalendarTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    // Synthetic test data, shaped like a National Day week but not the State Council's table: Thursday 10-01 to
    // Wednesday 10-07 off (the weekend 10-03/10-04 inside it listed too, as the official tables do), and two weekend
    // days worked instead (调休): Sunday 09-27 before the break and Saturday 10-10 after it.
    private static readonly IReadOnlyDictionary<DateOnly, bool> HolidayWeekDays = new Dictionary<DateOnly, bool>
    {
        [new DateOnly(2026, 9, 27)] = true,
        [new DateOnly(2026, 10, 1)] = false,
        [new DateOnly(2026, 10, 2)] = false,
        [new DateOnly(2026, 10, 3)] = false,
        [new DateOnly(2026, 10, 4)] = false,
        [new DateOnly(2026, 10, 5)] = false,
        [new DateOnly(2026, 10, 6)] = false,
        [new DateOnly(2026, 10, 7)] = false,
        [new DateOnly(2026, 10, 10)] = true,
    };

    /// <summary>A China wall-clock time as the UTC instant the app stores.</summary>
    private static DateTime ChinaTime(int year, int month, int day, int hour, int minute = 0) =>
        new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc) - China;

    private static DateTime Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    private static IEnumerable<TestCaseData> PlainWeeks()
    {
        // 2026-11-27 is a Friday.
        yield return Case(ChinaTime(2026, 11, 27, 10), 1, ChinaTime(2026, 11, 30, 10), "Fri 10:00 +1 = Mon 10:00");
        yield return Case(ChinaTime(2026, 11, 27, 10), 5, ChinaTime(2026, 12, 4, 10), "Fri +5 = next Fri");
        yield return Case(ChinaTime(2026, 11, 23, 9, 30), 3, ChinaTime(2026, 11, 26, 9, 30), "Mon +3 = Thu, no weekend in between");
        yield return Case(ChinaTime(2026, 11, 26, 14), 2, ChinaTime(2026, 11, 30, 14), "Thu +2 = Mon");
        yield return Case(ChinaTime(2026, 11, 28, 10), 1, ChinaTime(2026, 11, 30, 10), "received Sat +1 = Mon");
        yield return Case(ChinaTime(2026, 11, 29, 22), 1, ChinaTime(2026, 11, 30, 22), "received Sun +1 = Mon");
        yield return Case(ChinaTime(2026, 11, 30, 10), 0, ChinaTime(2026, 11, 30, 10), "0 days = the same instant");
        yield return Case(ChinaTime(2026, 11, 27, 10), 10, ChinaTime(2026, 12, 11, 10), "Fri +10 = two weeks later");
        // Friday evening in UTC is already Saturday in China: counting UTC days would answer Monday 17:00Z.
        yield return Case(Utc(2026, 11, 27, 17), 1, Utc(2026, 11, 29, 17), "17:00Z Fri = Sat 01:00 China +1 = Mon 01:00 China");
        yield return Case(Utc(2026, 11, 27, 15, 59), 1, Utc(2026, 11, 30, 15, 59), "Fri 23:59 China +1 = Mon 23:59 China");
        yield return Case(Utc(2026, 11, 27, 16), 1, Utc(2026, 11, 29, 16), "Sat 00:00 China +1 = Mon 00:00 China");
        // Monday morning in China is still Sunday in UTC; the count starts from the China day, Monday.
        yield return Case(Utc(2026, 11, 29, 23), 1, Utc(2026, 11, 30, 23), "Mon 07:00 China +1 = Tue 07:00 China");
    }

    private static IEnumerable<TestCaseData> HolidayWeek()
    {
        yield return Case(ChinaTime(2026, 9, 25, 10), 1, ChinaTime(2026, 9, 27, 10), "Fri +1 = the worked Sunday (调休)");
        yield return Case(ChinaTime(2026, 9, 26, 10), 1, ChinaTime(2026, 9, 27, 10), "received Sat +1 = the worked Sunday");
        yield return Case(ChinaTime(2026, 9, 27, 10), 1, ChinaTime(2026, 9, 28, 10), "received on the worked Sunday +1 = Mon");
        yield return Case(ChinaTime(2026, 9, 30, 9), 1, ChinaTime(2026, 10, 8, 9), "Wed before the break +1 = Thu after it");
        yield return Case(ChinaTime(2026, 9, 30, 9), 3, ChinaTime(2026, 10, 10, 9), "Wed +3 = the worked Saturday");
        yield return Case(ChinaTime(2026, 9, 30, 9), 4, ChinaTime(2026, 10, 12, 9), "Wed +4 = Mon (Sun 10-11 is an ordinary weekend day)");
        yield return Case(ChinaTime(2026, 9, 25, 10), 5, ChinaTime(2026, 10, 8, 10), "Fri +5 counts the worked Sunday, skips the week off");
        yield return Case(ChinaTime(2026, 10, 2, 15), 1, ChinaTime(2026, 10, 8, 15), "received during the holiday +1 = first day back");
        yield return Case(ChinaTime(2026, 10, 3, 11), 5, ChinaTime(2026, 10, 13, 11), "received on a holiday weekend +5 = Tue 10-13");
        yield return Case(ChinaTime(2026, 10, 8, 10), 2, ChinaTime(2026, 10, 10, 10), "Thu after the break +2 = the worked Saturday");
        // Late on 09-30 UTC is already the first holiday in China.
        yield return Case(Utc(2026, 9, 30, 17), 1, Utc(2026, 10, 7, 17), "17:00Z 09-30 = 10-01 01:00 China +1 = 10-08 01:00 China");
    }

    private static TestCaseData Case(DateTime startUtc, int days, DateTime expectedUtc, string label) =>
        new TestCaseData(startUtc, days, expectedUtc).SetArgDisplayNames(label);

    [TestCaseSource(nameof(PlainWeeks))]
    public void AddWorkingDays_PlainWeeks_SkipsChinaWeekends(DateTime startUtc, int days, DateTime expectedUtc)
    {
        var due = WorkingCalendar.WeekdaysOnly.AddWorkingDays(startUtc, days);

        Assert.That(due, Is.EqualTo(expectedUtc), $"{startUtc:u} + {days} working days");
    }

    [TestCaseSource(nameof(HolidayWeek))]
    public void AddWorkingDays_HolidayWeek_SkipsHolidaysAndCountsAdjustedWorkdays(DateTime startUtc, int days, DateTime expectedUtc)
    {
        var due = new WorkingCalendar(HolidayWeekDays).AddWorkingDays(startUtc, days);

        Assert.That(due, Is.EqualTo(expectedUtc), $"{startUtc:u} + {days} working days");
    }

    [Test]
    public void IsWorkday_HolidayWeek_OverridesWinOverTheDayOfWeek()
    {
        var calendar = new WorkingCalendar(HolidayWeekDays);

        Assert.Multiple(() =>
        {
            Assert.That(calendar.IsWorkday(new DateOnly(2026, 9, 27)), Is.True, "a worked Sunday (调休)");
            Assert.That(calendar.IsWorkday(new DateOnly(2026, 10, 10)), Is.True, "a worked Saturday (调休)");
            Assert.That(calendar.IsWorkday(new DateOnly(2026, 10, 1)), Is.False, "a Thursday off");
            Assert.That(calendar.IsWorkday(new DateOnly(2026, 10, 3)), Is.False, "a Saturday that is also a holiday");
            Assert.That(calendar.IsWorkday(new DateOnly(2026, 10, 11)), Is.False, "an ordinary Sunday");
            Assert.That(calendar.IsWorkday(new DateOnly(2026, 10, 12)), Is.True, "an ordinary Monday");
        });
    }
}

/// <summary>
/// The `calendar import` CSV against a real SQLite database, read back the way every deadline decision reads it
/// (<see cref="CalendarStore.LoadAsync"/>). One database for the fixture, so each test uses its own year.
/// </summary>
public sealed class CalendarImportTests
{
    private const string Header = "date,kind,name";

    private SqliteTestDatabase database = null!;
    private ServiceProvider services = null!;
    private CalendarStore store = null!;
    private string directory = null!;

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        database = new SqliteTestDatabase();
        await database.CreateAsync();
        services = database.BuildServices(TimeProvider.System);
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync(Ct);
        store = new CalendarStore(services.GetRequiredService<Database>(), TimeProvider.System);
        directory = Path.Combine(Path.GetTempPath(), "lianapi-calendar-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
    }

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        await services.DisposeAsync();
        await database.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public async Task Import_ValidFile_LoadedCalendarSkipsHolidaysAndCountsWorkdays()
    {
        // Synthetic days in 2031, shaped like a Spring Festival break: Mon-Wed 01-27..29 off, Sat 02-01 worked.
        var file = await WriteCsvAsync("valid.csv",
            Header,
            "2031-01-27,holiday,测试假日",
            "2031-01-28,holiday,测试假日",
            " 2031-01-29 , holiday , 测试假日 ",
            "",
            "2031-02-01,workday,");

        var result = await CalendarImport.ImportAsync(store, file, Ct);
        var calendar = await store.GetAsync(Ct);

        Assert.Multiple(() =>
        {
            Assert.That(result.Errors, Is.Empty);
            Assert.That(result.Imported, Is.EqualTo(4), "the blank line is not a day");
            Assert.That(calendar.IsWorkday(new DateOnly(2031, 1, 27)), Is.False);
            Assert.That(calendar.IsWorkday(new DateOnly(2031, 1, 29)), Is.False, "fields are trimmed");
            Assert.That(calendar.IsWorkday(new DateOnly(2031, 1, 30)), Is.True, "days not in the file stay ordinary weekdays");
            Assert.That(calendar.IsWorkday(new DateOnly(2031, 2, 1)), Is.True, "the worked Saturday");
            Assert.That(calendar.IsWorkday(new DateOnly(2031, 2, 2)), Is.False, "an ordinary Sunday");
            // Fri 01-24 10:00 China + 2: Thu 01-30 and Fri 01-31 — the three days off are skipped.
            Assert.That(calendar.AddWorkingDays(ChinaTime(2031, 1, 24, 10), 2), Is.EqualTo(ChinaTime(2031, 1, 31, 10)));
            Assert.That(calendar.AddWorkingDays(ChinaTime(2031, 1, 24, 10), 3), Is.EqualTo(ChinaTime(2031, 2, 1, 10)));
        });
    }

    [Test]
    public async Task Import_CorrectedFileAgain_UpdatesTheDayInsteadOfKeepingTheOldKind()
    {
        // A notice is sometimes corrected: the same day imported again with the other kind must win.
        var first = await WriteCsvAsync("first.csv", Header, "2033-05-05,holiday,测试假日", "2033-05-06,holiday,测试假日");
        var corrected = await WriteCsvAsync("corrected.csv", Header, "2033-05-05,workday,更正");

        await CalendarImport.ImportAsync(store, first, Ct);
        var result = await CalendarImport.ImportAsync(store, corrected, Ct);
        var calendar = await store.GetAsync(Ct);

        Assert.Multiple(() =>
        {
            Assert.That(result.Errors, Is.Empty);
            Assert.That(result.Imported, Is.EqualTo(1));
            Assert.That(calendar.IsWorkday(new DateOnly(2033, 5, 5)), Is.True);
            Assert.That(calendar.IsWorkday(new DateOnly(2033, 5, 6)), Is.False, "a day missing from the second file is kept");
        });
    }

    [Test]
    public async Task Import_BadRows_ReportsEachByLineAndImportsNothing()
    {
        var file = await WriteCsvAsync("bad.csv",
            Header,
            "2032-10-01,holiday,测试假日",
            "2032/10/02,holiday,测试假日",
            "2032-10-03,vacation,测试假日",
            "2032-10-04,holiday,测试假日",
            "2032-10-01,workday,重复",
            "2032-10-05,holiday",
            "2032-02-30,holiday,不存在的日期");

        var result = await CalendarImport.ImportAsync(store, file, Ct);
        var calendar = await store.GetAsync(Ct);

        Assert.Multiple(() =>
        {
            Assert.That(result.Imported, Is.Zero);
            Assert.That(result.Errors, Has.Count.EqualTo(5), string.Join("\n", result.Errors));
            Assert.That(result.Errors, Has.Some.Match("^line 3: .*2032/10/02"), "a date not written yyyy-MM-dd");
            Assert.That(result.Errors, Has.Some.Match("^line 4: .*vacation"), "a kind other than holiday or workday");
            Assert.That(result.Errors, Has.Some.Match("^line 6: .*2032-10-01"), "the same date twice");
            Assert.That(result.Errors, Has.Some.Match("^line 7: "), "a row without its name field");
            Assert.That(result.Errors, Has.Some.Match("^line 8: .*2032-02-30"), "a date that does not exist");
            Assert.That(result.Errors, Has.None.Match("^line (2|5): "), "the good rows are not errors");
            // All or nothing: the valid rows of a bad file must not half-change the calendar.
            Assert.That(calendar.IsWorkday(new DateOnly(2032, 10, 1)), Is.True, "Fri 2032-10-01 stays a workday");
            Assert.That(calendar.IsWorkday(new DateOnly(2032, 10, 4)), Is.True, "Mon 2032-10-04 stays a workday");
        });
    }

    [Test]
    public async Task Import_WrongHeader_ReportsLine1AndImportsNothing()
    {
        var file = await WriteCsvAsync("header.csv", "day,type,name", "2034-06-01,holiday,测试假日");

        var result = await CalendarImport.ImportAsync(store, file, Ct);
        var calendar = await store.GetAsync(Ct);

        Assert.Multiple(() =>
        {
            Assert.That(result.Imported, Is.Zero);
            Assert.That(result.Errors.Single(), Does.StartWith("line 1: missing column(s) date, kind").And.EndWith("expected header: date,kind,name"));
            Assert.That(calendar.IsWorkday(new DateOnly(2034, 6, 1)), Is.True);
        });
    }

    [Test]
    public async Task Import_FileSavedAsGbk_IsRefusedWithAHintInsteadOfStoredAsMojibake()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var file = Path.Combine(directory, "gbk.csv");
        // What Excel on Chinese Windows saves as "CSV": the holiday's name in GBK.
        await File.WriteAllBytesAsync(file, Encoding.GetEncoding("GBK").GetBytes("date,kind,name\r\n2034-06-02,holiday,端午节\r\n"), Ct);

        var result = await CalendarImport.ImportAsync(store, file, Ct);
        var calendar = await store.GetAsync(Ct);

        Assert.Multiple(() =>
        {
            Assert.That(result.Imported, Is.Zero);
            Assert.That(result.Errors.Single(), Does.Contain("not UTF-8").And.Contain("CSV UTF-8"));
            Assert.That(calendar.IsWorkday(new DateOnly(2034, 6, 2)), Is.True, "nothing stored");
        });
    }

    [Test]
    public async Task Import_MissingFile_ReportsItWithoutThrowing()
    {
        var result = await CalendarImport.ImportAsync(store, Path.Combine(directory, "missing.csv"), Ct);

        Assert.Multiple(() =>
        {
            Assert.That(result.Imported, Is.Zero);
            Assert.That(result.Errors, Has.One.Match("file not found"));
        });
    }

    private static DateTime ChinaTime(int year, int month, int day, int hour) =>
        new DateTime(year, month, day, hour, 0, 0, DateTimeKind.Utc) - TimeSpan.FromHours(8);

    private async Task<string> WriteCsvAsync(string name, params string[] lines)
    {
        var path = Path.Combine(directory, name);
        // With a BOM and CRLF, as Excel saves "CSV UTF-8".
        await File.WriteAllTextAsync(path, string.Join("\r\n", lines) + "\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), Ct);
        return path;
    }
}
