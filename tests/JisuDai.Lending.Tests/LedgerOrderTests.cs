using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Tests;

/// <summary>
/// The ledger replays in the order it was recorded, and a payment recorded late counts from its value date: what the
/// late recording let the sweep charge is taken back by appended entries, leaving the loan owing exactly what it would
/// have owed had the payment been recorded on time.
/// </summary>
public sealed class LedgerOrderTests
{
    static readonly DateOnly Disbursed = ExpressLoan.Disbursed;
    static readonly LoanProduct Product = ExpressLoan.Product;
    static readonly DateOnly FirstDue = ExpressLoan.New().Schedule!.Installments[0].DueDate;

    static Loan NewLoan() => ExpressLoan.New();

    static RecordedRepayment Pay(string reference, DateOnly paidOn, decimal amount) => ExpressLoan.Pay(reference, paidOn, amount);

    static Loan Record(Loan loan, RecordedRepayment repayment) =>
        LoanRepayments.Record(loan, repayment).Value?.Loan ?? throw new Xunit.Sdk.XunitException($"{repayment.Reference} refused.");

    /// <summary>Sweeps each day from the day after the loan's last sweep (or its disbursement) to <paramref name="until"/>.</summary>
    static Loan SweepTo(Loan loan, DateOnly until)
    {
        for (DateOnly day = loan.LastSweptOn?.AddDays(1) ?? Disbursed; day <= until; day = day.AddDays(1))
        {
            loan = LoanSweep.Sweep(loan, Product, day).Loan;
        }

        return loan;
    }

    static decimal DueOn(Loan loan, DateOnly day) => ExpressLoan.DueOn(loan, day);

    [Fact]
    public void A_payment_may_be_value_dated_back_as_far_as_the_loans_own_product_allows_and_no_further()
    {
        DateOnly recordedOn = FirstDue.AddDays(20);
        RecordedRepayment Dated(int daysBack) => Pay($"p-{daysBack}", recordedOn.AddDays(-daysBack), 100m) with { RecordedAt = ExpressLoan.Pay("x", recordedOn, 1m).RecordedAt };

        // Express allows 30 days; a loan booked under a version allowing 5 keeps that bound whatever is published later.
        Assert.True(LoanRepayments.Record(NewLoan(), Dated(30)).Succeeded);
        Assert.Equal(("date", "value-date-within-bound"), LoanRepayments.Record(NewLoan(), Dated(31)).Errors.Select(e => (e.Field, e.Rule)).Single());
        Loan strict = NewLoan() with { Product = Product with { MaxBackdatedDays = 5, Version = 2 } };
        Assert.True(LoanRepayments.Record(strict, Dated(5)).Succeeded);
        Assert.Equal("value-date-within-bound", LoanRepayments.Record(strict, Dated(6)).Errors.Single().Rule);
        Assert.Equal(recordedOn.AddDays(-5), ValueDating.EarliestValueDate(strict.ProductTerms(), recordedOn));
    }

