namespace JisuDai.Lending.Calendar;

/// <summary>
/// The lender's time zone (Asia/Shanghai) and the dates that matter to money in it: the one place an instant becomes
/// the lender's calendar date, so offers, bookings, repayments and sweeps agree on what day it is.
/// </summary>
public static class LenderCalendar
{
    /// <summary>Asia/Shanghai.</summary>
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>The lender's date at <paramref name="instant"/>.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>The instant <paramref name="day"/> begins in the lender's time zone.</summary>
    public static DateTimeOffset StartOf(DateOnly day)
    {
        DateTime midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, Zone.GetUtcOffset(midnight));
    }

    /// <summary>Today in the lender's time zone.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());
}
