using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Tests;

/// <summary>
/// A loan booked before its payout (version 3 of the approval) holds the money path: it takes nothing and accrues
/// nothing until the payout is confirmed, is disbursed on the payout's value date, and is cancelled, never left
/// half-booked, when the payout fails.
/// </summary>
public sealed class PendingBookingTests
{
    static readonly LoanProduct Product = BuiltInProducts.Express;
    static readonly DateOnly Accepted = new(2026, 3, 2);
    static readonly PricedOffer Offer = Offers.Price(Product, Offers.TermsFor(Product, 20_000m, 12, 0.18m), new DateOnly(2026, 2, 27)).Value!;

    static Loan Pending() => LoanBookings.BookPending("loan-1.c", "c", "1.c", Product, Offer, Accepted, "po1").Value!;

    [Fact]
    public void A_pending_loan_is_approved_raises_nothing_takes_no_payment_and_is_not_swept()
    {
        Loan pending = Pending();
        Assert.Equal((LoanStatus.Approved, false), (pending.Status, pending.IsPaidOut));
        Assert.Empty(pending.Events ?? []);
        Outcome<RepaymentRecorded> paid = LoanRepayments.Record(pending, new RecordedRepayment("r-1", Accepted, 100m, default));
        Assert.Equal("loan-open", Assert.Single(paid.Errors).Rule);
        Assert.Same(pending, LoanSweep.Sweep(pending, Product, Accepted.AddMonths(2)).Loan);
    }

    [Fact]
    public void Disbursed_on_the_day_it_was_booked_for_it_is_what_booking_at_the_payout_books()
    {
        Loan disbursed = LoanBookings.Disburse(Pending(), Product, Offer, Accepted).Value!;
        Loan booked = LoanBookings.Book("loan-1.c", "c", "1.c", Product, Offer, Accepted, "po1").Value!;

        Assert.Equal(LoanStatus.Active, disbursed.Status);
        Assert.Equal(booked.Schedule, disbursed.Schedule);
        Assert.Equal((booked.DisbursedOn, booked.Principal, booked.PayoutTransferId), (disbursed.DisbursedOn, disbursed.Principal, disbursed.PayoutTransferId));
        Assert.Equal([LoanEventType.LoanDisbursed], disbursed.Events!.Select(e => e.Type));
    }

    [Fact]
    public void Disbursed_days_later_its_schedule_runs_from_the_payouts_value_date()
    {
        DateOnly paid = Accepted.AddDays(3);
        Loan disbursed = LoanBookings.Disburse(Pending(), Product, Offer, paid).Value!;

        Assert.Equal(paid, disbursed.DisbursedOn);
        Assert.Equal(Offers.PriceAgain(Product, Offer, paid).Value!.Schedule, disbursed.Schedule);
        Assert.Equal(paid, disbursed.Events!.Single().On);
    }

    [Fact]
    public void A_failed_payout_cancels_the_pending_loan_which_can_then_be_neither_disbursed_nor_cancelled_again()
    {
        Loan cancelled = LoanBookings.CancelPayout(Pending()).Value!;

        Assert.Equal((LoanStatus.Cancelled, false), (cancelled.Status, cancelled.IsPaidOut));
        Assert.False(LoanBookings.Disburse(cancelled, Product, Offer, Accepted).Succeeded);
        Assert.False(LoanBookings.CancelPayout(cancelled).Succeeded);
        Assert.False(LoanBookings.CancelPayout(LoanBookings.Disburse(Pending(), Product, Offer, Accepted).Value!).Succeeded);
    }

    [Fact]
    public void A_loan_whose_payout_failed_weighs_nothing_in_its_borrowers_behaviour_score_as_its_due_dates_pass()
    {
        Loan cancelled = LoanBookings.CancelPayout(Pending()).Value!;
        DateOnly later = Accepted.AddMonths(4);

        Assert.Equal(JisuDai.Lending.Customers.BehaviourScore.Of([], later), JisuDai.Lending.Customers.BehaviourScore.Of([cancelled], later));
    }
}
