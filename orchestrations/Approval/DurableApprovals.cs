using JisuDai.App.Applications;
using JisuDai.Lending.Applications;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace JisuDai.Orchestrations.Approval;

/// <summary>Makes the approval workflow of a request over the Durable client its trigger was given (each host hands one to its HTTP functions).</summary>
public sealed class ApprovalWorkflows(IApplicationRecorder recorder, TimeProvider clock)
{
    /// <summary>The workflow over <paramref name="durable"/>.</summary>
    public IApprovalWorkflow Over(DurableTaskClient durable) => new DurableApprovals(durable, recorder, clock);
}

/// <summary>
/// The approval as Durable orchestrations: new approvals start <see cref="LoanApprovalOrchestratorV5"/>, the instance id
/// being the application id; answers and decisions are events. Instances of version 1 still running are told in the
/// way version 1 understands: it has no cancellation event, so before an offer its cancellation is recorded here and
/// the instance terminated, as version 1 always did.
/// </summary>
sealed class DurableApprovals(DurableTaskClient durable, IApplicationRecorder recorder, TimeProvider clock) : IApprovalWorkflow
{
    public async Task<ApprovalStarted?> FindAsync(string applicationId, CancellationToken cancellationToken) =>
        await durable.GetInstanceAsync(applicationId, getInputsAndOutputs: true, cancellationToken) is { } instance
            ? new ApprovalStarted(instance.SerializedInput is null ? null : instance.ReadInputAs<ApprovalInput>()?.Decision)
            : null;

    public Task StartAsync(ApprovalInput input, CancellationToken cancellationToken) =>
        durable.ScheduleNewOrchestrationInstanceAsync(nameof(LoanApprovalOrchestratorV5), input, new StartOrchestrationOptions(input.ApplicationId), cancellationToken);

    public Task AcceptOfferAsync(string applicationId, CancellationToken cancellationToken) =>
        durable.RaiseEventAsync(applicationId, LoanApprovalOrchestratorV2.BorrowerEvent, new BorrowerAnswer(true), cancellationToken);

    public async Task CancelAsync(LoanApplication application, CancellationToken cancellationToken)
    {
        if (!await IsVersion1Async(application.Id, cancellationToken))
        {
            await durable.RaiseEventAsync(application.Id, LoanApprovalOrchestratorV2.CancelEvent, new CancelRequest(clock.GetUtcNow()), cancellationToken);
            return;
        }

        if (application.Status == ApplicationStatus.Offered)
        {
            await durable.RaiseEventAsync(application.Id, LoanApprovalOrchestrator.BorrowerEvent, new BorrowerAnswer(false), cancellationToken);
            return;
        }

        await recorder.RecordAsync(new ApplicationStepRecord(application.Id, application.CustomerId,
            new ApplicationStep("cancelled", ApplicationStatus.Cancelled, clock.GetUtcNow(), "Cancelled by the borrower.")), cancellationToken);
        await durable.TerminateInstanceAsync(application.Id, "Cancelled by the borrower.", cancellationToken);
    }

    public Task DecideReviewAsync(string applicationId, ReviewDecision decision, CancellationToken cancellationToken) =>
        durable.RaiseEventAsync(applicationId, LoanApprovalOrchestratorV2.ReviewEvent, decision, cancellationToken);

    public async Task PayoutFinishedAsync(string transferId, CancellationToken cancellationToken)
    {
        // The transfer id is "po" and the application's unique part; the application id adds its customer, so the one
        // approval it names is found by that prefix. Earlier versions never listen for the event, and a finished
        // approval ignores it.
        if (!transferId.StartsWith("po", StringComparison.Ordinal) || transferId.Length < 3 || transferId.Contains('.'))
        {
            return;
        }

        var query = new OrchestrationQuery { InstanceIdPrefix = transferId[2..] + ".", Statuses = [OrchestrationRuntimeStatus.Running], PageSize = 2 };
        await foreach (OrchestrationMetadata approval in durable.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (approval.Name is nameof(LoanApprovalOrchestratorV4) or nameof(LoanApprovalOrchestratorV5))
            {
                await durable.RaiseEventAsync(approval.InstanceId, LoanApprovalOrchestratorV4.PayoutFinishedEvent, true, cancellationToken);
            }

            return;
        }
    }

    async Task<bool> IsVersion1Async(string applicationId, CancellationToken cancellationToken) =>
        (await durable.GetInstanceAsync(applicationId, cancellationToken))?.Name == nameof(LoanApprovalOrchestrator);
}
