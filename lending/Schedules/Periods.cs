using JisuDai.Lending.Products;

namespace JisuDai.Lending.Schedules;

/// <summary>Due dates and the year fraction of each period.</summary>
static class Periods
{
    /// <summary>
    /// The due date of period <paramref name="n"/> (1-based). Monthly dates count from the start date each
    /// time (Jan 31 → Feb 28 → Mar 31), so a short month never shifts the dates that follow.
    /// </summary>
    public static DateOnly DueDate(DateOnly start, PaymentFrequency frequency, int n) => frequency switch
    {
        PaymentFrequency.Monthly => start.AddMonths(n),
        PaymentFrequency.BiWeekly => start.AddDays(14 * n),
        PaymentFrequency.Weekly => start.AddDays(7 * n),
        _ => throw new ArgumentOutOfRangeException(nameof(frequency)),
    };

    /// <summary>
    /// The fraction of a year from <paramref name="from"/> to <paramref name="to"/>. Under 30/360 a monthly
    /// period is exactly 1/12 whatever the calendar (that is what 30/360 is for), and other spans count
    /// 30E/360 days; under ACT/365 Fixed, actual days over 365.
    /// </summary>
    public static decimal YearFraction(DateOnly from, DateOnly to, DayCountConvention dayCount, PaymentFrequency frequency, int periods) =>
        dayCount switch
        {
            DayCountConvention.Thirty360 when frequency == PaymentFrequency.Monthly => periods / 12m,
            DayCountConvention.Thirty360 => Days30E360(from, to) / 360m,
            DayCountConvention.Actual365Fixed => (to.DayNumber - from.DayNumber) / 365m,
            _ => throw new ArgumentOutOfRangeException(nameof(dayCount)),
        };

    static int Days30E360(DateOnly from, DateOnly to) =>
        360 * (to.Year - from.Year) + 30 * (to.Month - from.Month) + (Math.Min(to.Day, 30) - Math.Min(from.Day, 30));
}
