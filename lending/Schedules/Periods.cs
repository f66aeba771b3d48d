using JisuDai.Lending.Money;
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

    /// <summary>Rates are held as integers scaled by 10^8, so they may have at most eight decimals.</summary>
    public const long RateScale = 100_000_000;

    /// <summary>
    /// Interest in fen on <paramref name="balanceFen"/> at <paramref name="rate"/> (scaled by <see cref="RateScale"/>)
    /// from <paramref name="from"/> to <paramref name="to"/> (<paramref name="periods"/> payment periods),
    /// rounded to the fen half away from zero. Under 30/360 a monthly period is exactly 1/12 of a year
    /// whatever the calendar (that is what 30/360 is for) and other spans count 30E/360 days; under ACT/365
    /// Fixed, actual days over 365. Exact: 128-bit integers, one rounding.
    /// </summary>
    public static long InterestFen(long balanceFen, long rate, DateOnly from, DateOnly to,
        DayCountConvention dayCount, PaymentFrequency frequency, int periods) =>
        dayCount switch
        {
            DayCountConvention.Thirty360 when frequency == PaymentFrequency.Monthly => Prorate(balanceFen, rate, periods, 12),
            DayCountConvention.Thirty360 => Prorate(balanceFen, rate, Days30E360(from, to), 360),
            DayCountConvention.Actual365Fixed => Prorate(balanceFen, rate, to.DayNumber - from.DayNumber, 365),
            _ => throw new ArgumentOutOfRangeException(nameof(dayCount)),
        };

    /// <summary>Interest in fen accrued over part of a period, counted in days (30E/360 or ACT/365 Fixed).</summary>
    public static long AccruedFen(long balanceFen, long rate, DateOnly from, DateOnly to, DayCountConvention dayCount) =>
        to <= from ? 0 : dayCount switch
        {
            DayCountConvention.Thirty360 => Prorate(balanceFen, rate, Days30E360(from, to), 360),
            _ => Prorate(balanceFen, rate, to.DayNumber - from.DayNumber, 365),
        };

    /// <summary><see cref="InterestFen"/> for yuan amounts and plain rates, rounded to the fen.</summary>
    public static decimal Interest(decimal balance, decimal annualRate, DateOnly from, DateOnly to,
        DayCountConvention dayCount, PaymentFrequency frequency, int periods) =>
        Yuan.FromFen(InterestFen(Yuan.ToFen(balance), ScaleRate(annualRate), from, to, dayCount, frequency, periods));

    /// <summary><see cref="AccruedFen"/> for yuan amounts and plain rates, rounded to the fen.</summary>
    public static decimal Accrued(decimal balance, decimal annualRate, DateOnly from, DateOnly to, DayCountConvention dayCount) =>
        Yuan.FromFen(AccruedFen(Yuan.ToFen(balance), ScaleRate(annualRate), from, to, dayCount));

    /// <summary>A rate of at most eight decimals as an integer (<see cref="ScheduleTerms.Check"/> enforces the precision).</summary>
    public static long ScaleRate(decimal annualRate) => (long)(annualRate * RateScale);

    /// <summary>balanceFen × rate × numerator ÷ (denominator × RateScale), rounded half away from zero.</summary>
    static long Prorate(long balanceFen, long rate, long numerator, long denominator)
    {
        // Nearly always the product fits in 61 bits and one 64-bit division does; 128 bits otherwise.
        long rateTimesSpan = rate * numerator, divisor64 = denominator * RateScale;
        long high = Math.BigMul(balanceFen, rateTimesSpan, out long low);
        if (high == (low >> 63) && low is > -(1L << 61) and < 1L << 61)
        {
            long rounded = (Math.Abs(low) * 2 + divisor64) / (divisor64 * 2);
            return low < 0 ? -rounded : rounded;
        }

        Int128 product = (Int128)balanceFen * rate * numerator;
        Int128 divisor = (Int128)denominator * RateScale;
        Int128 magnitude = (Int128.Abs(product) * 2 + divisor) / (divisor * 2);
        return (long)(product < 0 ? -magnitude : magnitude);
    }

    static int Days30E360(DateOnly from, DateOnly to) =>
        360 * (to.Year - from.Year) + 30 * (to.Month - from.Month) + (Math.Min(to.Day, 30) - Math.Min(from.Day, 30));
}
