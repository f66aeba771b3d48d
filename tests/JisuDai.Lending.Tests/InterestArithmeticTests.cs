using CsCheck;
using JisuDai.Lending.Money;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Tests;

/// <summary>The integer interest arithmetic gives exactly what the plain decimal formula gives.</summary>
public sealed class InterestArithmeticTests
{
    [Fact]
    public void Integer_interest_equals_the_decimal_formula_rounded_half_away_from_zero() =>
        Gen.Select(Gen.Long[0, 100_000_000_000_00], Gen.Long[0, 10 * Periods.RateScale], Gen.Int[0, 20_000], Gen.Int[0, 1])
            .Sample((fen, scaledRate, days, convention) =>
            {
                decimal balance = fen / 100m, rate = scaledRate / (decimal)Periods.RateScale;
                var from = new DateOnly(2026, 1, 15);
                DateOnly to = from.AddDays(days);
                DayCountConvention dayCount = convention == 0 ? DayCountConvention.Actual365Fixed : DayCountConvention.Thirty360;
                decimal expected = dayCount == DayCountConvention.Actual365Fixed
                    ? Yuan.Round(balance * rate * days / 365m)
                    : Yuan.Round(balance * rate * (360 * (to.Year - from.Year) + 30 * (to.Month - from.Month) + (Math.Min(to.Day, 30) - Math.Min(from.Day, 30))) / 360m);
                return Periods.Accrued(balance, rate, from, to, dayCount) == expected;
            });

    [Fact]
    public void Exact_half_fen_ties_round_away_from_zero()
    {
        // 0.5 fen: 1 yuan at 1.825% for one day under ACT/365 is exactly 0.00005 yuan × 100 = 0.005.
        var from = new DateOnly(2026, 1, 1);
        Assert.Equal(0.01m, Periods.Accrued(100m, 0.01825m, from, from.AddDays(1), DayCountConvention.Actual365Fixed));
    }
}
