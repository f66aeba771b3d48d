using JisuDai.Lending.Products;

namespace JisuDai.Lending.Loans;

/// <summary>
/// Books an accepted offer as a loan: at once when it was paid out (<see cref="Book"/>, version 1 and 2 of the
/// approval), or before its payout is asked for (<see cref="BookPending"/>), then disbursed when the payout is
/// confirmed (<see cref="Disburse"/>) or cancelled when it fails (<see cref="CancelPayout"/>), so money never leaves
/// without a loan to hold it.
/// </summary>
public static class LoanBookings
{
    /// <summary>
    /// The loan of <paramref name="offer"/> paid out on <paramref name="valueDate"/>: its schedule is the stored terms
    /// priced again at that date (<see cref="Offers.PriceAgain"/>, so interest runs from the day the money went out),
    /// with its LoanDisbursed event; or why the terms cannot be brought within the product.
    /// </summary>
    public static Outcome<Loan> Book(string loanId, string customerId, string applicationId, LoanProduct product, PricedOffer offer, DateOnly valueDate, string transferId, decimal? paidOut = null)
    {
        Outcome<Loan> pending = BookPending(loanId, customerId, applicationId, product, offer, valueDate, transferId);
        return pending.Succeeded ? Disburse(pending.Value!, product, offer, valueDate, paidOut) : pending;
    }

    /// <summary>
    /// The loan of <paramref name="offer"/> booked before its payout (status <see cref="LoanStatus.Approved"/>, no
    /// event yet), its schedule priced at the payout's expected value date, under the transfer that will pay it, keeping
    /// a copy of <paramref name="product"/>'s terms: the loan is serviced under them whatever is published later.
    /// </summary>
    public static Outcome<Loan> BookPending(string loanId, string customerId, string applicationId, LoanProduct product, PricedOffer offer, DateOnly expectedValueDate, string transferId)
    {
        Outcome<PricedOffer> priced = Offers.PriceAgain(product, offer, expectedValueDate);
        return priced.Succeeded
            ? Outcome<Loan>.Success(new Loan(loanId, customerId, applicationId, offer.Amount, LoanStatus.Approved, expectedValueDate, product.Code, priced.Value!.Schedule, transferId) { Product = product })
            : Outcome<Loan>.Failure(priced.Errors);
    }

    /// <summary>
    /// The pending <paramref name="loan"/> disbursed on <paramref name="valueDate"/> (its payout confirmed): active,
    /// its schedule priced again at that date when it is not the one it was booked for, with its LoanDisbursed event and
    /// what the payout paid (<paramref name="paidOut"/>).
    /// </summary>
    public static Outcome<Loan> Disburse(Loan loan, LoanProduct product, PricedOffer offer, DateOnly valueDate, decimal? paidOut = null)
    {
        Outcome<PricedOffer> priced = valueDate == loan.DisbursedOn ? Outcome<PricedOffer>.Success(offer with { Schedule = loan.Schedule! }) : Offers.PriceAgain(product, offer, valueDate);
        if (!priced.Succeeded)
        {
            return Outcome<Loan>.Failure(priced.Errors);
        }

        Outcome<Loan> moved = loan.Move(LoanEvent.Disbursed);
        return moved.Succeeded
            ? Outcome<Loan>.Success((moved.Value! with { DisbursedOn = valueDate, Schedule = priced.Value!.Schedule, PaidOut = paidOut }).Raise(LoanEventType.LoanDisbursed, valueDate, loan.Principal, loan.PayoutTransferId))
            : moved;
    }

    /// <summary>The pending <paramref name="loan"/> cancelled because its payout failed: nothing went out, nothing is owed.</summary>
    public static Outcome<Loan> CancelPayout(Loan loan) => loan.Move(LoanEvent.PayoutFailed);
}
