using JisuDai.Lending.Delinquency;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Repayments;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Tests;

public sealed class DelinquencyTests
{
    static readonly DateOnly Start = new(2026, 1, 15);

    static readonly RepaymentSchedule Schedule = RepaymentSchedules.Build(new ScheduleTerms(
        10_000m, 0.12m, 12, RepaymentMethod.EqualInstallment, PaymentFrequency.Monthly, DayCountConvention.Thirty360, Start)).Value!;

    static LoanLedger Paid(params (string Id, DateOnly Day, decimal Amount)[] payments) =>
        payments.Aggregate(LoanLedger.Open(Schedule, Waterfall.Default),
            (ledger, p) => ledger.Record(new RepaymentReceived(p.Id, p.Day, p.Amount)).Value!);

    [Theory]
    [InlineData("2026-02-15", 0, "Current")] // due today: not yet past due
    [InlineData("2026-02-16", 1, "M1")]
    [InlineData("2026-03-17", 30, "M1")]
    [InlineData("2026-03-18", 31, "M2")]
    [InlineData("2026-05-16", 90, "M3")]
    [InlineData("2026-05-17", 91, "M4+")]
    [InlineData("2026-08-15", 181, "WriteOff")]
    public void Days_past_due_count_from_the_oldest_unpaid_installment_into_the_default_buckets(string day, int days, string bucket)
    {
        DelinquencyStatus status = Arrears.Assess(Paid().PositionOn(DateOnly.Parse(day)), DelinquencyPolicy.Default);

        Assert.Equal((days, bucket), (status.DaysPastDue, status.Bucket.Name));
        Assert.Equal(days > 180, status.ProposeWriteOff);
    }

    [Fact]
    public void Paying_the_oldest_installment_moves_days_past_due_to_the_next_one()
    {
        LoanPosition position = Paid(("p1", new DateOnly(2026, 3, 20), 888.49m)).PositionOn(new DateOnly(2026, 3, 20));

        DelinquencyStatus status = Arrears.Assess(position, DelinquencyPolicy.Default);

        Assert.Equal(5, status.DaysPastDue); // installment 2, due 15 March
        Assert.Equal(796.37m, status.OverduePrincipal);
    }

    [Fact]
    public void The_daily_penalty_is_overdue_principal_times_the_penalty_rate_over_365_per_installment()
    {
        LoanPosition position = Paid().PositionOn(new DateOnly(2026, 3, 20));

        IReadOnlyList<PenaltyCharge> charges = Arrears.DailyPenalty(position, DelinquencyPolicy.Default);

        // 788.49 × 18% / 365 = 0.38885 → 0.39; 796.37 × 18% / 365 = 0.39273 → 0.39.
        Assert.Equal([new PenaltyCharge(1, 0.39m), new PenaltyCharge(2, 0.39m)], charges);
    }

    [Fact]
    public void No_penalty_or_late_fee_within_the_grace_days_then_both_once_they_pass()
    {
        var policy = DelinquencyPolicy.Default with { GraceDays = 3, LateFee = 20m };

        LoanPosition inGrace = Paid().PositionOn(new DateOnly(2026, 2, 18)); // 3 days past due
        LoanPosition pastGrace = Paid().PositionOn(new DateOnly(2026, 2, 19)); // 4 days past due

        Assert.Empty(Arrears.DailyPenalty(inGrace, policy));
        Assert.Empty(Arrears.LateFees(inGrace, policy));
        Assert.Equal(3, Arrears.Assess(inGrace, policy).DaysPastDue);
        Assert.Equal([new PenaltyCharge(1, 0.39m)], Arrears.DailyPenalty(pastGrace, policy));
        Assert.Equal([new PenaltyCharge(1, 20m)], Arrears.LateFees(pastGrace, policy));
    }

    [Fact]
    public void A_late_fee_is_charged_once_per_installment_however_often_the_sweep_asks()
    {
        var policy = DelinquencyPolicy.Default with { LateFee = 20m };
        LoanLedger ledger = Paid();
        foreach (DateOnly day in new[] { new DateOnly(2026, 2, 19), new DateOnly(2026, 2, 20), new DateOnly(2026, 2, 21) })
        {
            foreach (PenaltyCharge fee in Arrears.LateFees(ledger.PositionOn(day), policy))
            {
                Outcome<LoanLedger> charged = ledger.Record(new ChargeAssessed($"late-fee-{fee.Installment}", day, fee.Installment, Component.Fee, fee.Amount));
                ledger = charged.Succeeded ? charged.Value! : ledger;
            }
        }

        Assert.Equal(20m, ledger.PositionOn(new DateOnly(2026, 2, 21)).Balances[0].Fee);
    }

    [Fact]
    public void Buckets_with_a_gap_or_without_an_open_end_are_refused()
    {
        var gap = DelinquencyPolicy.Default with { Buckets = [new("Current", 0, 0), new("M1", 2, 30), new("Late", 31, null)] };
        var closed = DelinquencyPolicy.Default with { Buckets = [new("Current", 0, 0), new("M1", 1, 30)] };

        Assert.Equal("buckets-contiguous", gap.Check().Single().Rule);
        Assert.Equal("buckets-contiguous", closed.Check().Single().Rule);
        Assert.Empty(DelinquencyPolicy.Default.Check());
    }

    [Fact]
    public void Only_the_listed_loan_transitions_are_legal()
    {
        foreach (LoanStatus from in Enum.GetValues<LoanStatus>())
        {
            foreach (LoanEvent loanEvent in Enum.GetValues<LoanEvent>())
            {
                Outcome<LoanStatus> outcome = LoanLifecycle.Apply(from, loanEvent);
                if (LoanLifecycle.All.TryGetValue((from, loanEvent), out LoanStatus to))
                {
                    Assert.Equal(to, outcome.Value);
                }
                else
                {
                    Assert.Equal(("status", "transition-legal"), (outcome.Errors.Single().Field, outcome.Errors.Single().Rule));
                }
            }
        }

        Assert.Equal(LoanStatus.Active, LoanLifecycle.Apply(LoanStatus.Approved, LoanEvent.Disbursed).Value);
        Assert.False(LoanLifecycle.Apply(LoanStatus.PaidOff, LoanEvent.Disbursed).Succeeded);
        Assert.False(LoanLifecycle.Apply(LoanStatus.WrittenOff, LoanEvent.Cured).Succeeded);
        Assert.False(LoanLifecycle.Apply(LoanStatus.Active, LoanEvent.WrittenOff).Succeeded);
    }

    [Theory]
    [InlineData(false, 10_000.00)]
    [InlineData(true, 10_000.00 + 100.00 + 92.12)] // two months' unpaid interest capitalised
    public void Restructuring_re_amortises_the_outstanding_principal_over_the_new_term(bool capitalise, double expectedPrincipal)
    {
        LoanPosition position = Paid().PositionOn(new DateOnly(2026, 3, 20));

        Outcome<RepaymentSchedule> restructured = Restructuring.Reamortise(position, Schedule.Terms,
            new RestructuringRequest(new DateOnly(2026, 3, 20), 0.10m, 24, RepaymentMethod.EqualInstallment, capitalise));

        Assert.True(restructured.Succeeded);
        Assert.Equal((decimal)expectedPrincipal, restructured.Value!.Installments.Sum(i => i.Principal));
        Assert.Equal(24, restructured.Value.Installments.Count);
        Assert.Equal(new DateOnly(2026, 4, 20), restructured.Value.Installments[0].DueDate);
    }
}
