using JisuDai.App.Results;
using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Products;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Scoring;

namespace JisuDai.App.Applications;

/// <summary>A reviewer's answer to a referred application, as sent.</summary>
public sealed record ReviewBody(bool? Approve, decimal? Amount, decimal? AnnualRate, string? Reason);

/// <summary>A referred application as the review queue shows it: the application, whether it was escalated, and the decision's trace.</summary>
public sealed record ReviewItem(ApplicationView Application, bool Escalated, string MaskedPhone, ReviewTrace? Decision);

/// <summary>What a reviewer sees of the decision that referred an application.</summary>
public sealed record ReviewTrace(string Id, JisuDai.Risk.Scoring.ScoreResult Score, DecisionResult Result, JisuDai.Risk.Checks.CheckResults Checks, string ModelVersion, string RuleSetVersion);

/// <summary>What a reviewer decided, and where to follow the application.</summary>
public sealed record ReviewReceipt(string Id, string Decided)
{
    /// <summary>Where the application's status is read.</summary>
    public string StatusUrl => $"/api/applications/{Id}";
}

/// <summary>
/// The manual-review desk: the queue oldest first, with each decision's trace; a decision approves with a limit and
/// rate priced within the product (the priced offer goes to the approval as made) or declines with a reason. Two
/// reviewers deciding at once: the first claims the entry, the second is refused.
/// </summary>
public sealed class ReviewDesk(IReviewQueue queue, ApplicationStore applications, CreditDecisions decisions, TimeProvider clock)
{
    public async Task<IReadOnlyList<ReviewItem>> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<ReviewItem>();
        foreach (ReviewEntry entry in (await queue.ListAsync(cancellationToken)).Where(e => e.ClaimedBy is null))
        {
            LoanApplication application = await applications.GetAsync(entry.CustomerId, entry.ApplicationId, cancellationToken);
            CreditDecision? decision = entry.DecisionId is { } decisionId ? await decisions.FindAsync(decisionId, cancellationToken) : null;
            items.Add(new ReviewItem(ApplicationView.Of(application), entry.Escalated, application.MaskedPhone,
                decision is null ? null : new ReviewTrace(decision.Id, decision.Score, decision.Result, decision.Checks, decision.ModelVersion, decision.RuleSetVersion)));
        }

        return items;
    }

    public async Task<Result<ReviewReceipt>> DecideAsync(Caller reviewer, string id, ReviewBody body, IApprovalWorkflow approvals, CancellationToken cancellationToken)
    {
        if (await queue.FindAsync(id, cancellationToken) is not { } entry)
        {
            return Result<ReviewReceipt>.NotFound($"Application {id} is not waiting for review.");
        }

        if (entry.ClaimedBy is { } by)
        {
            return Result<ReviewReceipt>.Conflict($"Reviewer {by} has already decided application {id}.");
        }

        LoanApplication application = await applications.GetAsync(entry.CustomerId, entry.ApplicationId, cancellationToken);
        (IReadOnlyList<DomainError> errors, PricedOffer? offer) = Check(body, application);
        if (errors.Count > 0)
        {
            return Result<ReviewReceipt>.Invalid(errors);
        }

        if (!await queue.ClaimAsync(entry, reviewer.Subject, cancellationToken))
        {
            return Result<ReviewReceipt>.Conflict($"Another reviewer has already decided application {id}.");
        }

        await approvals.DecideReviewAsync(id, new ReviewDecision(body.Approve!.Value, body.Amount ?? 0, body.AnnualRate ?? 0, body.Reason, reviewer.Subject, offer), cancellationToken);
        return Result<ReviewReceipt>.Ok(new ReviewReceipt(id, body.Approve.Value ? "approve" : "decline"));
    }

    /// <summary>Every field at fault and, for an approval, the reviewer's terms priced today by the one pricing function.</summary>
    (IReadOnlyList<DomainError> Errors, PricedOffer? Offer) Check(ReviewBody body, LoanApplication application)
    {
        if (body.Approve is null)
        {
            return ([new DomainError("approve", "required", "approve is required: true to approve, false to decline.")], null);
        }

        if (body.Approve == false)
        {
            return (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 100
                ? [new DomainError("reason", "required", "a decline needs a reason (at most 100 characters).")]
                : [], null);
        }

        if (body.Amount is null || body.AnnualRate is null)
        {
            return ([new DomainError(body.Amount is null ? "amount" : "annualRate", "required", "an approval needs amount and annualRate.")], null);
        }

        LoanProduct product = ProductCatalog.All[application.ProductCode];
        Outcome<PricedOffer> priced = Offers.Price(product, Offers.TermsFor(product, body.Amount.Value, application.TermMonths, body.AnnualRate.Value), LenderCalendar.Today(clock));
        return priced.Succeeded ? ([], priced.Value) : (priced.Errors, null);
    }
}
