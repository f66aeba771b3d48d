using JisuDai.App.Loans;
using JisuDai.Functions.Durable;
using JisuDai.Orchestrations.Repayment;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Functions.Loans;

/// <summary>
/// The Functions wrappers of the repayment orchestrator and its activities (by hand: no DurableTask source generator
/// here). Starting a lifecycle needs a durable client, which Functions binds to the activity.
/// </summary>
public static class RepaymentTasks
{
    [Function(nameof(RepaymentOrchestrator))]
    public static Task<RepaymentOutcome?> Repayment([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new RepaymentOrchestrator().RunAsync(context, context.GetInput<RepaymentInput>()!);

    [Function(nameof(StartRepaymentActivity))]
    public static Task<bool> Start([ActivityTrigger] StartRepaymentRequest input, [DurableClient] DurableTaskClient durable, FunctionContext function) =>
        new StartRepaymentActivity(ActivatorUtilities.CreateInstance<RepaymentStarter>(function.InstanceServices, durable))
            .RunAsync(FunctionActivityContext.Of(nameof(StartRepaymentActivity), function), input);

    [Function(nameof(CheckInstallmentActivity))]
    public static Task<InstallmentState> Check([ActivityTrigger] InstallmentOnDay input, FunctionContext function) =>
        ActivatorUtilities.CreateInstance<CheckInstallmentActivity>(function.InstanceServices).RunAsync(FunctionActivityContext.Of(nameof(CheckInstallmentActivity), function), input);

    [Function(nameof(FollowUpInstallmentActivity))]
    public static Task<InstallmentState> FollowUp([ActivityTrigger] FollowUpStep input, FunctionContext function) =>
        ActivatorUtilities.CreateInstance<FollowUpInstallmentActivity>(function.InstanceServices).RunAsync(FunctionActivityContext.Of(nameof(FollowUpInstallmentActivity), function), input);
}
