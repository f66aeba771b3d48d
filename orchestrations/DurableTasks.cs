using JisuDai.Orchestrations.Approval;
using JisuDai.Orchestrations.Diagnostics;
using JisuDai.Orchestrations.Repayment;

namespace JisuDai.Orchestrations;

/// <summary>
/// Every orchestrator and activity of the app. The standalone host registers exactly these; the Functions
/// build has a hand-written [Function] wrapper for each (the DurableTask source generator is not available
/// here), and a test checks the two lists agree.
/// </summary>
public static class DurableTasks
{
    /// <summary>Orchestrator classes; each runs under its class name.</summary>
    public static IReadOnlyList<Type> Orchestrators { get; } =
    [
        typeof(RoundTripOrchestrator),
        typeof(SignalOrchestrator),
        typeof(LoanApprovalOrchestrator),
        typeof(LoanApprovalOrchestratorV2),
        typeof(LoanApprovalOrchestratorV3),
        typeof(LoanApprovalOrchestratorV4),
        typeof(LoanApprovalOrchestratorV5),
        typeof(RepaymentOrchestrator),
    ];

    /// <summary>Activity classes; each runs under its class name.</summary>
    public static IReadOnlyList<Type> Activities { get; } =
    [
        typeof(EchoActivity),
        typeof(DecideApplicationActivity),
        typeof(RecordApplicationStepActivity),
        typeof(RecordStepAndNotifyActivity),
        typeof(FinishDisbursedActivity),
        typeof(RepriceOfferActivity),
        typeof(AlertStaffActivity),
        typeof(DisburseLoanActivity),
        typeof(BookLoanActivity),
        typeof(BookPendingLoanActivity),
        typeof(RequestPayoutActivity),
        typeof(CheckPayoutActivity),
        typeof(DisbursePendingLoanActivity),
        typeof(CancelPendingLoanActivity),
        typeof(NotifyApplicantActivity),
        typeof(StartRepaymentActivity),
        typeof(CheckInstallmentActivity),
        typeof(FollowUpInstallmentActivity),
    ];
}
