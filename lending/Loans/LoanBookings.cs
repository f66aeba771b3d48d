using JisuDai.Lending.Ledger;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Loans;

/// <summary>Books a paid-out offer as a loan.</summary>
public static class LoanBookings
{
    /// <summary>
    /// The loan of <paramref name="offer"/> paid out on <paramref name="valueDate"/>: its schedule is the stored terms
    /// priced again at that date (<see cref="Offers.PriceAgain"/>, so interest runs from the day the money went out),
    /// with its LoanDisbursed event; or why the terms cannot be brought within the product.
    /// </summary>
    public static Outcome<Loan> Book(string loanId, string customerId, string applicationId, LoanProduct product, PricedOffer offer, DateOnly valueDate, string transferId)
    {
        Outcome<PricedOffer> priced = Offers.PriceAgain(product, offer, valueDate);
        return priced.Succeeded
            ? Outcome<Loan>.Success(new Loan(loanId, customerId, applicationId, offer.Amount, LoanStatus.Active, valueDate, product.Code, priced.Value!.Schedule, transferId)
                .Raise(LoanEventType.LoanDisbursed, valueDate, offer.Amount, transferId))
            : Outcome<Loan>.Failure(priced.Errors);
    }
}
