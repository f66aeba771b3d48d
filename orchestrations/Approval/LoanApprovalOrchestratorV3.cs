using JisuDai.App.Applications;
using JisuDai.App.Payments;
using JisuDai.App.Staff;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using Microsoft.DurableTask;

namespace JisuDai.Orchestrations.Approval;

/// <summary>
/// The approval lifecycle of one application (version 3): as version 2 up to an accepted offer (the shared
/// <see cref="ApprovalSteps"/>), then the money path changes so that money never leaves without a loan to hold it:
/// <list type="bullet">
/// <item>the loan is booked pending (status Approved) before the payout is asked for;</item>
/// <item>the payout is asked for and not waited for in an activity: the provider is asked where it stands on a durable
/// timer (after 1 s, doubling to 30 minutes), for as long as the transfer takes;</item>
/// <item>confirmed: the pending loan is disbursed (Active, dated the payout's value date), then recorded, notified
/// and handed to its repayment lifecycle, as version 2;</item>
/// <item>refused by the provider: the pending loan is cancelled, the application ends Cancelled with step
/// <c>payout-failed</c>, and staff are alerted; nothing was paid, and a payout is never clawed back;</item>
/// <item>from the request on, no step gives up: each retries for hours, then alerts staff and keeps trying.</item>
/// </list>
/// Steps change only in a new version (<see cref="LoanApprovalOrchestratorV4"/>…), never here; instances of it still
/// in flight finish on it (StoredV3HistoryReplayTests replays one).
/// </summary>
public sealed class LoanApprovalOrchestratorV3 : TaskOrchestrator<ApprovalInput, ApprovalResult>
{
    /// <summary>The longest wait between two questions to the provider about a transfer in progress.</summary>
    public static readonly TimeSpan LongestPayoutCheck = TimeSpan.FromMinutes(30);

    /// <inheritdoc />
    public override async Task<ApprovalResult> RunAsync(TaskOrchestrationContext context, ApprovalInput input) =>
        await ApprovalSteps.UntilAcceptedAsync(context, input) is { } ended
            ? ended
            : await PayOutAsync(context, input, wait => context.CreateTimer(context.CurrentUtcDateTime + wait, CancellationToken.None));

    /// <summary>
    /// The money path from an accepted offer, which version 4 shares: book pending, ask for the payout, follow it
    /// (waiting between questions with <paramref name="waitAsync"/>: a timer here, a timer or the provider's notice in
    /// version 4), then disburse or cancel. <paramref name="folded"/>: version 5's steps after the payout (see <see cref="ApprovalSteps"/>).
    /// </summary>
    internal static async Task<ApprovalResult> PayOutAsync(TaskOrchestrationContext context, ApprovalInput input, Func<TimeSpan, Task> waitAsync, bool folded = false)
    {
        var app = new ApplicationRef(input.CustomerId, input.ApplicationId);
        string loanId = await context.CallActivityAsync<string>(nameof(BookPendingLoanActivity),
            new BookPendingLoanRequest(input.CustomerId, input.ApplicationId, LenderCalendar.DateOf(context.CurrentUtcDateTime)), ApprovalSteps.Retry);

        // From the request on the money may move: nothing gives up.
        PayoutStatus payout = await ApprovalSteps.UntilDone(context, input, "request-payout", () =>
            context.CallActivityAsync<PayoutStatus>(nameof(RequestPayoutActivity), app, ApprovalSteps.AfterPayout));
        TimeSpan wait = TimeSpan.FromSeconds(1);
        while (payout.State == ProviderState.Pending)
        {
            await waitAsync(wait);
            wait = wait * 2 < LongestPayoutCheck ? wait * 2 : LongestPayoutCheck;
            string transferId = payout.TransferId;
            PayoutStatus? now = await ApprovalSteps.UntilDone(context, input, "check-payout", () =>
                context.CallActivityAsync<PayoutStatus?>(nameof(CheckPayoutActivity), transferId, ApprovalSteps.AfterPayout));

            // A transfer the provider does not know was never made (the request was lost): ask for it again, under the same id.
            payout = now ?? await ApprovalSteps.UntilDone(context, input, "request-payout", () =>
                context.CallActivityAsync<PayoutStatus>(nameof(RequestPayoutActivity), app, ApprovalSteps.AfterPayout));
        }

        if (payout.State != ProviderState.Succeeded)
        {
            string detail = $"The payout failed ({payout.FailReason ?? payout.State.ToString()}): nothing was paid, and loan {loanId} is cancelled.";
            await ApprovalSteps.UntilDone(context, input, "cancel-loan", () => context.CallActivityAsync<bool>(nameof(CancelPendingLoanActivity), app, ApprovalSteps.AfterPayout));
            await ApprovalSteps.UntilDone(context, input, "alert-payout-failed", () => context.CallActivityAsync<bool>(nameof(AlertStaffActivity),
                new StaffAlert($"payout-failed-{input.ApplicationId}", "payout-failed", input.ApplicationId, detail, context.CurrentUtcDateTime), ApprovalSteps.AfterPayout));
            await ApprovalSteps.UntilDone(context, input, "record-payout-failed", () =>
                ApprovalSteps.Record(context, input, "payout-failed", ApplicationStatus.Cancelled, detail, options: ApprovalSteps.AfterPayout));
            return new ApprovalResult(ApplicationStatus.Cancelled, null);
        }

        PayoutReceipt receipt = ProviderPayouts.ReceiptOf(payout);
        await ApprovalSteps.UntilDone(context, input, "disburse-loan", () =>
            context.CallActivityAsync<string>(nameof(DisbursePendingLoanActivity), new BookLoanRequest(input.CustomerId, input.ApplicationId, receipt), ApprovalSteps.AfterPayout));
        return await ApprovalSteps.FinishDisbursedAsync(context, input, loanId, receipt, folded);
    }
}
