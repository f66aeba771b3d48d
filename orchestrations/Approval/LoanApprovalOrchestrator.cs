using JisuDai.App.Applications;
using JisuDai.App.Results;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Ledger;
using JisuDai.Orchestrations.Repayment;
using Microsoft.DurableTask;

namespace JisuDai.Orchestrations.Approval;

/// <summary>How an approval ended.</summary>
/// <param name="Status">The application's final status.</param>
/// <param name="LoanId">The booked loan, when disbursed.</param>
public sealed record ApprovalResult(ApplicationStatus Status, string? LoanId);

/// <summary>
/// Version 1 of the approval, kept exactly as it ran so the instances started on it (offers wait up to 3 days, reviews
/// 2) finish on it; new approvals start <see cref="LoanApprovalOrchestratorV2"/>. A test replays a stored history of this
/// version. Delete it once no instance named <c>LoanApprovalOrchestrator</c> is running.
/// The approval lifecycle of one application, from submission to money in the borrower's account:
/// decide (checks, score, rules) → auto-approve to an offer, refer to a reviewer (escalate after a while, decline after
/// longer), or decline with reasons; an offer waits for the borrower (it lapses after a while); an accepted offer is
/// paid out once and booked as a loan, whose repayment lifecycle is then started. Each step is recorded and notified through activities that retry and are
/// idempotent, so a replay or a crash between steps does each thing once.
/// </summary>
public sealed class LoanApprovalOrchestrator : TaskOrchestrator<ApprovalInput, ApprovalResult>
{
    /// <summary>The reviewer's decision event.</summary>
    public const string ReviewEvent = "ReviewDecision";

    /// <summary>The borrower's answer event.</summary>
    public const string BorrowerEvent = "BorrowerAnswer";

