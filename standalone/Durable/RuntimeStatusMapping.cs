using Core = DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace JisuDai.Standalone.Durable;

/// <summary>Translations between DurableTask.Core's types and the Microsoft.DurableTask client's.</summary>
static class RuntimeStatusMapping
{
    // Both enums list the same states in the same order (Running = 0 … Suspended = 7).
    public static OrchestrationRuntimeStatus ToClient(this Core.OrchestrationStatus status) => (OrchestrationRuntimeStatus)(int)status;

    public static Core.OrchestrationStatus ToCore(this OrchestrationRuntimeStatus status) => (Core.OrchestrationStatus)(int)status;

    public static TaskFailureDetails? ToClient(this Core.FailureDetails? failure) =>
        failure is null ? null : new TaskFailureDetails(failure.ErrorType, failure.ErrorMessage, failure.StackTrace, failure.InnerFailure.ToClient(), null);
}
