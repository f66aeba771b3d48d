using JisuDai.App.Applications;
using JisuDai.App.Events;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;
namespace JisuDai.App.Loans;

/// <summary>Books a paid-out loan with the schedule of its offer; the loan id is derived from the application, so booking twice books once.</summary>
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
        ApplicationOffer offer = application.Offer!;
        LoanProduct product = ProductCatalog.All[application.ProductCode];
        DateOnly disbursedOn = LenderCalendar.DateOf(payout.At);
        RepaymentSchedule schedule = Offers.Price(product, new OfferRequest(offer.Amount, offer.TermMonths, offer.AnnualRate, product.Methods[0], disbursedOn)).Value
            ?? throw new InvalidOperationException($"The accepted offer of {applicationId} no longer prices under {product.Code}.");
        Loan loan = new Loan(loanId, customerId, applicationId, offer.Amount, LoanStatus.Active, disbursedOn, product.Code, schedule, payout.TransferId)
            .Raise(LoanEventType.LoanDisbursed, disbursedOn, offer.Amount, payout.TransferId);
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
