using JisuDai.App.Applications;
using Microsoft.DurableTask;

namespace JisuDai.Orchestrations.Approval;

/// <summary>
/// The approval lifecycle of one application (version 5, new approvals): version 4's steps, folded. The submission
/// decided the application while the borrower waited (<see cref="DecisionAtSubmission"/>) and started this with the
/// decision, so its first step records the status and the offer from that decision rather than deciding again; only
/// when the submission could not decide in its budget does it call the decision activity, as version 4 did. A step
/// and its notice go in one activity (offered, declined), and the three steps after the payout in one (recorded,
/// notified, repayment lifecycle started). An auto-approved application reaches its offer in one activity instead of
/// three, and a disbursed loan in eight instead of twelve (with one question to the provider).
/// Steps change only in a new version, never here.
/// </summary>
public sealed class LoanApprovalOrchestratorV5 : TaskOrchestrator<ApprovalInput, ApprovalResult>
{
    /// <inheritdoc />
    public override async Task<ApprovalResult> RunAsync(TaskOrchestrationContext context, ApprovalInput input) =>
        await ApprovalSteps.UntilAcceptedAsync(context, input, folded: true) is { } ended
            ? ended
            : await LoanApprovalOrchestratorV3.PayOutAsync(context, input, wait => LoanApprovalOrchestratorV4.UntilNoticeOrAsync(context, wait), folded: true);
}
