using LianApi.Calendar;
using LianApi.Notifications.Wecom;

namespace LianApi.Tests.Wecom;

/// <summary>When a non-urgent WeCom message may go: nights of working days, and rest days all day, wait for a working morning.</summary>
public sealed class QuietHoursTests
{
    private static readonly TimeOnly Start = new(21, 0), End = new(8, 0);

    // 2026-12-11 is a Friday; 2026-12-14 a Monday.
    private static DateTime Beijing(int month, int day, int hour, int minute = 0) =>
        DateTime.SpecifyKind(new DateTime(2026, month, day, hour, minute, 0) - TimeSpan.FromHours(8), DateTimeKind.Utc);

    private static readonly WorkingCalendar Weekdays = WorkingCalendar.WeekdaysOnly;

    [TestCase(12, 8, 10, null, null, TestName = "A working day's morning: at once")]
    [TestCase(12, 8, 22, 12, 9, TestName = "A working night: the next morning")]
    [TestCase(12, 9, 7, 12, 9, TestName = "A working day before eight: that morning")]
    [TestCase(12, 11, 22, 12, 14, TestName = "Friday night: Monday morning")]
    [TestCase(12, 12, 10, 12, 14, TestName = "Saturday at ten: Monday morning")]
    [TestCase(12, 13, 7, 12, 14, TestName = "Sunday before eight: Monday morning")]
    public void ReleaseAt_ByTheWeekdaysCalendar(int month, int day, int hour, int? releaseMonth, int? releaseDay)
    {
        var release = QuietHours.ReleaseAt(Beijing(month, day, hour), Start, End, Weekdays, quietOnRestDays: true);

        Assert.That(release, Is.EqualTo(releaseMonth is null ? null : Beijing(releaseMonth.Value, releaseDay!.Value, 8)));
    }

    [Test]
    public void ReleaseAt_AHolidayMondayAndAWorkingSaturday_FollowTheImportedCalendar()
    {
        var calendar = new WorkingCalendar(new Dictionary<DateOnly, bool>
        {
            [new DateOnly(2026, 12, 14)] = false,   // a holiday Monday
            [new DateOnly(2026, 12, 19)] = true,    // a 调休 Saturday
        });

        Assert.Multiple(() =>
        {
            Assert.That(QuietHours.ReleaseAt(Beijing(12, 11, 22), Start, End, calendar, true), Is.EqualTo(Beijing(12, 15, 8)), "past the holiday");
            Assert.That(QuietHours.ReleaseAt(Beijing(12, 19, 10), Start, End, calendar, true), Is.Null, "a working Saturday's day");
            Assert.That(QuietHours.ReleaseAt(Beijing(12, 18, 22), Start, End, calendar, true), Is.EqualTo(Beijing(12, 19, 8)), "Friday night: the working Saturday");
        });
    }

    [Test]
    public void ReleaseAt_RestDaysNotQuiet_HoldsOnlyTheNights()
    {
        Assert.Multiple(() =>
        {
            Assert.That(QuietHours.ReleaseAt(Beijing(12, 12, 10), Start, End, Weekdays, quietOnRestDays: false), Is.Null);
            Assert.That(QuietHours.ReleaseAt(Beijing(12, 11, 22), Start, End, Weekdays, quietOnRestDays: false), Is.EqualTo(Beijing(12, 12, 8)));
        });
    }

    [Test]
    public void ReleaseAt_EqualTimes_NoQuietHoursAtAll()
    {
        Assert.That(QuietHours.ReleaseAt(Beijing(12, 12, 10), End, End, Weekdays, quietOnRestDays: true), Is.Null);
    }
}
