using JisuDai.App.Applications;
using JisuDai.App.Events;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
namespace JisuDai.App.Loans;

/// <summary>
/// Books loans with their offer's terms priced at the payout's value date; the loan id is derived from the application,
/// so booking twice books once. Version 3 of the approval books the loan pending before the payout, then disburses or
/// cancels it, each under the loan's ETag and each idempotent. The loan keeps the borrower's consent to the offer's
/// documents, copied from the application.
/// </summary>
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

        (LoanApplication application, PricedOffer offer, LoanProduct product) = await OfferOf(customerId, applicationId, cancellationToken);
        Loan loan = Booked(applicationId, product,
            LoanBookings.Book(loanId, customerId, applicationId, product, offer, LenderCalendar.DateOf(payout.At), payout.TransferId, payout.Amount)) with { Consent = application.Consent };
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

    public async Task<string> BookPendingAsync(string customerId, string applicationId, DateOnly expectedValueDate, CancellationToken cancellationToken)
    {
        string loanId = $"loan-{applicationId}";
        if (await loans.FindAsync(customerId, loanId, cancellationToken) is not null)
        {
            return loanId;
        }

        (LoanApplication application, PricedOffer offer, LoanProduct product) = await OfferOf(customerId, applicationId, cancellationToken);
        Loan loan = Booked(applicationId, product,
            LoanBookings.BookPending(loanId, customerId, applicationId, product, offer, expectedValueDate, Payments.ProviderPayouts.TransferIdOf(application.Id))) with { Consent = application.Consent };
        try
        {
            await loans.CreateAsync(loan, cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            // Booked by an earlier try of this activity.
        }

        return loanId;
    }

    public async Task<string> DisburseAsync(string customerId, string applicationId, PayoutReceipt payout, CancellationToken cancellationToken)
    {
        string loanId = $"loan-{applicationId}";
        while (true)
        {
            Versioned<Loan> current = await loans.FindAsync(customerId, loanId, cancellationToken)
                ?? throw new InvalidOperationException($"Loan {loanId} was not booked before its payout.");
            if (current.Document.Status != LoanStatus.Approved)
            {
                // Disbursed by an earlier try, which may have stopped before its event reached the outbox.
                await outbox.AddAsync(current.Document.EventsNotInOutbox(), cancellationToken);
                return loanId;
            }

            (_, PricedOffer offer, LoanProduct product) = await OfferOf(customerId, applicationId, cancellationToken);
            Outcome<Loan> disbursed = LoanBookings.Disburse(current.Document, product, offer, LenderCalendar.DateOf(payout.At), payout.Amount);
            Loan loan = disbursed.Value ?? throw new InvalidOperationException($"Loan {loanId} cannot be disbursed: {string.Join(" ", disbursed.Errors.Select(e => e.Message))}");
            try
            {
                await loans.ReplaceAsync(loan, current.ETag, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                continue;
            }

            await outbox.AddAsync(loan.Events!, cancellationToken);
            return loanId;
        }
    }

    public async Task CancelPayoutAsync(string customerId, string applicationId, CancellationToken cancellationToken)
    {
        string loanId = $"loan-{applicationId}";
        while (await loans.FindAsync(customerId, loanId, cancellationToken) is { Document.Status: LoanStatus.Approved } current)
        {
            try
            {
                await loans.ReplaceAsync(LoanBookings.CancelPayout(current.Document).Value!, current.ETag, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException)
            {
                // Changed meanwhile: look again.
            }
        }
    }

    /// <summary>The loan a booking made, or the error that the accepted offer no longer prices under its product (a bug: the offer was priced under it).</summary>
    static Loan Booked(string applicationId, LoanProduct product, Outcome<Loan> booking) => booking.Value ?? throw new InvalidOperationException(
        $"The accepted offer of {applicationId} no longer prices under {product.Code}: {string.Join(" ", booking.Errors.Select(e => e.Message))}");

    async Task<(LoanApplication Application, PricedOffer Offer, LoanProduct Product)> OfferOf(string customerId, string applicationId, CancellationToken cancellationToken)
    {
        LoanApplication application = await applications.GetAsync(customerId, applicationId, cancellationToken);
        PricedOffer offer = application.Offer ?? throw new InvalidOperationException($"Application {applicationId} has no offer to book.");
        return (application, offer, application.ProductTerms());
    }
}
