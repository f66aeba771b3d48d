using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Products;
namespace JisuDai.App.Applications;

/// <summary>
/// Records application steps: status and history under the application's ETag, the offer as it was made, and
/// the manual-review queue (entered on referral, left on any later step).
/// </summary>
public sealed class ApplicationRecorder(ApplicationStore applications, IReviewQueue reviews) : IApplicationRecorder
{
    public async Task<ApplicationStatus> RecordAsync(ApplicationStepRecord record, CancellationToken cancellationToken)
    {
        bool wasInReview = false;
        Outcome<LoanApplication> outcome = await applications.ChangeAsync(record.CustomerId, record.ApplicationId, current =>
        {
            wasInReview |= current.Status == ApplicationStatus.InReview || (current.History ?? []).Any(s => s.Status == ApplicationStatus.InReview);
            return ApplicationLifecycle.Record(current, record.Step, moved => moved with
            {
                Offer = record.PricedOffer ?? (record.Offer is { } terms ? PriceVersion1(moved, terms) : moved.Offer),
                Reasons = record.Reasons ?? moved.Reasons,
                DecisionId = record.DecisionId ?? moved.DecisionId,
            });
        }, cancellationToken);
        LoanApplication application = outcome.Succeeded
            ? outcome.Value!
            : await applications.GetAsync(record.CustomerId, record.ApplicationId, cancellationToken); // e.g. cancelled meanwhile: it stays as it is

        if (application.Status == ApplicationStatus.InReview)
        {
            await reviews.EnterAsync(application, escalated: application.History!.Any(s => s.Id == "escalated"), cancellationToken);
        }
        else if (wasInReview)
        {
            await reviews.LeaveAsync(application.Id, cancellationToken);
        }

        return application.Status;
    }

    /// <summary>Version 1 of the approval sends terms to price here, at the offer's expiry date as it always did.</summary>
    static PricedOffer PriceVersion1(LoanApplication application, OfferToPrice terms)
    {
        LoanProduct product = application.ProductTerms();
        Outcome<PricedOffer> offer = Offers.Price(product, Offers.TermsFor(product, terms.Amount, terms.TermMonths, terms.AnnualRate), LenderCalendar.DateOf(terms.ExpiresAt));
        return offer.Succeeded
            ? offer.Value! with { ExpiresAt = terms.ExpiresAt }
            : throw new InvalidOperationException($"The offer for {application.Id} does not price under {product.Code}: {string.Join(" ", offer.Errors.Select(e => e.Message))}");
    }
}
