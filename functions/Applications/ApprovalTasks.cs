using JisuDai.App.Applications;
using JisuDai.App.Payments;
using JisuDai.App.Staff;
using JisuDai.Functions.Durable;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;
using JisuDai.Orchestrations.Approval;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Functions.Applications;

/// <summary>
/// The Functions wrappers of the approval orchestrator and its activities (written by hand: the DurableTask source
/// generator is not available here). Activities are made from the invocation's services, as the standalone host does.
/// </summary>
public static class ApprovalTasks
{
    [Function(nameof(LoanApprovalOrchestrator))]
    public static Task<ApprovalResult> LoanApproval([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new LoanApprovalOrchestrator().RunAsync(context, context.GetInput<ApprovalInput>()!);

    [Function(nameof(LoanApprovalOrchestratorV2))]
    public static Task<ApprovalResult> LoanApprovalV2([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new LoanApprovalOrchestratorV2().RunAsync(context, context.GetInput<ApprovalInput>()!);

    [Function(nameof(LoanApprovalOrchestratorV3))]
    public static Task<ApprovalResult> LoanApprovalV3([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new LoanApprovalOrchestratorV3().RunAsync(context, context.GetInput<ApprovalInput>()!);

    [Function(nameof(LoanApprovalOrchestratorV4))]
    public static Task<ApprovalResult> LoanApprovalV4([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new LoanApprovalOrchestratorV4().RunAsync(context, context.GetInput<ApprovalInput>()!);

    [Function(nameof(LoanApprovalOrchestratorV5))]
    public static Task<ApprovalResult> LoanApprovalV5([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new LoanApprovalOrchestratorV5().RunAsync(context, context.GetInput<ApprovalInput>()!);

    [Function(nameof(RecordStepAndNotifyActivity))]
    public static Task<ApplicationStatus> RecordAndNotify([ActivityTrigger] ApplicationStepNotice input, FunctionContext function) =>
        Make<RecordStepAndNotifyActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(RecordStepAndNotifyActivity), function), input);

    [Function(nameof(FinishDisbursedActivity))]
    public static Task<bool> FinishDisbursed([ActivityTrigger] DisbursedLoan input, FunctionContext function) =>
        Make<FinishDisbursedActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(FinishDisbursedActivity), function), input);

    [Function(nameof(RepriceOfferActivity))]
    public static Task<PricedOffer> Reprice([ActivityTrigger] RepriceRequest input, FunctionContext function) =>
        Make<RepriceOfferActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(RepriceOfferActivity), function), input);

    [Function(nameof(AlertStaffActivity))]
    public static Task<bool> Alert([ActivityTrigger] StaffAlert input, FunctionContext function) =>
        Make<AlertStaffActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(AlertStaffActivity), function), input);

    [Function(nameof(DecideApplicationActivity))]
    public static Task<ApprovalDecision> Decide([ActivityTrigger] ApplicationRef input, FunctionContext function) =>
        Make<DecideApplicationActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(DecideApplicationActivity), function), input);

    [Function(nameof(RecordApplicationStepActivity))]
    public static Task<ApplicationStatus> Record([ActivityTrigger] ApplicationStepRecord input, FunctionContext function) =>
        Make<RecordApplicationStepActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(RecordApplicationStepActivity), function), input);

    [Function(nameof(DisburseLoanActivity))]
    public static Task<PayoutReceipt> Disburse([ActivityTrigger] ApplicationRef input, FunctionContext function) =>
        Make<DisburseLoanActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(DisburseLoanActivity), function), input);

    [Function(nameof(BookLoanActivity))]
    public static Task<string> Book([ActivityTrigger] BookLoanRequest input, FunctionContext function) =>
        Make<BookLoanActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(BookLoanActivity), function), input);

    [Function(nameof(BookPendingLoanActivity))]
    public static Task<string> BookPending([ActivityTrigger] BookPendingLoanRequest input, FunctionContext function) =>
        Make<BookPendingLoanActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(BookPendingLoanActivity), function), input);

    [Function(nameof(RequestPayoutActivity))]
    public static Task<PayoutStatus> RequestPayout([ActivityTrigger] ApplicationRef input, FunctionContext function) =>
        Make<RequestPayoutActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(RequestPayoutActivity), function), input);

    [Function(nameof(CheckPayoutActivity))]
    public static Task<PayoutStatus?> CheckPayout([ActivityTrigger] string input, FunctionContext function) =>
        Make<CheckPayoutActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(CheckPayoutActivity), function), input);

    [Function(nameof(DisbursePendingLoanActivity))]
    public static Task<string> DisbursePending([ActivityTrigger] BookLoanRequest input, FunctionContext function) =>
        Make<DisbursePendingLoanActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(DisbursePendingLoanActivity), function), input);

    [Function(nameof(CancelPendingLoanActivity))]
    public static Task<bool> CancelPending([ActivityTrigger] ApplicationRef input, FunctionContext function) =>
        Make<CancelPendingLoanActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(CancelPendingLoanActivity), function), input);

    [Function(nameof(NotifyApplicantActivity))]
    public static Task<bool> Notify([ActivityTrigger] ApplicantNotice input, FunctionContext function) =>
        Make<NotifyApplicantActivity>(function).RunAsync(FunctionActivityContext.Of(nameof(NotifyApplicantActivity), function), input);

    static T Make<T>(FunctionContext function) => ActivatorUtilities.CreateInstance<T>(function.InstanceServices);
}
