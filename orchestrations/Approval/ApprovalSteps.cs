using System.Globalization;
using JisuDai.App.Applications;
using JisuDai.App.Staff;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Products;
using Microsoft.DurableTask;

namespace JisuDai.Orchestrations.Approval;

/// <summary>
/// The steps versions 2 to 5 of the approval share, in the order they take them: everything up to an accepted offer,
/// and everything after the loan is disbursed. Version 5 takes them <c>folded</c>: the decision made at submission
/// instead of its own decision activity, and a step recorded with its notice in one activity (one after the payout),
/// so fewer round trips through the task hub. A change here changes every version, so it must replay the stored
/// histories of each (StoredV2…V4HistoryReplayTests); a change of steps goes in a new version instead.
/// </summary>
static class ApprovalSteps
{
    /// <summary>Before the money moves: five tries, backoff from 1 s to 30 s.</summary>
    public static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30)));

    /// <summary>Once the money may have moved: each step keeps trying for about five hours (backoff to 30 minutes) before it alerts.</summary>
    public static readonly TaskOptions AfterPayout = TaskOptions.FromRetryPolicy(new RetryPolicy(16, TimeSpan.FromSeconds(5), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(30)));

    /// <summary>How long a step that keeps failing waits between rounds of tries once it has alerted staff.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromHours(6);

    /// <summary>
    /// From submission to an offer the borrower accepted at a price that still held on the payout's date: the
    /// decision, a reviewer when referred, the offer rounds, a cancellation or lapse on the way. Returns null once the
    /// borrower accepted (the accepted offer is the application's, for the payout to read), or how the approval ended
    /// before that. <paramref name="folded"/>: version 5's steps (see the class).
    /// </summary>
    public static async Task<ApprovalResult?> UntilAcceptedAsync(TaskOrchestrationContext context, ApprovalInput input, bool folded = false)
    {
        // Raised at any time; buffered until looked at, so a cancellation during the decision is seen right after it.
        Task<CancelRequest> cancelled = context.WaitForExternalEvent<CancelRequest>(LoanApprovalOrchestratorV2.CancelEvent);
        var app = new ApplicationRef(input.CustomerId, input.ApplicationId);
        ApprovalDecision decision = folded && input.Decision is { } decidedAtSubmission
            ? decidedAtSubmission
            : await context.CallActivityAsync<ApprovalDecision>(nameof(DecideApplicationActivity), app, Retry);
        if (cancelled.IsCompleted)
        {
            return await Cancel(context, input, "cancelled", "Cancelled by the borrower.");
        }

        PricedOffer offer;
        switch (decision.Outcome)
        {
            case CreditOutcome.Approve:
                offer = decision.Offer ?? throw new InvalidOperationException($"Decision {decision.DecisionId} approved without a priced offer.");
                break;
            case CreditOutcome.Review:
                await Record(context, input, "referred", ApplicationStatus.InReview, "Referred to a reviewer.", reasons: decision.Reasons, decisionId: decision.DecisionId);
                (ReviewDecision? review, bool cancelledInReview) = await WaitForReview(context, input, cancelled);
                if (cancelledInReview)
                {
                    return await Cancel(context, input, "cancelled", "Cancelled by the borrower.");
                }

                if (review is null)
                {
                    return await Decline(context, input, "review-timeout", "No reviewer decided in time.", ["REVIEW_TIMEOUT"], folded: folded);
                }

                if (!review.Approve)
                {
                    return await Decline(context, input, "review-declined", $"Declined by {review.Reviewer}.", [review.Reason ?? "REVIEWER_DECLINED"], folded: folded);
                }

                offer = review.Offer ?? throw new InvalidOperationException($"Reviewer {review.Reviewer} approved {input.ApplicationId} without a priced offer.");
                break;
            case CreditOutcome.Decline:
                return await Decline(context, input, "declined", "Declined by the credit decision.", decision.Reasons, decision.DecisionId, folded);
            default:
                throw new InvalidOperationException($"Decision {decision.DecisionId} has an outcome the approval does not know: {decision.Outcome}.");
        }

        for (int round = 1; ; round++)
        {
            // Later rounds follow a repricing: their steps and notices are numbered so each is recorded and sent once.
            string suffix = round == 1 ? "" : $"-{round}";
            offer = offer with { ExpiresAt = context.CurrentUtcDateTime + input.Timeouts.OfferExpiresAfter };
            ApplicationStepRecord offered = StepRecord(context, input, $"offered{suffix}", ApplicationStatus.Offered, round == 1 ? "Offer made." : "Offer made again at the payout date's price.",
                offer: offer, decisionId: decision.DecisionId);
            ApplicantNotice offerMade = Notice(input, "OfferMade", new()
            {
                ["amount"] = offer.Amount.ToString("0.00", CultureInfo.InvariantCulture),
                ["term"] = offer.TermMonths.ToString(CultureInfo.InvariantCulture),
                ["apr"] = offer.Apr.ToString("P2", CultureInfo.InvariantCulture),
                ["expires"] = offer.ExpiresAt!.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            }, round == 1 ? null : $"{round}");
            await RecordAndNotify(context, offered, offerMade, folded);

            using var timeout = new CancellationTokenSource();
            Task<BorrowerAnswer> answered = context.WaitForExternalEvent<BorrowerAnswer>(LoanApprovalOrchestratorV2.BorrowerEvent);
            Task lapsed = context.CreateTimer(offer.ExpiresAt!.Value.UtcDateTime, timeout.Token);
            Task first = await Task.WhenAny(answered, cancelled, lapsed);
            if (first == lapsed)
            {
                return await Cancel(context, input, $"offer-expired{suffix}", "The offer lapsed.");
            }

            timeout.Cancel();
            if (first == cancelled || !answered.Result.Accept)
            {
                return await Cancel(context, input, $"cancelled{suffix}", "Cancelled by the borrower.");
            }

            await Record(context, input, $"accepted{suffix}", ApplicationStatus.Accepted, "Offer accepted.");
            PricedOffer repriced = await context.CallActivityAsync<PricedOffer>(nameof(RepriceOfferActivity),
                new RepriceRequest(input.CustomerId, input.ApplicationId, LenderCalendar.DateOf(context.CurrentUtcDateTime)), Retry);
            if (offer.SamePriceAs(repriced))
            {
                break;
            }

            offer = repriced;
        }

        return null;
    }

    /// <summary>
    /// The steps after the loan is disbursed: recorded, the borrower told, the repayment lifecycle started; none gives up.
    /// <paramref name="folded"/>: the three in one activity (each of them is idempotent, so a retry repeats none).
    /// </summary>
    public static async Task<ApprovalResult> FinishDisbursedAsync(TaskOrchestrationContext context, ApprovalInput input, string loanId, PayoutReceipt payout, bool folded = false)
    {
        string detail = $"Paid out {payout.Amount:0.00} yuan (transfer {payout.TransferId}); loan {loanId} booked.";
        var disbursedNotice = new Dictionary<string, string>
        {
            ["amount"] = payout.Amount.ToString("0.00", CultureInfo.InvariantCulture),
            ["account"] = payout.AccountEnding,
        };
        var repayment = new Repayment.StartRepaymentRequest(input.CustomerId, loanId, input.ApplicationId);
        if (folded)
        {
            var disbursed = new DisbursedLoan(StepRecord(context, input, "disbursed", ApplicationStatus.Disbursed, detail), Notice(input, "LoanDisbursed", disbursedNotice), repayment);
            await UntilDone(context, input, "finish-disbursed", () => context.CallActivityAsync<bool>(nameof(FinishDisbursedActivity), disbursed, AfterPayout));
            return new ApprovalResult(ApplicationStatus.Disbursed, loanId);
        }

        await UntilDone(context, input, "record-disbursed", () =>
            Record(context, input, "disbursed", ApplicationStatus.Disbursed, detail, options: AfterPayout));
        await UntilDone(context, input, "notify-disbursed", async () =>
        {
            await Notify(context, input, "LoanDisbursed", disbursedNotice, options: AfterPayout);
            return true;
        });

        // The loan's own lifecycle takes over (an orchestration of its own, so the approval ends here).
        await UntilDone(context, input, "start-repayment", () => context.CallActivityAsync<bool>(nameof(Repayment.StartRepaymentActivity), repayment, AfterPayout));
        return new ApprovalResult(ApplicationStatus.Disbursed, loanId);
    }

    /// <summary>
    /// Runs <paramref name="step"/> (which retries for hours on its own) until it succeeds: each time its tries run out,
    /// staff are alerted (one alert per step and round) and it starts again after <see cref="Pause"/>.
    /// </summary>
    public static async Task<T> UntilDone<T>(TaskOrchestrationContext context, ApprovalInput input, string stepName, Func<Task<T>> step)
    {
        for (int round = 1; ; round++)
        {
            try
            {
                return await step();
            }
            catch (TaskFailedException e)
            {
                await context.CallActivityAsync<bool>(nameof(AlertStaffActivity), new StaffAlert(
                    $"payout-{input.ApplicationId}-{stepName}-{round}", "step-after-payout-failing", input.ApplicationId,
                    $"After the payout, '{stepName}' keeps failing (round {round}): {e.FailureDetails.ErrorMessage}. It tries again in {Pause.TotalHours:0} hours.",
                    context.CurrentUtcDateTime), AfterPayout);
                await context.CreateTimer(context.CurrentUtcDateTime + Pause, CancellationToken.None);
            }
        }
    }

    /// <summary>Waits for a reviewer or a cancellation; escalates once after the first timeout and gives up after the second.</summary>
    static async Task<(ReviewDecision? Review, bool Cancelled)> WaitForReview(TaskOrchestrationContext context, ApprovalInput input, Task<CancelRequest> cancelled)
    {
        Task<ReviewDecision> reviewed = context.WaitForExternalEvent<ReviewDecision>(LoanApprovalOrchestratorV2.ReviewEvent);
        if (await WaitAsync(context, input.Timeouts.ReviewEscalateAfter, reviewed, cancelled) is { } first)
        {
            return first == reviewed ? (reviewed.Result, false) : (null, true);
        }

        await Record(context, input, "escalated", ApplicationStatus.InReview, "Escalated: no reviewer decided within the SLA.");
        TimeSpan remaining = input.Timeouts.ReviewDeclineAfter - input.Timeouts.ReviewEscalateAfter;
        Task? second = remaining > TimeSpan.Zero ? await WaitAsync(context, remaining, reviewed, cancelled) : null;
        return second is null ? (null, false) : second == reviewed ? (reviewed.Result, false) : (null, true);
    }

    /// <summary>The first of <paramref name="events"/> to complete, or null when a durable timer of <paramref name="timeout"/> fires first.</summary>
    static async Task<Task?> WaitAsync(TaskOrchestrationContext context, TimeSpan timeout, params Task[] events)
    {
        using var cancelTimer = new CancellationTokenSource();
        Task timer = context.CreateTimer(context.CurrentUtcDateTime + timeout, cancelTimer.Token);
        Task first = await Task.WhenAny([.. events, timer]);
        if (first == timer)
        {
            return null;
        }

        cancelTimer.Cancel();
        return first;
    }

    public static async Task<ApprovalResult> Cancel(TaskOrchestrationContext context, ApprovalInput input, string stepId, string detail)
    {
        await Record(context, input, stepId, ApplicationStatus.Cancelled, detail);
        return new ApprovalResult(ApplicationStatus.Cancelled, null);
    }

    static async Task<ApprovalResult> Decline(TaskOrchestrationContext context, ApprovalInput input, string stepId, string detail, IReadOnlyList<string> reasons, string? decisionId = null,
        bool folded = false)
    {
        await RecordAndNotify(context, StepRecord(context, input, stepId, ApplicationStatus.Declined, detail, reasons: reasons, decisionId: decisionId),
            Notice(input, "ApplicationDeclined", new() { ["reason"] = string.Join(", ", reasons.DefaultIfEmpty("RISK_TIER")) }), folded);
        return new ApprovalResult(ApplicationStatus.Declined, null);
    }

    /// <summary>Records the step and queues its notice: two activities, or one when <paramref name="folded"/>.</summary>
    static async Task RecordAndNotify(TaskOrchestrationContext context, ApplicationStepRecord step, ApplicantNotice notice, bool folded)
    {
        if (folded)
        {
            await context.CallActivityAsync<ApplicationStatus>(nameof(RecordStepAndNotifyActivity), new ApplicationStepNotice(step, notice), Retry);
            return;
        }

        await context.CallActivityAsync<ApplicationStatus>(nameof(RecordApplicationStepActivity), step, Retry);
        await context.CallActivityAsync<bool>(nameof(NotifyApplicantActivity), notice, Retry);
    }

    static ApplicationStepRecord StepRecord(TaskOrchestrationContext context, ApprovalInput input, string stepId, ApplicationStatus status, string detail,
        PricedOffer? offer = null, IReadOnlyList<string>? reasons = null, string? decisionId = null) =>
        new(input.ApplicationId, input.CustomerId, new ApplicationStep(stepId, status, context.CurrentUtcDateTime, detail), Reasons: reasons, DecisionId: decisionId, PricedOffer: offer);

    static ApplicantNotice Notice(ApprovalInput input, string template, Dictionary<string, string> parameters, string? occurrence = null) =>
        new(input.ApplicationId, input.CustomerId, template, parameters, occurrence);

    public static Task<ApplicationStatus> Record(TaskOrchestrationContext context, ApprovalInput input, string stepId, ApplicationStatus status, string detail,
        PricedOffer? offer = null, IReadOnlyList<string>? reasons = null, string? decisionId = null, TaskOptions? options = null) =>
        context.CallActivityAsync<ApplicationStatus>(nameof(RecordApplicationStepActivity), StepRecord(context, input, stepId, status, detail, offer, reasons, decisionId), options ?? Retry);

    public static Task Notify(TaskOrchestrationContext context, ApprovalInput input, string template, Dictionary<string, string> parameters, string? occurrence = null, TaskOptions? options = null) =>
        context.CallActivityAsync<bool>(nameof(NotifyApplicantActivity), Notice(input, template, parameters, occurrence), options ?? Retry);
}
