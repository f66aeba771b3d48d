using CsCheck;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Products;
using JisuDai.Lending.Repayments;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Tests;

public sealed class LoanLedgerTests
{
    static readonly DateOnly Start = new(2026, 1, 15);

    static RepaymentSchedule Schedule(decimal principal = 10_000m, int term = 12, RepaymentMethod method = RepaymentMethod.EqualInstallment,
        DayCountConvention dayCount = DayCountConvention.Thirty360, PaymentFrequency frequency = PaymentFrequency.Monthly) =>
        RepaymentSchedules.Build(new ScheduleTerms(principal, 0.12m, term, method, frequency, dayCount, Start)).Value!;

    static LoanLedger With(LoanLedger ledger, params LoanTransaction[] transactions)
    {
        foreach (LoanTransaction transaction in transactions)
        {
            Outcome<LoanLedger> outcome = ledger.Record(transaction);
            Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors));
            ledger = outcome.Value!;
        }

        return ledger;
    }

    [Fact]
    public void Credit_beyond_a_payoff_is_given_back_by_a_refund_and_never_more_than_the_loan_holds()
    {
        DateOnly on = new(2026, 3, 1);
        LoanLedger paid = With(LoanLedger.Open(Schedule(), Waterfall.Default, prepaymentFeeRate: 0.01m),
            new RepaymentReceived("pay-1", new DateOnly(2026, 2, 15), 888.49m, 0.01m));
        decimal total = paid.QuoteOn(on).Total;
        paid = With(paid, new RepaymentReceived("pay-2", on, total + 40m, 0.01m)); // 40 more than paying off took
        Assert.True(paid.PositionOn(on).Settled);
        Assert.Equal(40m, paid.PositionOn(on).Credit);

        Outcome<LoanLedger> tooMuch = paid.Record(new CreditRefunded("refund:rf1", on, 40.01m));
        Assert.Equal("refund-at-most-credit", Assert.Single(tooMuch.Errors).Rule);

        LoanLedger refunded = With(paid, new CreditRefunded("refund:rf1", on.AddDays(1), 40m));
        Assert.Equal(0m, refunded.PositionOn(on.AddDays(1)).Credit);
        Assert.Equal(40m, refunded.PositionOn(on).Credit); // the day before the money went back, it was still held
        Assert.Contains(refunded.Record(new CreditRefunded("refund:rf1", on.AddDays(1), 1m)).Errors, e => e.Rule == "id-unique");
    }

    [Fact]
    public void A_payoff_quote_is_principal_plus_interest_accrued_to_the_day_plus_the_prepayment_fee()
    {
        LoanLedger ledger = With(LoanLedger.Open(Schedule(), Waterfall.Default, prepaymentFeeRate: 0.01m),
            new RepaymentReceived("pay-1", new DateOnly(2026, 2, 15), 888.49m));

        PayoffQuote quote = ledger.QuoteOn(new DateOnly(2026, 3, 1));

        // By hand: 9,211.51 outstanding; 15 Feb to 1 Mar is 16 days under 30E/360: 9,211.51 × 12% × 16/360 = 49.128;
        // 1% prepayment fee on 9,211.51 = 92.1151.
        Assert.Equal(new PayoffQuote(new DateOnly(2026, 3, 1), 0m, 9_211.51m, 49.13m, 92.12m, 0m), quote);
        Assert.Equal(9_352.76m, quote.Total);
    }

    [Fact]
    public void Paying_the_quote_closes_the_loan_and_any_other_amount_is_refused()
    {
        LoanLedger ledger = LoanLedger.Open(Schedule(), Waterfall.Default);
        DateOnly day = new(2026, 4, 20); // two installments overdue
        decimal quote = ledger.QuoteOn(day).Total;

        Outcome<LoanLedger> wrong = ledger.Record(new PayoffReceived("off", day, quote - 0.01m));
        LoanLedger closed = With(ledger, new PayoffReceived("off", day, quote));

        Assert.Equal(("amount", "payoff-equals-quote"), (wrong.Errors.Single().Field, wrong.Errors.Single().Rule));
        LoanPosition position = closed.PositionOn(day.AddYears(2));
        Assert.True(position.PaidOff);
        Assert.Equal(0m, position.Balances.Sum(b => b.Total));
        Assert.Equal("loan-open", closed.Record(new RepaymentReceived("late", day.AddDays(1), 10m)).Errors.Single().Rule);
    }

    [Fact]
    public void Reversing_a_payment_replays_the_later_ones_as_if_it_had_never_been_made()
    {
        RepaymentSchedule schedule = Schedule();
        LoanLedger both = With(LoanLedger.Open(schedule, Waterfall.Default),
            new RepaymentReceived("pay-1", new DateOnly(2026, 2, 15), 888.49m),
            new RepaymentReceived("pay-2", new DateOnly(2026, 3, 15), 888.49m));
        LoanLedger reversed = With(both, new RepaymentReversed("rev-1", new DateOnly(2026, 3, 20), "pay-1"));
        LoanLedger onlySecond = With(LoanLedger.Open(schedule, Waterfall.Default),
            new RepaymentReceived("pay-2", new DateOnly(2026, 3, 15), 888.49m));

        DateOnly day = new(2026, 3, 31);
        Assert.Equal(onlySecond.PositionOn(day).Balances, reversed.PositionOn(day).Balances);
        // pay-2 now settles installment 1 (overdue since February), leaving installment 2 unpaid.
        Assert.Equal(0m, reversed.PositionOn(day).Balances[0].Total);
        Assert.Equal(888.49m, reversed.PositionOn(day).Balances[1].Total);
        // Before the reversal's date the ledger still shows both payments.
        Assert.Equal(both.PositionOn(new DateOnly(2026, 3, 19)).Balances, reversed.PositionOn(new DateOnly(2026, 3, 19)).Balances);
    }

    [Fact]
    public void By_default_an_overpayment_is_a_prepayment_that_shortens_the_loan()
    {
        LoanLedger ledger = With(LoanLedger.Open(Schedule(), Waterfall.Default),
            new RepaymentReceived("pay-1", new DateOnly(2026, 2, 15), 2_000m));

        LoanPosition position = ledger.PositionOn(new DateOnly(2026, 2, 15));
        Assert.Equal(0m, position.Credit);
        Assert.Equal(10_000m - 788.49m - (2_000m - 888.49m), position.PrincipalOutstanding);
        Assert.True(position.Balances.Count < 12);
    }

    [Fact]
    public void An_overpayment_is_held_as_credit_when_the_ledger_says_so_and_settles_installments_as_they_fall_due()
    {
        LoanLedger ledger = With(LoanLedger.Open(Schedule(), Waterfall.Default, overpayment: null),
            new RepaymentReceived("pay-1", new DateOnly(2026, 2, 15), 2_000m));

        Assert.Equal(2_000m - 888.49m, ledger.PositionOn(new DateOnly(2026, 2, 20)).Credit);
        LoanPosition march = ledger.PositionOn(new DateOnly(2026, 3, 15));
        Assert.Equal(0m, march.Balances[1].Total);
        Assert.Equal(2_000m - 2 * 888.49m, march.Credit);
    }

    [Fact]
    public void Charges_are_settled_first_by_the_default_waterfall()
    {
        LoanLedger ledger = With(LoanLedger.Open(Schedule(), Waterfall.Default),
            new ChargeAssessed("late-fee-1", new DateOnly(2026, 2, 20), 1, Component.Fee, 20m),
            new ChargeAssessed("penalty-1", new DateOnly(2026, 2, 20), 1, Component.Penalty, 1.50m),
            new RepaymentReceived("pay-1", new DateOnly(2026, 2, 21), 100m));

        AppliedRepayment applied = Assert.Single(ledger.PositionOn(new DateOnly(2026, 2, 21)).Applied);
        Assert.Equal(
            [new AllocationLine(1, Component.Penalty, 1.50m), new AllocationLine(1, Component.Fee, 20m), new AllocationLine(1, Component.Interest, 78.50m)],
            applied.Lines);
    }

    [Fact]
    public void A_ledger_opens_with_its_disbursement_which_cannot_be_repeated_or_reversed()
    {
        RepaymentSchedule schedule = RepaymentSchedules.Build(new ScheduleTerms(
            10_000m, 0.12m, 12, RepaymentMethod.EqualInstallment, PaymentFrequency.Monthly, DayCountConvention.Thirty360, Start, 0, 200m)).Value!;
        LoanLedger ledger = LoanLedger.Open(schedule, Waterfall.Default);

        LoanDisbursed disbursed = Assert.IsType<LoanDisbursed>(Assert.Single(ledger.Transactions));
        Assert.Equal((Start, 10_000m, 200m, 9_800m), (disbursed.Date, disbursed.Principal, disbursed.OriginationFee, disbursed.NetAmount));
        Assert.Equal("disbursed-once", ledger.Record(new LoanDisbursed("again", Start, 1m, 0m)).Errors.Single().Rule);
        Assert.Equal("repayment-exists", ledger.Record(new RepaymentReversed("undo", Start, LoanLedger.DisbursementId)).Errors.Single().Rule);
    }

    [Theory]
    [InlineData("dup", "id", "id-unique")]
    [InlineData("bad/id", "id", "id-format")]
    public void A_transaction_id_is_unique_and_well_formed(string id, string field, string rule)
    {
        LoanLedger ledger = With(LoanLedger.Open(Schedule(), Waterfall.Default), new RepaymentReceived("dup", Start.AddDays(1), 10m));

        DomainError error = ledger.Record(new RepaymentReceived(id, Start.AddDays(2), 10m)).Errors.Single();

        Assert.Equal((field, rule), (error.Field, error.Rule));
    }

    [Fact]
    public void Bad_transactions_are_refused_naming_the_rule()
    {
        LoanLedger ledger = With(LoanLedger.Open(Schedule(), Waterfall.Default),
            new RepaymentReceived("pay-1", Start.AddDays(30), 100m),
            new RepaymentReversed("rev-1", Start.AddDays(31), "pay-1"));

        string Rule(LoanTransaction t) => ledger.Record(t).Errors.First().Rule;
        Assert.Equal("amount-positive-fen", Rule(new RepaymentReceived("p", Start.AddDays(40), -1m)));
        Assert.Equal("amount-positive-fen", Rule(new RepaymentReceived("p", Start.AddDays(40), 1.001m)));
        Assert.Equal("date-after-disbursement", Rule(new RepaymentReceived("p", Start.AddDays(-1), 1m)));
        Assert.Equal("reversed-once", Rule(new RepaymentReversed("r", Start.AddDays(40), "pay-1")));
        Assert.Equal("repayment-exists", Rule(new RepaymentReversed("r", Start.AddDays(40), "nope")));
        Assert.Equal("charge-is-penalty-or-fee", Rule(new ChargeAssessed("c", Start.AddDays(40), 1, Component.Interest, 5m)));
        Assert.Equal("installment-exists", Rule(new ChargeAssessed("c", Start.AddDays(40), 13, Component.Fee, 5m)));
    }

    [Fact]
    public void Money_received_is_all_either_applied_or_held_as_credit() =>
        GeneratedLedgers.Ledgers(holdOverpaymentsAsCredit: true).Sample(generated =>
        {
            LoanPosition position = generated.Ledger.PositionOn(generated.Last.AddDays(400));
            decimal received = generated.Ledger.Transactions.OfType<RepaymentReceived>()
                .Where(r => !generated.Ledger.Transactions.OfType<RepaymentReversed>().Any(v => v.RepaymentId == r.Id))
                .Sum(r => r.Amount);
            decimal owedAtStart = generated.Ledger.Schedule.Installments.Sum(i => i.Total);
            decimal owedNow = position.Balances.Sum(b => b.Total);
            return received == owedAtStart - owedNow + position.Credit;
        });

    [Fact]
    public void A_payoff_quote_on_any_date_is_exactly_what_paying_it_settles() =>
        Gen.Select(Gen.OneOf(GeneratedLedgers.Ledgers(true), GeneratedLedgers.Ledgers(false)), Gen.Int[0, 1_500]).Sample((generated, daysAfter) =>
        {
            DateOnly day = generated.Last.AddDays(daysAfter);
            PayoffQuote quote = generated.Ledger.QuoteOn(day);
            Outcome<LoanLedger> paid = generated.Ledger.Record(new PayoffReceived("payoff", day, quote.Total));
            if (!paid.Succeeded)
            {
                return false;
            }

            LoanPosition after = paid.Value!.PositionOn(day);
            return after.PaidOff && after.Balances.All(b => b.Total == 0m) && after.Credit == quote.Refund
                && !generated.Ledger.Record(new PayoffReceived("payoff", day, quote.Total + 0.01m)).Succeeded;
        });
}
