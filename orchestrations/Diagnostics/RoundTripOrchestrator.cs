using Microsoft.DurableTask;

namespace JisuDai.Orchestrations.Diagnostics;

/// <summary>
/// Two activities in sequence: the probe behind the health of the task hub and the orchestration
/// throughput benchmark.
/// </summary>
public sealed class RoundTripOrchestrator : TaskOrchestrator<string, string>
{
    /// <inheritdoc />
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        string first = await context.CallActivityAsync<string>(nameof(EchoActivity), input);
        return await context.CallActivityAsync<string>(nameof(EchoActivity), first);
    }
}
