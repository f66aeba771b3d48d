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
public sealed record ReviewItem(ApplicationView Application, bool Escalated, string MaskedPhone, ReviewTrace? Decision, ReviewHold? Hold = null);

/// <summary>A reviewer's hold on a queue entry while they work it: others may read it but not decide it until it lapses.</summary>
public sealed record ReviewHold(string Id, string HeldBy, DateTimeOffset HeldUntil);

/// <summary>What a reviewer sees of the decision that referred an application.</summary>
public sealed record ReviewTrace(string Id, JisuDai.Risk.Scoring.ScoreResult Score, DecisionResult Result, JisuDai.Risk.Checks.CheckResults Checks, string ModelVersion, string RuleSetVersion);

/// <summary>What a reviewer decided, and where to follow the application.</summary>
/// <param name="Id">The application.</param>
/// <param name="Decided"><c>approve</c>, <c>decline</c>, or <c>second-approval</c> when the approval is beyond the reviewer's bounds and waits for an admin.</param>
/// <param name="Request">With <c>second-approval</c>: the staff request an admin other than the reviewer approves.</param>
/// <param name="Beyond">With <c>second-approval</c>: which bounds the approval is beyond.</param>
public sealed record ReviewReceipt(string Id, string Decided, StaffRequest? Request = null, IReadOnlyList<DomainError>? Beyond = null)
{
    /// <summary>Where the application's status is read.</summary>
    public string StatusUrl => $"/api/applications/{Id}";
}

/// <summary>The terms of a reviewer's approval beyond their bounds, as the second approver sees and approves them.</summary>
/// <param name="DecisionId">The credit decision that referred the application (approving is refused if it was decided again since).</param>
/// <param name="Amount">The amount approved.</param>
/// <param name="AnnualRate">The rate approved.</param>
public sealed record OverApproval(string DecisionId, decimal Amount, decimal AnnualRate);

