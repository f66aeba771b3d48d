using JisuDai.App.Applications;
using Microsoft.DurableTask;

namespace JisuDai.Orchestrations.Approval;

/// <summary>
/// The approval lifecycle of one application (version 4, new approvals): as version 3, except that between questions
/// to the provider about a transfer in progress it also listens for the provider's notice that the transfer finished
/// (<see cref="PayoutFinishedEvent"/>, raised when a verified transfer notification arrives), so a loan is disbursed
/// moments after its money arrives rather than at the next question (up to 30 minutes later). The notice only wakes
/// it: the provider is asked, as before, and its answer decides.
/// Steps change only in a new version, never here.
/// </summary>
public sealed class LoanApprovalOrchestratorV4 : TaskOrchestrator<ApprovalInput, ApprovalResult>
{
    /// <summary>Raised on the approval when the provider notifies that its transfer finished.</summary>
    public const string PayoutFinishedEvent = "PayoutFinished";

    /// <inheritdoc />
    public override async Task<ApprovalResult> RunAsync(TaskOrchestrationContext context, ApprovalInput input) =>
        await ApprovalSteps.UntilAcceptedAsync(context, input) is { } ended
            ? ended
            : await LoanApprovalOrchestratorV3.PayOutAsync(context, input, wait => UntilNoticeOrAsync(context, wait));

    /// <summary>Waits <paramref name="wait"/>, or less when the provider's notice comes first; whichever is left is cancelled, so no waiter outlives its turn.</summary>
    internal static async Task UntilNoticeOrAsync(TaskOrchestrationContext context, TimeSpan wait)
    {
        using var done = new CancellationTokenSource();
        Task timer = context.CreateTimer(context.CurrentUtcDateTime + wait, done.Token);
        Task<bool> notice = context.WaitForExternalEvent<bool>(PayoutFinishedEvent, done.Token);
        await Task.WhenAny(timer, notice);
        done.Cancel();
    }
}
