using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;

namespace JisuDai.Orchestrations.Tests.Harness;

/// <summary>
/// Runs one orchestrator episode exactly as a DurableTask.Core worker does, without a host or storage:
/// the Microsoft.DurableTask orchestrator is wrapped by the public <see cref="DurableTaskShimFactory"/> (as
/// standalone/Durable/TaskHubWorkerHost does), the history is loaded into an <see cref="OrchestrationRuntimeState"/>
/// (past events, then the new ones) and DurableTask.Core's <see cref="TaskOrchestrationExecutor"/> replays it.
/// The result is the executor's actions: what the orchestrator would do next, or how it ended, including a
/// non-determinism failure when the code no longer matches the history.
/// </summary>
public sealed class OrchestrationReplay
{
    readonly ITaskOrchestrator orchestrator;
    readonly DurableTaskShimFactory shims;

    /// <param name="orchestrator">The orchestrator; a fresh shim wraps it for every run, so it must hold no state of its own (none of the app's do).</param>
    /// <param name="name">The name it runs under (the history's ExecutionStarted name must match).</param>
    /// <param name="options">The worker options (data converter, maximum timer interval); the defaults otherwise, as the app's hosts use.</param>
    public OrchestrationReplay(ITaskOrchestrator orchestrator, string name, DurableTaskWorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        this.orchestrator = orchestrator;
        Name = name;
        Options = options ?? new DurableTaskWorkerOptions();
        shims = new DurableTaskShimFactory(Options);
    }

    /// <summary>The orchestration name.</summary>
    public string Name { get; }

    /// <summary>The worker options the shim runs with.</summary>
    public DurableTaskWorkerOptions Options { get; }

    /// <summary>The converter the orchestrator's inputs, outputs and event payloads go through.</summary>
    public DataConverter Converter => Options.DataConverter;

    /// <summary>Replays <paramref name="pastEvents"/> and then plays <paramref name="newEvents"/> (none: a pure replay).</summary>
    /// <remarks>The executor marks the events it plays (<see cref="HistoryEvent.IsPlayed"/>); nothing else in them changes.</remarks>
    public ReplayResult Run(IEnumerable<HistoryEvent> pastEvents, IEnumerable<HistoryEvent>? newEvents = null)
    {
        ArgumentNullException.ThrowIfNull(pastEvents);
        var state = new OrchestrationRuntimeState(pastEvents.ToList());
        foreach (HistoryEvent e in newEvents ?? [])
        {
            state.AddEvent(e);
        }

        ExecutionStartedEvent started = state.ExecutionStartedEvent
            ?? throw new ArgumentException("The history has no ExecutionStarted event.", nameof(pastEvents));
        if (!string.Equals(started.Name, Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The history is of orchestration '{started.Name}', not '{Name}'.", nameof(pastEvents));
        }

        TaskOrchestration shim = shims.CreateOrchestration(Name, orchestrator);
        var executor = new TaskOrchestrationExecutor(
            state,
            shim,
            BehaviorOnContinueAsNew.Carryover,
            entityParameters: null,
            errorPropagationMode: ErrorPropagationMode.UseFailureDetails);
        try
        {
            OrchestratorExecutionResult result = executor.Execute();
            return new ReplayResult(result.Actions, result.CustomStatus, null, Converter);
        }
        catch (Exception e)
        {
            // The executor lets only "aborting" exceptions out (a real dispatcher abandons the work item on them);
            // everything else, non-determinism included, comes back as a failed completion action.
            return new ReplayResult([], null, e, Converter);
        }
    }

    /// <summary>Runs <paramref name="orchestrator"/> over a history once, with default options.</summary>
    public static ReplayResult Run(ITaskOrchestrator orchestrator, string name, IEnumerable<HistoryEvent> pastEvents, IEnumerable<HistoryEvent>? newEvents = null) =>
        new OrchestrationReplay(orchestrator, name).Run(pastEvents, newEvents);
}
