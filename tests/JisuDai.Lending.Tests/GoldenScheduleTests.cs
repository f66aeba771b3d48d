using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Tests;

/// <summary>
/// Schedules checked against figures computed outside this code. Sources: the annuity payment
/// PMT(1%, 12, −10000) = 888.4879 (the spreadsheet PMT function, and the figure in the lending issue); the
/// rest are by hand from the textbook definitions, or from an independent Python implementation of the
/// same amortisation and IRR rules (noted on each test).
/// </summary>
public sealed class GoldenScheduleTests
{
    static readonly DateOnly Start = new(2026, 1, 15);

    static RepaymentSchedule Build(decimal principal, decimal rate, int term, RepaymentMethod method,
        DayCountConvention dayCount = DayCountConvention.Thirty360, decimal fee = 0m, int grace = 0, DateOnly? start = null)
    {
        Outcome<RepaymentSchedule> outcome = RepaymentSchedules.Build(new ScheduleTerms(
            principal, rate, term, method, PaymentFrequency.Monthly, dayCount, start ?? Start, grace, fee));
        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors));
        return outcome.Value!;
    }

    [Fact]
    public void Equal_installment_10000_at_12_percent_over_12_months_is_888_49_a_month()
    {
        RepaymentSchedule schedule = Build(10_000m, 0.12m, 12, RepaymentMethod.EqualInstallment);

        Assert.All(schedule.Installments.Take(11), i => Assert.Equal(888.49m, i.Total));
        Assert.Equal(100.00m, schedule.Installments[0].Interest);
        Assert.Equal(788.49m, schedule.Installments[0].Principal);
        // The last installment absorbs rounding (independent Python amortisation: 879.67 + 8.80).
        Assert.Equal(new Installment(12, new DateOnly(2027, 1, 15), 879.67m, 8.80m, 888.47m, 0m), schedule.Installments[11]);
        Assert.Equal(661.86m, schedule.TotalInterest);
        Assert.Equal(10_000m, schedule.Installments.Sum(i => i.Principal));
    }

    [Fact]
    public void Equal_principal_12000_at_12_percent_over_12_months_falls_from_1120_to_1010()
    {
        RepaymentSchedule schedule = Build(12_000m, 0.12m, 12, RepaymentMethod.EqualPrincipal);

        // By hand: 1,000 principal a month; interest 1% of 12,000, 11,000, … 1,000.
        Assert.Equal(Enumerable.Range(0, 12).Select(k => 1_000m + (120m - 10m * k)), schedule.Installments.Select(i => i.Total));
        Assert.Equal(780m, schedule.TotalInterest);
    }

    [Fact]
    public void Interest_first_pays_interest_monthly_and_all_principal_at_maturity()
    {
        RepaymentSchedule schedule = Build(10_000m, 0.12m, 12, RepaymentMethod.InterestFirst);

        Assert.All(schedule.Installments.Take(11), i => Assert.Equal((0m, 100m), (i.Principal, i.Interest)));
        Assert.Equal(10_100m, schedule.Installments[11].Total);
        Assert.Equal(1_200m, schedule.TotalInterest);
    }

    [Theory]
    [InlineData(DayCountConvention.Thirty360)]
    [InlineData(DayCountConvention.Actual365Fixed)] // 2026-01-15 to 2027-01-15 is 365 days
    public void A_bullet_loan_repays_principal_and_a_years_simple_interest_in_one_payment(DayCountConvention dayCount)
    {
        RepaymentSchedule schedule = Build(10_000m, 0.12m, 12, RepaymentMethod.Bullet, dayCount);

        Installment only = Assert.Single(schedule.Installments);
        Assert.Equal(new Installment(1, new DateOnly(2027, 1, 15), 10_000m, 1_200m, 11_200m, 0m), only);
    }

    [Fact]
    public void Under_ACT_365_interest_follows_the_days_in_each_period()
    {
        RepaymentSchedule schedule = Build(10_000m, 0.12m, 12, RepaymentMethod.EqualInstallment, DayCountConvention.Actual365Fixed);

        // 15 Jan to 15 Feb is 31 days: 10,000 × 12% × 31/365 = 101.9178.
        Assert.Equal(101.92m, schedule.Installments[0].Interest);
        // 15 Feb to 15 Mar 2026 is 28 days, on 10,000 − (888.49 − 101.92) = 9,213.43: × 12% × 28/365 = 84.81.
        Assert.Equal(84.81m, schedule.Installments[1].Interest);
        Assert.Equal(10_000m, schedule.Installments.Sum(i => i.Principal));
    }

    [Fact]
    public void Grace_periods_are_interest_only_then_the_principal_amortises_over_the_rest()
    {
        RepaymentSchedule schedule = Build(10_000m, 0.12m, 12, RepaymentMethod.EqualInstallment, grace: 2);

        Assert.All(schedule.Installments.Take(2), i => Assert.Equal((0m, 100m), (i.Principal, i.Interest)));
        // PMT(1%, 10, −10000) = 1,055.82.
        Assert.Equal(1_055.82m, schedule.Installments[2].Total);
        Assert.Equal(1_055.82m, schedule.RegularInstallment);
    }

    [Fact]
    public void Month_end_start_dates_keep_to_the_month_end_without_drifting()
    {
        RepaymentSchedule schedule = Build(3_000m, 0.12m, 3, RepaymentMethod.EqualPrincipal, start: new DateOnly(2026, 1, 31));

        Assert.Equal(
            [new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 31), new DateOnly(2026, 4, 30)],
            schedule.Installments.Select(i => i.DueDate));
    }

    [Fact]
    public void The_APR_of_a_fee_free_loan_is_its_nominal_rate_and_a_fee_raises_it()
    {
        // Independent Python IRR over the same cash flows: 0.120001 without a fee, 0.158546 with a 2% fee.
        Assert.Equal(0.120001m, Build(10_000m, 0.12m, 12, RepaymentMethod.EqualInstallment).Apr);
        Assert.Equal(0.158546m, Build(10_000m, 0.12m, 12, RepaymentMethod.EqualInstallment, fee: 200m).Apr);
    }
}
