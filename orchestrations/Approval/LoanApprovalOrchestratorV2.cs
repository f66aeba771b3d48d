using JisuDai.App.Applications;
using JisuDai.App.Staff;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Products;
using Microsoft.DurableTask;

namespace JisuDai.Orchestrations.Approval;

/// <summary>
/// The approval lifecycle of one application (version 2), from submission to money in the borrower's account, and the
/// one writer of the application's status:
/// <list type="bullet">
/// <item>decide (checks, score, rules): approve → the decision's priced offer; review → a reviewer (escalated after a
/// while, declined after longer), whose approval brings its own priced offer; decline → declined with reasons; any
/// other outcome fails the orchestration loudly;</item>
/// <item>the offer is stored as priced and waits for the borrower (it lapses after a while);</item>
/// <item>an accepted offer's terms are priced again at today's date, the payout's value date; if the APR moved beyond
/// <see cref="PricedOffer.AprTolerance"/> the borrower is shown the new figures and answers again;</item>
/// <item>the offer is paid out once, booked as a loan, and the loan's repayment lifecycle started; after the payout no
/// step gives up: each retries for hours, then alerts staff and keeps trying;</item>
/// <item>a cancellation (<see cref="CancelEvent"/>) is honoured while the application is submitted, in review or
/// offered, and ignored after acceptance.</item>
/// </list>
/// Each step is recorded and notified through activities that retry and are idempotent, so a replay or a crash between
/// steps does each thing once. Steps change only in a new version (<c>LoanApprovalOrchestratorV3</c>…), never here.
/// </summary>
public sealed class LoanApprovalOrchestratorV2 : TaskOrchestrator<ApprovalInput, ApprovalResult>
{
    /// <summary>The reviewer's decision event.</summary>
    public const string ReviewEvent = LoanApprovalOrchestrator.ReviewEvent;

    /// <summary>The borrower's answer to an offer.</summary>
    public const string BorrowerEvent = LoanApprovalOrchestrator.BorrowerEvent;

    /// <summary>The borrower's cancellation.</summary>
    public const string CancelEvent = "Cancel";

    /// <summary>How long a step after the payout waits between rounds of tries once it has alerted staff.</summary>
    public static readonly TimeSpan AfterPayoutPause = ApprovalSteps.Pause;

    /// <inheritdoc />
    public override async Task<ApprovalResult> RunAsync(TaskOrchestrationContext context, ApprovalInput input)
    {
        if (await ApprovalSteps.UntilAcceptedAsync(context, input) is { } ended)
        {
            return ended;
        }

        PayoutReceipt payout = await context.CallActivityAsync<PayoutReceipt>(nameof(DisburseLoanActivity), new ApplicationRef(input.CustomerId, input.ApplicationId), ApprovalSteps.Retry);

        // Money has left: nothing after this may give up, since a payout cannot be taken back. Each step retries for
        // hours, then alerts staff and tries again, for as long as it takes.
        string loanId = await ApprovalSteps.UntilDone(context, input, "book", () =>
            context.CallActivityAsync<string>(nameof(BookLoanActivity), new BookLoanRequest(input.CustomerId, input.ApplicationId, payout), ApprovalSteps.AfterPayout));
        return await ApprovalSteps.FinishDisbursedAsync(context, input, loanId, payout);
    }
}