    static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30)));

    /// <inheritdoc />
    public override async Task<ApprovalResult> RunAsync(TaskOrchestrationContext context, ApprovalInput input)
    {
        // The intake queued "ApplicationReceived" with the submission itself.
        var app = new ApplicationRef(input.CustomerId, input.ApplicationId);
        ApprovalDecision decision = await context.CallActivityAsync<ApprovalDecision>(nameof(DecideApplicationActivity), app, Retry);

        OfferToPrice? terms = null;
        switch (decision.Outcome)
        {
            case CreditOutcome.Approve:
                terms = new OfferToPrice(decision.Amount, decision.TermMonths, decision.AnnualRate, context.CurrentUtcDateTime + input.Timeouts.OfferExpiresAfter);
                break;
            case CreditOutcome.Review:
                await Record(context, input, "referred", ApplicationStatus.InReview, "Referred to a reviewer.", reasons: decision.Reasons, decisionId: decision.DecisionId);
                ReviewDecision? review = await WaitForReview(context, input);
                if (review is null)
                {
                    return await Decline(context, input, "review-timeout", "No reviewer decided in time.", ["REVIEW_TIMEOUT"]);
                }

                if (!review.Approve)
                {
                    return await Decline(context, input, "review-declined", $"Declined by {review.Reviewer}.", [review.Reason ?? "REVIEWER_DECLINED"]);
                }

                terms = new OfferToPrice(review.Amount, decision.TermMonths, review.AnnualRate, context.CurrentUtcDateTime + input.Timeouts.OfferExpiresAfter);
                break;
            default:
                return await Decline(context, input, "declined", "Declined by the credit decision.", decision.Reasons, decision.DecisionId);
        }

        if (await Record(context, input, "offered", ApplicationStatus.Offered, "Offer made.", terms, decisionId: decision.DecisionId) != ApplicationStatus.Offered)
        {
            // The borrower cancelled while it was being decided: no offer goes out.
            return new ApprovalResult(ApplicationStatus.Cancelled, null);
        }

        await Notify(context, input, "OfferMade", new()
        {
            ["amount"] = terms.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
            ["term"] = terms.TermMonths.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["apr"] = terms.AnnualRate.ToString("P2", System.Globalization.CultureInfo.InvariantCulture),
            ["expires"] = terms.ExpiresAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        });

        BorrowerAnswer? answer = await WaitFor<BorrowerAnswer>(context, BorrowerEvent, input.Timeouts.OfferExpiresAfter);
        if (answer is null)
        {
            await Record(context, input, "offer-expired", ApplicationStatus.Cancelled, "The offer lapsed.");
            return new ApprovalResult(ApplicationStatus.Cancelled, null);
        }

        if (!answer.Accept)
        {
            await Record(context, input, "cancelled", ApplicationStatus.Cancelled, "Cancelled by the borrower.");
            return new ApprovalResult(ApplicationStatus.Cancelled, null);
        }

        await Record(context, input, "accepted", ApplicationStatus.Accepted, "Offer accepted.");
        PayoutReceipt payout = await context.CallActivityAsync<PayoutReceipt>(nameof(DisburseLoanActivity), app, Retry);
        string loanId = await context.CallActivityAsync<string>(nameof(BookLoanActivity), new BookLoanRequest(input.CustomerId, input.ApplicationId, payout), Retry);
        await Record(context, input, "disbursed", ApplicationStatus.Disbursed, $"Paid out {payout.Amount:0.00} yuan (transfer {payout.TransferId}); loan {loanId} booked.");
        await Notify(context, input, "LoanDisbursed", new()
        {
            ["amount"] = payout.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
            ["account"] = payout.AccountEnding,
        });

        // The loan's own lifecycle takes over (an orchestration of its own, so the approval ends here).
        await context.CallActivityAsync<bool>(nameof(Repayment.StartRepaymentActivity), new Repayment.StartRepaymentRequest(input.CustomerId, loanId, input.ApplicationId), Retry);
        return new ApprovalResult(ApplicationStatus.Disbursed, loanId);
    }

    /// <summary>Waits for a reviewer; escalates once after the first timeout and gives up after the second.</summary>
    static async Task<ReviewDecision?> WaitForReview(TaskOrchestrationContext context, ApprovalInput input)
    {
        ReviewDecision? review = await WaitFor<ReviewDecision>(context, ReviewEvent, input.Timeouts.ReviewEscalateAfter);
        if (review is not null)
        {
            return review;
        }

        await Record(context, input, "escalated", ApplicationStatus.InReview, "Escalated: no reviewer decided within the SLA.");
        TimeSpan remaining = input.Timeouts.ReviewDeclineAfter - input.Timeouts.ReviewEscalateAfter;
        return remaining > TimeSpan.Zero ? await WaitFor<ReviewDecision>(context, ReviewEvent, remaining) : null;
    }

    /// <summary>The event, or null when the durable timer fires first.</summary>
    static async Task<T?> WaitFor<T>(TaskOrchestrationContext context, string eventName, TimeSpan timeout)
        where T : class
    {
        using var cancelTimer = new CancellationTokenSource();
        Task<T> received = context.WaitForExternalEvent<T>(eventName);
        Task timer = context.CreateTimer(context.CurrentUtcDateTime + timeout, cancelTimer.Token);
        if (await Task.WhenAny(received, timer) == received)
        {
            cancelTimer.Cancel();
            return received.Result;
        }

        return null;
    }

    static async Task<ApprovalResult> Decline(TaskOrchestrationContext context, ApprovalInput input, string stepId, string detail, IReadOnlyList<string> reasons, string? decisionId = null)
    {
        await Record(context, input, stepId, ApplicationStatus.Declined, detail, reasons: reasons, decisionId: decisionId);
        await Notify(context, input, "ApplicationDeclined", new() { ["reason"] = string.Join(", ", reasons.DefaultIfEmpty("RISK_TIER")) });
        return new ApprovalResult(ApplicationStatus.Declined, null);
    }

    static Task<ApplicationStatus> Record(TaskOrchestrationContext context, ApprovalInput input, string stepId, ApplicationStatus status, string detail,
        OfferToPrice? offer = null, IReadOnlyList<string>? reasons = null, string? decisionId = null) =>
        context.CallActivityAsync<ApplicationStatus>(nameof(RecordApplicationStepActivity), new ApplicationStepRecord(
            input.ApplicationId, input.CustomerId, new ApplicationStep(stepId, status, context.CurrentUtcDateTime, detail), offer, reasons, decisionId), Retry);

    static Task Notify(TaskOrchestrationContext context, ApprovalInput input, string template, Dictionary<string, string> parameters) =>
        context.CallActivityAsync<bool>(nameof(NotifyApplicantActivity), new ApplicantNotice(input.ApplicationId, input.CustomerId, template, parameters), Retry);
}
