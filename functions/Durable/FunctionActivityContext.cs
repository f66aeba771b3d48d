using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace JisuDai.Functions.Durable;

/// <summary>The activity context an activity class expects, built from the Functions invocation.</summary>
public sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
{
    public override TaskName Name { get; } = name;

    public override string InstanceId { get; } = instanceId;

    public static FunctionActivityContext Of(string activityName, FunctionContext function) =>
        new(activityName, function.BindingContext.BindingData.TryGetValue("instanceId", out object? id) ? id?.ToString() ?? "" : "");
}
