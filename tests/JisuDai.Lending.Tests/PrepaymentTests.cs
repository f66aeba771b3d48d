using CsCheck;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Money;
using JisuDai.Lending.Products;
using JisuDai.Lending.Repayments;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Tests;

public sealed class PrepaymentTests
{
    static readonly DateOnly Start = new(2026, 1, 15), Feb15 = new(2026, 2, 15);

    static readonly RepaymentSchedule Schedule = RepaymentSchedules.Build(new ScheduleTerms(
        10_000m, 0.12m, 12, RepaymentMethod.EqualInstallment, PaymentFrequency.Monthly, DayCountConvention.Thirty360, Start)).Value!;

    static LoanLedger Prepaid(PrepaymentMode mode) =>
        LoanLedger.Open(Schedule, Waterfall.Default)
            .Record(new RepaymentReceived("pay-1", Feb15, 888.49m)).Value!
            .Record(new PrepaymentReceived("pre-1", Feb15, 3_000m, mode)).Value!;

    [Fact]
    public void Reduce_installment_keeps_the_due_dates_and_lowers_the_amount()
    {
        LoanPosition position = Prepaid(PrepaymentMode.ReduceInstallment).PositionOn(Feb15);

        // 9,211.51 − 3,000 = 6,211.51 over the 11 installments left: PMT(1%, 11, −6211.51) = 599.1255.
        Assert.Equal(12, position.Balances.Count);
        Assert.All(position.Balances.Skip(1).Take(10), b => Assert.Equal(599.13m, b.Interest + b.Principal));
        Assert.Equal(62.12m, position.Balances[1].Interest); // 6,211.51 × 12% × 30/360
        Assert.Equal(6_211.51m, position.PrincipalOutstanding);
    }

    [Fact]
    public void Reduce_term_keeps_the_amount_and_ends_sooner()
    {
        LoanPosition position = Prepaid(PrepaymentMode.ReduceTerm).PositionOn(Feb15);

        // 6,211.51 at 888.49 a month and 1% interest: 7 full installments, then 250.44 + 2.50 (independent Python).
        Assert.Equal(1 + 8, position.Balances.Count);
        Assert.All(position.Balances.Skip(1).Take(7), b => Assert.Equal(888.49m, b.Interest + b.Principal));
        Assert.Equal((250.44m, 2.50m), (position.Balances[^1].Principal, position.Balances[^1].Interest));
        Assert.Equal(new DateOnly(2026, 10, 15), position.Balances[^1].DueDate);
    }

    [Fact]
    public void A_prepayment_mid_period_first_pays_the_interest_accrued_to_its_date()
    {
        LoanLedger ledger = LoanLedger.Open(Schedule, Waterfall.Default)
            .Record(new PrepaymentReceived("pre-1", new DateOnly(2026, 1, 25), 1_000m, PrepaymentMode.ReduceInstallment)).Value!;

        AppliedRepayment applied = Assert.Single(ledger.PositionOn(new DateOnly(2026, 1, 25)).Applied);

        // 15 to 25 January: 10 days of 30E/360 on 10,000 at 12% = 33.33; the rest, 966.67, is principal.
        Assert.Equal([new AllocationLine(1, Component.Interest, 33.33m), new AllocationLine(1, Component.Principal, 966.67m)], applied.Lines);
        // The first installment now charges interest from 25 January on 9,033.33: 20 days = 60.22.
        Assert.Equal(60.22m, ledger.PositionOn(new DateOnly(2026, 1, 25)).Balances[0].Interest);
    }

    [Fact]
    public void A_prepayment_smaller_than_the_accrued_interest_is_held_as_credit()
    {
        LoanLedger ledger = LoanLedger.Open(Schedule, Waterfall.Default)
            .Record(new PrepaymentReceived("pre-1", new DateOnly(2026, 1, 25), 20m, PrepaymentMode.ReduceTerm)).Value!;

        LoanPosition position = ledger.PositionOn(new DateOnly(2026, 1, 25));
        Assert.Equal(20m, position.Credit);
        Assert.Equal(10_000m, position.PrincipalOutstanding);
    }

    [Fact]
    public void Reversing_a_prepayment_restores_the_original_schedule()
    {
        LoanLedger reversed = Prepaid(PrepaymentMode.ReduceTerm).Record(new RepaymentReversed("rev", Feb15, "pre-1")).Value!;
        LoanLedger never = LoanLedger.Open(Schedule, Waterfall.Default).Record(new RepaymentReceived("pay-1", Feb15, 888.49m)).Value!;

        Assert.Equal(never.PositionOn(Feb15).Balances, reversed.PositionOn(Feb15).Balances);
    }

