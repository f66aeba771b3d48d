using JisuDai.Lending.Products;

namespace JisuDai.Lending.Schedules;

/// <summary>Due dates and the interest of each period (the day-count rules in one place).</summary>
public static class Periods
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
    /// Interest on <paramref name="balance"/> at <paramref name="annualRate"/> from <paramref name="from"/> to
    /// <paramref name="to"/> (<paramref name="periods"/> payment periods), unrounded. Under 30/360 a monthly
    /// period is exactly 1/12 of a year whatever the calendar (that is what 30/360 is for) and other spans
    /// count 30E/360 days; under ACT/365 Fixed, actual days over 365. The division comes last so that short
    /// exact products are divided once, rather than multiplying by a 28-digit year fraction.
    /// </summary>
    public static decimal Interest(decimal balance, decimal annualRate, DateOnly from, DateOnly to,
        DayCountConvention dayCount, PaymentFrequency frequency, int periods) =>
        dayCount switch
        {
            DayCountConvention.Thirty360 when frequency == PaymentFrequency.Monthly => balance * annualRate * periods / 12m,
            DayCountConvention.Thirty360 => balance * annualRate * Days30E360(from, to) / 360m,
            DayCountConvention.Actual365Fixed => balance * annualRate * (to.DayNumber - from.DayNumber) / 365m,
            _ => throw new ArgumentOutOfRangeException(nameof(dayCount)),
        };

    /// <summary>
    /// Interest accrued on <paramref name="balance"/> over a part of a period, counted in days: 30E/360 days
    /// over 360 under 30/360, actual days over 365 under ACT/365 Fixed. Unrounded.
    /// </summary>
    public static decimal Accrued(decimal balance, decimal annualRate, DateOnly from, DateOnly to, DayCountConvention dayCount) =>
        to <= from ? 0m : dayCount switch
        {
            DayCountConvention.Thirty360 => balance * annualRate * Days30E360(from, to) / 360m,
            _ => balance * annualRate * (to.DayNumber - from.DayNumber) / 365m,
        };

    static int Days30E360(DateOnly from, DateOnly to) =>
        360 * (to.Year - from.Year) + 30 * (to.Month - from.Month) + (Math.Min(to.Day, 30) - Math.Min(from.Day, 30));
}