/// <summary>
/// The manual-review desk: the queue oldest first, with each decision's trace; a decision approves with a limit and
/// rate priced within the product (the priced offer goes to the approval as made) or declines with a reason. A
/// reviewer alone approves at most the lesser of the amount asked for and the risk limit, at no lower a rate than the
/// decision priced; an approval beyond that (still within the product) becomes a staff request an admin other than the
/// reviewer approves (<see cref="OverApprovalPower"/>). Two reviewers deciding at once: the first claims the entry,
/// the second is refused.
/// </summary>
public sealed partial class ReviewDesk(IReviewQueue queue, ApplicationStore applications, CreditDecisions decisions, IAuditLog audit, ILendingHaltStore halt,
    ConflictOfInterest conflicts, TimeProvider clock)
{
    public async Task<IReadOnlyList<ReviewItem>> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<ReviewItem>();
        foreach (ReviewEntry entry in (await queue.ListAsync(cancellationToken)).Where(e => e.ClaimedBy is null))
        {
            LoanApplication application = await applications.GetAsync(entry.CustomerId, entry.ApplicationId, cancellationToken);
            CreditDecision? decision = entry.DecisionId is { } decisionId ? await decisions.FindAsync(decisionId, cancellationToken) : null;
            items.Add(new ReviewItem(ApplicationView.Of(application), entry.Escalated, application.MaskedPhone,
                decision is null ? null : new ReviewTrace(decision.Id, decision.Score, decision.Result, decision.Checks, decision.ModelVersion, decision.RuleSetVersion),
                HoldOf(entry)));
        }

        return items;
    }

    /// <summary>How long a reviewer's hold on an entry lasts (claiming it again renews it).</summary>
    public static readonly TimeSpan HoldFor = TimeSpan.FromMinutes(30);

    /// <summary>
    /// <paramref name="reviewer"/> takes entry <paramref name="id"/> to work it: for <see cref="HoldFor"/> no other
    /// reviewer decides it (they get 409 naming the holder). Refused when someone else holds it, it was decided, or it
    /// is the reviewer's own application.
    /// </summary>
    public async Task<Result<ReviewHold>> HoldAsync(Caller reviewer, string id, CancellationToken cancellationToken)
    {
        // Only the queue entry: holding needs neither the application nor its decision.
        Result<ReviewEntry> found = await EntryAsync(id, [reviewer.Subject], approving: false, cancellationToken);
        if (!found.Succeeded)
        {
            return found.As<ReviewHold>();
        }

        ReviewEntry entry = found.Value!;
        DateTimeOffset now = clock.GetUtcNow();
        if (HeldByAnother(entry, reviewer.Subject, now) is { } other)
        {
            return Result<ReviewHold>.Conflict(other);
        }

        DateTimeOffset until = now + HoldFor;
        if (!await queue.HoldAsync(entry, reviewer.Subject, until, cancellationToken))
        {
            return Result<ReviewHold>.Conflict($"Application {id} changed while it was being claimed; read the queue again.");
        }

        await audit.AppendAsync(StaffAction.By(reviewer, "review-claim", id, $"held until {until:O}"), cancellationToken);
        return Result<ReviewHold>.Ok(new ReviewHold(id, reviewer.Subject, until));
    }

    public async Task<Result<ReviewReceipt>> DecideAsync(Caller reviewer, string id, ReviewBody body, IApprovalWorkflow approvals, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        Result<Referral> referral = await ReferralAsync(id, [reviewer.Subject], body.Approve == true, cancellationToken);
        if (!referral.Succeeded)
        {
            return referral.As<ReviewReceipt>();
        }

        (ReviewEntry entry, LoanApplication application, CreditDecision decision) = referral.Value!;
        if (HeldByAnother(entry, reviewer.Subject, clock.GetUtcNow()) is { } held)
        {
            return Result<ReviewReceipt>.Conflict(held);
        }

        (IReadOnlyList<DomainError> errors, PricedOffer? offer, IReadOnlyList<DomainError> beyond) = Check(body, application, decision.Result);
        if (errors.Count > 0)
        {
            return Result<ReviewReceipt>.Invalid(errors);
        }

        if (beyond.Count > 0)
        {
            // Left in the queue: another reviewer may still decide within bounds, and the approval re-checks it is not decided.
            string payload = System.Text.Json.JsonSerializer.Serialize(new OverApproval(decision.Id, body.Amount!.Value, body.AnnualRate!.Value), StaffRequest.PayloadJson);
            Result<StaffRequest> proposed = await fourEyes.ProposeAsync(reviewer, StaffPower.OverApproval, id, payload, cancellationToken);
            return proposed.Succeeded ? Result<ReviewReceipt>.Ok(new ReviewReceipt(id, "second-approval", proposed.Value, beyond)) : proposed.As<ReviewReceipt>();
        }

        if (!await queue.ClaimAsync(entry, reviewer.Subject, cancellationToken))
        {
            return Result<ReviewReceipt>.Conflict($"Another reviewer has already decided application {id}.");
        }

        await audit.AppendAsync(StaffAction.By(reviewer, "review-decision", id,
            body.Approve!.Value ? $"approve {body.Amount:0.00} at {body.AnnualRate}" : $"decline {body.Reason}"), cancellationToken);
        await approvals.DecideReviewAsync(id, new ReviewDecision(body.Approve!.Value, body.Amount ?? 0, body.AnnualRate ?? 0, body.Reason, reviewer.Subject, offer), cancellationToken);
        if (body.Approve.Value)
        {
            Telemetry.LendingTelemetry.ApprovedByReviewer();
        }

        return Result<ReviewReceipt>.Ok(new ReviewReceipt(id, body.Approve.Value ? "approve" : "decline"));
    }

    /// <summary>
    /// Approves application <paramref name="id"/> on the terms <paramref name="proposedBy"/> proposed beyond a reviewer's
    /// bounds, as <paramref name="approver"/> (the second person) agreed: checked again against the referral as it is now
    /// (still undecided, the same decision, not halted, within the product), then decided as the proposing reviewer's.
    /// </summary>
    public async Task<Result<ReviewReceipt>> ApproveBeyondBoundsAsync(string proposedBy, Caller approver, string id, OverApproval terms, IApprovalWorkflow approvals, CancellationToken cancellationToken)
    {
        Result<Referral> referral = await ReferralAsync(id, [proposedBy, approver.Subject], approving: true, cancellationToken);
        if (referral.Refused == Refusal.NotFound)
        {
            return Result<ReviewReceipt>.Conflict($"Application {id} is no longer waiting for review: it was decided, withdrawn or timed out since the approval was proposed.");
        }

        if (!referral.Succeeded)
        {
            return referral.As<ReviewReceipt>();
        }

        (ReviewEntry entry, LoanApplication application, CreditDecision decision) = referral.Value!;
        if (decision.Id != terms.DecisionId)
        {
            return Result<ReviewReceipt>.Conflict($"Application {id} was decided again (decision {decision.Id}) since the approval was proposed on decision {terms.DecisionId}.");
        }

        (IReadOnlyList<DomainError> errors, PricedOffer? offer, _) = Check(new ReviewBody(true, terms.Amount, terms.AnnualRate, null), application, decision.Result);
        if (errors.Count > 0)
        {
            return Result<ReviewReceipt>.Invalid(errors);
        }

        if (!await queue.ClaimAsync(entry, proposedBy, cancellationToken))
        {
            return Result<ReviewReceipt>.Conflict($"Another reviewer has already decided application {id}.");
        }

        await audit.AppendAsync(StaffAction.By(approver, "review-decision", id,
            $"approve {terms.Amount:0.00} at {terms.AnnualRate} beyond the reviewer's bounds, proposed by {proposedBy}"), cancellationToken);
        await approvals.DecideReviewAsync(id, new ReviewDecision(true, terms.Amount, terms.AnnualRate, null, proposedBy, offer), cancellationToken);
        return Result<ReviewReceipt>.Ok(new ReviewReceipt(id, "approve"));
    }

    sealed record Referral(ReviewEntry Entry, LoanApplication Application, CreditDecision Decision);

    static ReviewHold? HoldOf(ReviewEntry entry) =>
        entry is { HeldBy: { } by, HeldUntil: { } until } ? new ReviewHold(entry.ApplicationId, by, until) : null;

    /// <summary>Why <paramref name="reviewer"/> may not decide the entry now: another reviewer's hold that has not lapsed; else null.</summary>
    public static string? HeldByAnother(ReviewEntry entry, string reviewer, DateTimeOffset now) =>
        entry is { HeldBy: { } by, HeldUntil: { } until } && by != reviewer && until > now
            ? $"Reviewer {by} is working application {entry.ApplicationId} until {until:O}."
            : null;

    /// <summary>The queue entry waiting for review, or why <paramref name="staff"/> cannot take it now.</summary>
    async Task<Result<ReviewEntry>> EntryAsync(string id, IReadOnlyList<string> staff, bool approving, CancellationToken cancellationToken)
    {
        if (await queue.FindAsync(id, cancellationToken) is not { } entry)
        {
            return Result<ReviewEntry>.NotFound($"Application {id} is not waiting for review.");
        }

        if (entry.ClaimedBy is { } by)
        {
            return Result<ReviewEntry>.Conflict($"Reviewer {by} has already decided application {id}.");
        }

        if (await conflicts.IsOwnByAnyAsync(staff, entry.CustomerId, cancellationToken))
        {
            return Result<ReviewEntry>.Forbidden("No one decides their own application.");
        }

        return approving && (await halt.GetAsync(cancellationToken)) is { Halted: true } halted
            ? Result<ReviewEntry>.Conflict($"Lending is halted ({halted.Reason}); nothing is approved until two admins lift the halt.")
            : Result<ReviewEntry>.Ok(entry);
    }

    /// <summary>The referral waiting for review with its application and decision, or why <paramref name="staff"/> cannot decide it now.</summary>
    async Task<Result<Referral>> ReferralAsync(string id, IReadOnlyList<string> staff, bool approving, CancellationToken cancellationToken)
    {
        Result<ReviewEntry> found = await EntryAsync(id, staff, approving, cancellationToken);
        if (!found.Succeeded)
        {
            return found.As<Referral>();
        }

        ReviewEntry entry = found.Value!;
        LoanApplication application = await applications.GetAsync(entry.CustomerId, entry.ApplicationId, cancellationToken);
        CreditDecision? decision = entry.DecisionId is { } decisionId ? await decisions.FindAsync(decisionId, cancellationToken) : null;
        return decision is null
            ? Result<Referral>.Conflict($"Application {id} has no recorded decision to bound a review by.")
            : Result<Referral>.Ok(new Referral(entry, application, decision));
    }

    /// <summary>
    /// Every field at fault and, for an approval, the reviewer's terms priced today by the one pricing function, and the
    /// reviewer's bounds they go beyond. A reviewer alone approves at most the lesser of the amount asked for and the
    /// decision's risk limit, at a rate no lower than the decision priced (the tier's price with the rules' adjustments);
    /// beyond that needs a second approver, and nothing goes beyond the product. A decline names a reason code, which is
    /// what the borrower is shown.
    /// </summary>
    (IReadOnlyList<DomainError> Errors, PricedOffer? Offer, IReadOnlyList<DomainError> Beyond) Check(ReviewBody body, LoanApplication application, DecisionResult decided)
    {
        if (body.Approve is null)
        {
            return ([new DomainError("approve", "required", "approve is required: true to approve, false to decline.")], null, []);
        }

        if (body.Approve == false)
        {
            return (body.Reason is null || !ReasonCode().IsMatch(body.Reason)
                ? [new DomainError("reason", "reason-code", "a decline needs a reason code, such as INCOME_UNVERIFIED: 2 to 50 capital letters, digits or '_', starting with a letter (the borrower is shown it).")]
                : [], null, []);
        }

        if (body.Amount is null || body.AnnualRate is null)
        {
            return ([new DomainError(body.Amount is null ? "amount" : "annualRate", "required", "an approval needs amount and annualRate.")], null, []);
        }

        var beyond = new List<DomainError>();
        if (body.Amount > application.Amount || body.Amount > decided.Limit)
        {
            beyond.Add(new DomainError("amount", "within-request-and-limit",
                $"a reviewer alone approves at most the lesser of the amount asked for ({application.Amount:0.00}) and the risk limit ({decided.Limit:0.00}); more needs an admin's approval."));
        }

        if (body.AnnualRate < decided.AnnualRate)
        {
            beyond.Add(new DomainError("annualRate", "not-below-priced", $"a reviewer alone approves at no lower a rate than the decision priced ({decided.AnnualRate:P2}); lower needs an admin's approval."));
        }

        LoanProduct product = application.ProductTerms();
        Outcome<PricedOffer> priced = Offers.Price(product, Offers.TermsFor(product, body.Amount.Value, application.TermMonths, body.AnnualRate.Value), LenderCalendar.Today(clock));
        return priced.Succeeded ? ([], priced.Value, beyond) : (priced.Errors, null, beyond);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Z][A-Z0-9_]{1,49}\z")]
    private static partial System.Text.RegularExpressions.Regex ReasonCode();
}

/// <summary>A reviewer's approval beyond their bounds: proposed by the reviewer, approved by an admin who is not the proposer.</summary>
public sealed class OverApprovalPower(ReviewDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.OverApproval;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Reviewer];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public async Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken)
    {
        OverApproval terms = System.Text.Json.JsonSerializer.Deserialize<OverApproval>(request.Payload, StaffRequest.PayloadJson)!;
        Result<ReviewReceipt> done = await desk.ApproveBeyondBoundsAsync(request.ProposedBy, approver, request.Target, terms, context.Approvals, cancellationToken);
        return done.Succeeded ? Result<object>.Ok(done.Value!) : done.As<object>();
    }
}