    [Fact]
    public void A_prepayment_pays_the_products_fee_on_the_principal_it_repays_early()
    {
        LoanLedger ledger = LoanLedger.Open(Schedule, Waterfall.Default, prepaymentFeeRate: 0.01m)
            .Record(new RepaymentReceived("pay-1", Feb15, 888.49m)).Value!
            .Record(new PrepaymentReceived("pre-1", Feb15, 3_030m, PrepaymentMode.ReduceTerm, 0.01m)).Value!;

        AppliedRepayment applied = ledger.PositionOn(Feb15).Applied.Single(a => a.TransactionId == "pre-1");

        // Nothing due or accrued on the due date itself: 3,030 buys 3,000 of principal and its 1% fee, 30.00.
        Assert.Equal([new AllocationLine(2, Component.Fee, 30m), new AllocationLine(2, Component.Principal, 3_000m)], applied.Lines);
        Assert.Equal((30m, 0m), (applied.PrepaymentFee, applied.ToCredit));
        Assert.Equal(6_211.51m, ledger.PositionOn(Feb15).PrincipalOutstanding);
    }

    [Fact]
    public void Paying_the_payoff_quote_as_a_payment_settles_the_loan_with_its_fee_and_leaves_no_credit()
    {
        DateOnly on = new(2026, 3, 3);
        LoanLedger ledger = LoanLedger.Open(Schedule, Waterfall.Default, prepaymentFeeRate: 0.01m)
            .Record(new RepaymentReceived("pay-1", Feb15, 888.49m, 0.01m)).Value!;
        PayoffQuote quote = ledger.QuoteOn(on);

        LoanPosition position = ledger.Record(new RepaymentReceived("payoff", on, quote.Total, 0.01m)).Value!.PositionOn(on);

        Assert.True(position.Settled);
        Assert.Equal(0m, position.Credit);
        Assert.Equal(quote.PrepaymentFee, position.Applied.Single(a => a.TransactionId == "payoff").PrepaymentFee);
        Assert.Equal(Yuan.Round(quote.PrincipalNotYetDue * 0.01m), quote.PrepaymentFee);
    }

    [Fact]
    public void A_prepayment_recorded_before_the_fee_was_charged_replays_as_it_was_recorded()
    {
        LoanLedger ledger = LoanLedger.Open(Schedule, Waterfall.Default, prepaymentFeeRate: 0.01m)
            .Record(new PrepaymentReceived("pre-1", Feb15, 3_000m, PrepaymentMode.ReduceTerm)).Value!;

        AppliedRepayment applied = Assert.Single(ledger.PositionOn(Feb15).Applied);

        Assert.Equal(0m, applied.PrepaymentFee);
        Assert.DoesNotContain(applied.Lines, l => l.Component == Component.Fee);
    }

    [Fact]
    public void Every_payment_is_wholly_allocated_or_held_as_credit_and_nothing_goes_negative() =>
        GeneratedLedgers.Ledgers(holdOverpaymentsAsCredit: false).Sample(generated =>
        {
            LoanPosition position = generated.Ledger.PositionOn(generated.Last.AddDays(30));
            var amounts = generated.Ledger.Transactions.Where(t => t is RepaymentReceived or PrepaymentReceived)
                .ToDictionary(t => t.Id, t => t is RepaymentReceived r ? r.Amount : ((PrepaymentReceived)t).Amount);
            return position.Applied.All(a => a.Lines.Sum(l => l.Amount) + a.ToCredit == amounts[a.TransactionId])
                && position.Balances.All(b => b.Penalty >= 0 && b.Fee >= 0 && b.Interest >= 0 && b.Principal >= 0)
                && position.Credit >= 0
                && position.PrincipalOutstanding <= generated.Ledger.Schedule.Terms.Principal;
        });

    [Fact]
    public void Principal_is_conserved_through_prepayments_and_re_amortisation() =>
        GeneratedLedgers.Ledgers(holdOverpaymentsAsCredit: false).Sample(generated =>
        {
            LoanPosition position = generated.Ledger.PositionOn(generated.Last);
            decimal principalPaidByLines = position.Applied.SelectMany(a => a.Lines).Where(l => l.Component == Component.Principal).Sum(l => l.Amount);
            // Credit applied as installments fall due settles principal without a line of its own: count it too.
            decimal creditApplied = position.Applied.Sum(a => a.ToCredit) - position.Credit;
            decimal outstanding = position.PrincipalOutstanding;
            decimal principal = generated.Ledger.Schedule.Terms.Principal;
            return outstanding + principalPaidByLines <= principal && outstanding + principalPaidByLines + creditApplied >= principal;
        });
}
