using JisuDai.App.Results;
using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Products;
using JisuDai.Risk.Decisions;

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
public sealed partial class ReviewDesk(IReviewQueue queue, ApplicationStore applications, CreditDecisions decisions, IAuditLog audit, ILendingHaltStore halt, TimeProvider clock)
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

        if (reviewer.Subject == entry.CustomerId)
        {
            return Result<ReviewReceipt>.Forbidden("No one decides their own application.");
        }

        if (body.Approve == true && (await halt.GetAsync(cancellationToken)) is { Halted: true } halted)
        {
            return Result<ReviewReceipt>.Conflict($"Lending is halted ({halted.Reason}); nothing is approved until two admins lift the halt.");
        }

        LoanApplication application = await applications.GetAsync(entry.CustomerId, entry.ApplicationId, cancellationToken);
        CreditDecision? decision = entry.DecisionId is { } decisionId ? await decisions.FindAsync(decisionId, cancellationToken) : null;
        if (decision is null)
        {
            return Result<ReviewReceipt>.Conflict($"Application {id} has no recorded decision to bound a review by.");
        }

        (IReadOnlyList<DomainError> errors, PricedOffer? offer) = Check(body, application, decision.Result);
        if (errors.Count > 0)
        {
            return Result<ReviewReceipt>.Invalid(errors);
        }

        if (!await queue.ClaimAsync(entry, reviewer.Subject, cancellationToken))
        {
            return Result<ReviewReceipt>.Conflict($"Another reviewer has already decided application {id}.");
        }

        await audit.AppendAsync(StaffAction.By(reviewer, "review-decision", id,
            body.Approve!.Value ? $"approve {body.Amount:0.00} at {body.AnnualRate}" : $"decline {body.Reason}"), cancellationToken);
        await approvals.DecideReviewAsync(id, new ReviewDecision(body.Approve!.Value, body.Amount ?? 0, body.AnnualRate ?? 0, body.Reason, reviewer.Subject, offer), cancellationToken);
        return Result<ReviewReceipt>.Ok(new ReviewReceipt(id, body.Approve.Value ? "approve" : "decline"));
    }

    /// <summary>
    /// Every field at fault and, for an approval, the reviewer's terms priced today by the one pricing function. A
    /// reviewer approves at most the lesser of the amount asked for and the decision's risk limit, at a rate no lower than
    /// the decision priced (the tier's price with the rules' adjustments) and within the product; a decline names a
    /// reason code, which is what the borrower is shown.
    /// </summary>
    (IReadOnlyList<DomainError> Errors, PricedOffer? Offer) Check(ReviewBody body, LoanApplication application, DecisionResult decided)
    {
        if (body.Approve is null)
        {
            return ([new DomainError("approve", "required", "approve is required: true to approve, false to decline.")], null);
        }

        if (body.Approve == false)
        {
            return (body.Reason is null || !ReasonCode().IsMatch(body.Reason)
                ? [new DomainError("reason", "reason-code", "a decline needs a reason code, such as INCOME_UNVERIFIED: 2 to 50 capital letters, digits or '_', starting with a letter (the borrower is shown it).")]
                : [], null);
        }

        if (body.Amount is null || body.AnnualRate is null)
        {
            return ([new DomainError(body.Amount is null ? "amount" : "annualRate", "required", "an approval needs amount and annualRate.")], null);
        }

        var bounds = new List<DomainError>();
        if (body.Amount > application.Amount || body.Amount > decided.Limit)
        {
            bounds.Add(new DomainError("amount", "within-request-and-limit",
                $"a reviewer approves at most the lesser of the amount asked for ({application.Amount:0.00}) and the risk limit ({decided.Limit:0.00})."));
        }

        if (body.AnnualRate < decided.AnnualRate)
        {
            bounds.Add(new DomainError("annualRate", "not-below-priced", $"a reviewer approves at no lower a rate than the decision priced ({decided.AnnualRate:P2})."));
        }

        LoanProduct product = ProductCatalog.All[application.ProductCode];
        Outcome<PricedOffer> priced = Offers.Price(product, Offers.TermsFor(product, body.Amount.Value, application.TermMonths, body.AnnualRate.Value), LenderCalendar.Today(clock));
        IReadOnlyList<DomainError> errors = [.. bounds, .. priced.Errors.Where(e => bounds.All(b => b.Field != e.Field))];
        return errors.Count == 0 ? ([], priced.Value) : (errors, null);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Z][A-Z0-9_]{1,49}$")]
    private static partial System.Text.RegularExpressions.Regex ReasonCode();
}
