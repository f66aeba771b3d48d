using JisuDai.Functions.Durable;
using JisuDai.Orchestrations.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace JisuDai.Functions.Diagnostics;

/// <summary>
/// The Functions wrappers of the diagnostics orchestrators and activities (written by hand: the DurableTask
/// source generator is not available here). Each function name equals the class name the orchestrations
/// call, which a test checks.
/// </summary>
public static class DiagnosticsTasks
{
    [Function(nameof(RoundTripOrchestrator))]
    public static Task<string> RoundTrip([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new RoundTripOrchestrator().RunAsync(context, context.GetInput<string>()!);

    [Function(nameof(SignalOrchestrator))]
    public static Task<SignalOutcome> Signal([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new SignalOrchestrator().RunAsync(context, context.GetInput<SignalRequest>()!);

    [Function(nameof(EchoActivity))]
    public static Task<string> Echo([ActivityTrigger] string input, FunctionContext function) =>
        new EchoActivity().RunAsync(FunctionActivityContext.Of(nameof(EchoActivity), function), input);
}
