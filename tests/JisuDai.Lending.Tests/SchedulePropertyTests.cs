using CsCheck;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Tests;

/// <summary>What holds for every valid schedule, over generated terms.</summary>
public sealed class SchedulePropertyTests
{
    static readonly Gen<ScheduleTerms> ValidTerms =
        from fen in Gen.Long[10_000, 100_000_000_00] // 100 yuan to 100 million
        from basisPoints in Gen.Int[0, 10_000] // 0% to 100% a year
        from term in Gen.Int[1, 360]
        from method in Gen.Enum<RepaymentMethod>()
        from frequency in Gen.Enum<PaymentFrequency>()
        from dayCount in Gen.Enum<DayCountConvention>()
        from startDay in Gen.Int[0, 3_650]
        from grace in Gen.Int[0, 6]
        from feeBasisPoints in Gen.Int[0, 500]
        let principal = fen / 100m
        let amortising = method is RepaymentMethod.EqualInstallment or RepaymentMethod.EqualPrincipal
        select new ScheduleTerms(
            principal, basisPoints / 10_000m, term, method, frequency, dayCount,
            new DateOnly(2025, 1, 1).AddDays(startDay),
            amortising ? Math.Min(grace, term - 1) : 0,
            Math.Round(principal * feeBasisPoints / 10_000m, 2));

    static RepaymentSchedule Schedule(ScheduleTerms terms)
    {
        Outcome<RepaymentSchedule> outcome = RepaymentSchedules.Build(terms);
        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors));
        return outcome.Value!;
    }

    [Fact]
    public void Principal_sums_to_the_amount_lent_to_the_fen() =>
        ValidTerms.Sample(terms => Schedule(terms).Installments.Sum(i => i.Principal) == terms.Principal);

    [Fact]
    public void No_amount_is_negative_and_every_amount_is_whole_fen() =>
        ValidTerms.Sample(terms => Schedule(terms).Installments.All(i =>
            i.Principal >= 0 && i.Interest >= 0 && i.OutstandingAfter >= 0 &&
            decimal.Round(i.Principal, 2) == i.Principal && decimal.Round(i.Interest, 2) == i.Interest &&
            i.Total == i.Principal + i.Interest));

    [Fact]
    public void The_outstanding_balance_never_rises_and_ends_at_zero() =>
        ValidTerms.Sample(terms =>
        {
            IReadOnlyList<Installment> installments = Schedule(terms).Installments;
            decimal before = terms.Principal;
            foreach (Installment i in installments)
            {
                if (i.OutstandingAfter > before || i.OutstandingAfter != before - i.Principal)
                {
                    return false;
                }

                before = i.OutstandingAfter;
            }

            return before == 0m;
        });

    [Fact]
    public void Due_dates_rise_strictly_and_the_count_matches_the_method() =>
        ValidTerms.Sample(terms =>
        {
            IReadOnlyList<Installment> installments = Schedule(terms).Installments;
            int expected = terms.Method == RepaymentMethod.Bullet ? 1 : terms.TermCount;
            return installments.Count == expected
                && installments.Zip(installments.Skip(1)).All(p => p.Second.DueDate > p.First.DueDate)
                && installments[0].DueDate > terms.StartDate;
        });

    [Fact]
    public void A_fee_never_lowers_the_APR() =>
        ValidTerms.Sample(terms =>
            Schedule(terms).Apr >= Schedule(terms with { OriginationFee = 0m }).Apr);

    [Fact]
    public void Nothing_throws_from_the_arithmetic_whatever_the_input() =>
        Gen.Select(Gen.Decimal, Gen.Decimal, Gen.Int, Gen.Int[-2, 5], Gen.Int, Gen.Decimal)
            .Sample((principal, rate, term, method, grace, fee) =>
            {
                Outcome<RepaymentSchedule> outcome = RepaymentSchedules.Build(new ScheduleTerms(
                    principal, rate, term, (RepaymentMethod)method, PaymentFrequency.Monthly,
                    DayCountConvention.Actual365Fixed, new DateOnly(2026, 1, 15), grace, fee));
                return outcome.Succeeded || outcome.Errors.Count > 0;
            });

    [Fact]
    public void Extreme_valid_terms_compute_without_overflow()
    {
        var terms = new ScheduleTerms(ScheduleTerms.MaxPrincipal, ScheduleTerms.MaxAnnualRate, ScheduleTerms.MaxTermCount,
            RepaymentMethod.EqualInstallment, PaymentFrequency.Monthly, DayCountConvention.Actual365Fixed, new DateOnly(2026, 1, 15));

        Assert.Equal(ScheduleTerms.MaxPrincipal, Schedule(terms).Installments.Sum(i => i.Principal));
    }
}
