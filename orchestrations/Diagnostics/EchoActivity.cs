using Microsoft.DurableTask;

namespace JisuDai.Orchestrations.Diagnostics;

/// <summary>
/// Returns its input marked with the instance that ran it. The smallest real activity: it proves the
/// worker dispatches activities and round-trips their data, with no I/O to blur a benchmark.
/// </summary>
public sealed class EchoActivity : TaskActivity<string, string>
{
    /// <inheritdoc />
    public override Task<string> RunAsync(TaskActivityContext context, string input) =>
        Task.FromResult($"{input}@{context.InstanceId}");
}