    [Fact]
    public void A_payment_recorded_later_but_value_dated_earlier_never_changes_how_an_earlier_one_was_applied()
    {
        Loan loan = Record(NewLoan(), Pay("march", FirstDue.AddDays(20), 888.49m));
        AppliedRepayment before = LoanSweep.LedgerOf(loan, Product).PositionOn(FirstDue.AddDays(30)).Applied.Single();

        // Recorded second, dated before the first: replaying by value date would now give it installment 1 and push
        // the first payment onto installment 2.
        Loan later = Record(loan, Pay("february", FirstDue.AddDays(5), 500m));

        LoanPosition position = LoanSweep.LedgerOf(later, Product).PositionOn(FirstDue.AddDays(30));
        Assert.Equal(before.Lines, position.Applied.First(a => a.TransactionId == before.TransactionId).Lines);
        Assert.Equal(["repayment:march", "repayment:february"], position.Applied.Select(a => a.TransactionId));
        Assert.Equal([1, 2], later.Repayments!.Select(r => r.Sequence));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    public void A_payment_recorded_late_leaves_the_loan_owing_what_it_would_have_owed_had_it_been_recorded_on_its_value_date(double share)
    {
        DateOnly paidOn = FirstDue.AddDays(2), recordedOn = FirstDue.AddDays(10);
        Loan swept = SweepTo(NewLoan(), paidOn.AddDays(-1));
        RecordedRepayment payment = Pay("bank-1", paidOn, Math.Round(DueOn(swept, paidOn) * (decimal)share, 2));

        // On time: recorded on its value date, before that day's sweep.
        Loan onTime = SweepTo(Record(swept, payment), recordedOn);
        // Late: the sweep charged ten days without it, then it arrived with its value date.
        Loan unpaid = SweepTo(swept, recordedOn);
        Loan late = Record(unpaid, payment);

        // The charges swept in stay as they were; what the late recording let accrue is taken back beside them.
        Assert.Equal(unpaid.Charges, late.Charges!.Take(unpaid.Charges!.Count));
        Assert.NotEmpty(late.ChargeReversals!);
        Assert.All(late.ChargeReversals!, r => Assert.True(r.Date >= paidOn));
        LoanEventRecord reversed = late.Events!.Single(e => e.Type == LoanEventType.ChargesReversed);
        Assert.Equal("bank-1", reversed.Reference);
        Assert.True(reversed.Amount > 0);
        // Every entry numbered once, in the order recorded.
        Assert.Equal(Enumerable.Range(1, LedgerSequence.Last(late)), LedgerSequence.Entries(late).Select(t => t.Sequence));

        for (DateOnly day = recordedOn; day <= recordedOn.AddDays(20); day = day.AddDays(1))
        {
            onTime = SweepTo(onTime, day);
            late = SweepTo(late, day);
            LoanPosition expected = LoanSweep.LedgerOf(onTime, Product).PositionOn(day), actual = LoanSweep.LedgerOf(late, Product).PositionOn(day);
            Assert.Equal(expected.Balances, actual.Balances);
            Assert.Equal(expected.Credit, actual.Credit);
            Assert.Equal((onTime.Status, onTime.DaysPastDue), (late.Status, late.DaysPastDue));
            JisuDai.Tests.LedgerBalance.AssertBalanced(late, Product, day);
        }
    }

    [Fact]
    public void Paying_everything_past_due_makes_an_overdue_loan_current_at_once_and_paying_part_does_not()
    {
        Loan overdue = SweepTo(NewLoan(), FirstDue.AddDays(5));
        Assert.Equal((LoanStatus.Overdue, 5), (overdue.Status, overdue.DaysPastDue));
        decimal due = DueOn(overdue, FirstDue.AddDays(6));

        Loan part = Record(overdue, Pay("part", FirstDue.AddDays(6), due - 1m));
        Assert.Equal((LoanStatus.Overdue, 5), (part.Status, part.DaysPastDue));
        Assert.DoesNotContain(part.Events!, e => e.Type == LoanEventType.LoanCured);

        Loan paid = Record(overdue, Pay("all", FirstDue.AddDays(6), due));
        Assert.Equal((LoanStatus.Active, 0), (paid.Status, paid.DaysPastDue));
        Assert.Equal([LoanEventType.RepaymentReceived, LoanEventType.LoanCured], paid.Events!.Skip(overdue.Events!.Count).Select(e => e.Type));
        // The night's sweep finds nothing more to say.
        Assert.DoesNotContain(SweepTo(paid, FirstDue.AddDays(6)).Events!.Skip(paid.Events!.Count), e => e.Type == LoanEventType.LoanCured);
    }

    [Fact]
    public void A_payment_value_dated_before_every_day_swept_since_takes_back_nothing_when_no_charge_was_made()
    {
        Loan current = SweepTo(NewLoan(), FirstDue.AddDays(-3));
        Loan paid = Record(current, Pay("early", FirstDue.AddDays(-5), 100m));

        Assert.Null(paid.ChargeReversals);
        Assert.DoesNotContain(paid.Events ?? [], e => e.Type == LoanEventType.ChargesReversed);
    }

    [Fact]
    public void A_loan_recorded_before_entries_were_numbered_is_numbered_in_the_order_it_replayed_and_replays_the_same()
    {
        Loan loan = SweepTo(NewLoan(), FirstDue.AddDays(5));
        loan = Record(loan, Pay("late-1", FirstDue.AddDays(6), 300m));
        loan = SweepTo(loan, FirstDue.AddDays(9));
        // As stored before numbering: no sequence anywhere, each kind in its own list.
        Loan legacy = loan with
        {
            Repayments = loan.Repayments!.Select(r => r with { Sequence = 0 }).ToList(),
            Charges = loan.Charges!.Select(c => c with { Sequence = 0 }).ToList(),
        };

        Loan numbered = LedgerSequence.Numbered(legacy);

        // Value-date order, the repayment before that day's charges (repayments came first on a day).
        Assert.Equal(LedgerSequence.Entries(loan).Select(t => t.Id), LedgerSequence.Entries(numbered).Select(t => t.Id));
        Assert.Equal(LoanSweep.LedgerOf(loan, Product).PositionOn(FirstDue.AddDays(9)), LoanSweep.LedgerOf(legacy, Product).PositionOn(FirstDue.AddDays(9)),
            new PositionComparer());
        Assert.Same(numbered, LedgerSequence.Numbered(numbered));
        // What is recorded next follows on.
        Loan next = Record(legacy, Pay("late-2", FirstDue.AddDays(10), 100m));
        Assert.Equal(LedgerSequence.Last(numbered) + 1, next.Repayments!.Single(r => r.Reference == "late-2").Sequence);
    }

    [Fact]
    public void A_reversal_takes_back_no_more_than_is_left_of_its_charge_and_only_a_charge()
    {
        Loan loan = SweepTo(NewLoan(), FirstDue.AddDays(5));
        LoanLedger ledger = LoanSweep.LedgerOf(loan, Product);
        ChargeAssessed charge = loan.Charges!.First();

        Assert.Equal("reversal-at-most-charge", Assert.Single(ledger.Record(new ChargeReversed("r-1", charge.Date, charge.Id, charge.Amount + 0.01m)).Errors).Rule);
        Assert.Equal("charge-exists", Assert.Single(ledger.Record(new ChargeReversed("r-1", charge.Date, "repayment:x", 1m)).Errors).Rule);
        Assert.Equal("reversal-dated-as-charge", Assert.Single(ledger.Record(new ChargeReversed("r-1", charge.Date.AddDays(1), charge.Id, 0.01m)).Errors).Rule);
        LoanLedger once = ledger.Record(new ChargeReversed("r-1", charge.Date, charge.Id, charge.Amount)).Value!;
        Assert.Equal("reversal-at-most-charge", Assert.Single(once.Record(new ChargeReversed("r-2", charge.Date, charge.Id, 0.01m)).Errors).Rule);
        Assert.Equal("sequence-increasing", Assert.Single(once.Record(new RepaymentReceived("repayment:y", charge.Date, 1m) { Sequence = 1 }).Errors).Rule);
    }

    /// <summary>Positions compared by what they hold (their lists by their elements).</summary>
    sealed class PositionComparer : IEqualityComparer<LoanPosition>
    {
        public bool Equals(LoanPosition? x, LoanPosition? y) =>
            x!.Balances.SequenceEqual(y!.Balances) && x.Credit == y.Credit && x.Applied.Select(a => (a.TransactionId, string.Join(",", a.Lines), a.ToCredit))
                .SequenceEqual(y.Applied.Select(a => (a.TransactionId, string.Join(",", a.Lines), a.ToCredit)));

        public int GetHashCode(LoanPosition obj) => obj.Balances.Count;
    }
}
