using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;
namespace JisuDai.App.Applications;

/// <summary>
/// Records application steps: status and history under the application's ETag, the offer priced under the product, and
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
                Offer = record.Offer is { } terms ? Price(moved, terms) : moved.Offer,
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

    static ApplicationOffer Price(LoanApplication application, OfferTerms terms)
    {
        LoanProduct product = ProductCatalog.All[application.ProductCode];
        Outcome<RepaymentSchedule> schedule = Offers.Price(product, new OfferRequest(terms.Amount, terms.TermMonths, terms.AnnualRate, product.Methods[0], LenderCalendar.DateOf(terms.ExpiresAt)));
        return schedule.Succeeded
            ? new ApplicationOffer(terms.Amount, terms.TermMonths, terms.AnnualRate, schedule.Value!.Apr, schedule.Value.RegularInstallment, terms.ExpiresAt)
            : throw new InvalidOperationException($"The offer for {application.Id} does not price under {product.Code}: {string.Join(" ", schedule.Errors.Select(e => e.Message))}");
    }
}
