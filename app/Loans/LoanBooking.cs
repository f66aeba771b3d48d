using JisuDai.App.Applications;
using JisuDai.App.Events;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
namespace JisuDai.App.Loans;

/// <summary>Books a paid-out loan with its offer's terms priced at the payout's value date; the loan id is derived from the application, so booking twice books once.</summary>
public sealed class LoanBooking(ApplicationStore applications, IDocumentStore<Loan> loans, ILoanEventOutbox outbox) : ILoanBooking
{
    public async Task<string> BookAsync(string customerId, string applicationId, PayoutReceipt payout, CancellationToken cancellationToken)
    {
        string loanId = $"loan-{applicationId}";
        if (await loans.FindAsync(customerId, loanId, cancellationToken) is { } booked)
        {
            // Booked by an earlier try, which may have stopped before its event reached the outbox.
            await outbox.AddAsync(booked.Document.EventsNotInOutbox(), cancellationToken);
            return loanId;
        }

        LoanApplication application = await applications.GetAsync(customerId, applicationId, cancellationToken);
        PricedOffer offer = application.Offer ?? throw new InvalidOperationException($"Application {applicationId} has no offer to book.");
        LoanProduct product = ProductCatalog.All[application.ProductCode];
        Outcome<Loan> booking = LoanBookings.Book(loanId, customerId, applicationId, product, offer, LenderCalendar.DateOf(payout.At), payout.TransferId);
        Loan loan = booking.Value ?? throw new InvalidOperationException(
            $"The accepted offer of {applicationId} no longer prices under {product.Code}: {string.Join(" ", booking.Errors.Select(e => e.Message))}");
        try
        {
            await loans.CreateAsync(loan, cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            // Booked by an earlier try of this activity.
        }

        await outbox.AddAsync(loan.Events!, cancellationToken);

        return loanId;
    }
}
