using JisuDai.Lending.Ledger;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Loans;

/// <summary>Books a paid-out offer as a loan.</summary>
public static class LoanBookings
{
    /// <summary>
    /// The loan of <paramref name="offer"/> paid out on <paramref name="valueDate"/>: its schedule is the stored terms
    /// priced at that date by <see cref="Offers.Price"/> (so interest runs from the day the money went out), with its
    /// LoanDisbursed event. Where those terms' APR at that date would pass the product's cap (a schedule's cash flows
    /// shift with its dates), the rate is lowered just enough to fit (<see cref="Offers.WithinAprCap"/>): the money is
    /// out, and the borrower only ever pays less than agreed. Terms that cannot be brought within the product are refused.
    /// </summary>
    public static Outcome<Loan> Book(string loanId, string customerId, string applicationId, LoanProduct product, PricedOffer offer, DateOnly valueDate, string transferId)
    {
        Outcome<PricedOffer> priced = Offers.Price(product, Offers.WithinAprCap(product, offer.Terms, valueDate) ?? offer.Terms, valueDate);
        return priced.Succeeded
            ? Outcome<Loan>.Success(new Loan(loanId, customerId, applicationId, offer.Amount, LoanStatus.Active, valueDate, product.Code, priced.Value!.Schedule, transferId)
                .Raise(LoanEventType.LoanDisbursed, valueDate, offer.Amount, transferId))
            : Outcome<Loan>.Failure(priced.Errors);
    }
}
