using System.Text;
using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.Exceptions;
using JisuDai.App.Results;
using Microsoft.DurableTask;

namespace JisuDai.Orchestrations.Tests.Harness;

/// <summary>What one executor run produced: the new actions in the order the orchestrator took them.</summary>
public sealed class ReplayResult
{
    readonly DataConverter converter;

    internal ReplayResult(IEnumerable<OrchestratorAction> actions, string? customStatus, Exception? thrown, DataConverter converter)
    {
        this.converter = converter;

        // The executor keeps its actions in a dictionary by sequence id; replayed ones are removed from it, so its
        // enumeration order is not the order they were taken in. The id is.
        Actions = actions.OrderBy(a => a.Id).ToList();
        CustomStatus = customStatus;
        Thrown = thrown;
    }

    /// <summary>Every new action, by sequence id.</summary>
    public IReadOnlyList<OrchestratorAction> Actions { get; }

    /// <summary>The activities the orchestrator schedules now.</summary>
    public IReadOnlyList<ScheduleTaskOrchestratorAction> ScheduledTasks => Actions.OfType<ScheduleTaskOrchestratorAction>().ToList();

    /// <summary>The timers it creates now.</summary>
    public IReadOnlyList<CreateTimerOrchestratorAction> Timers => Actions.OfType<CreateTimerOrchestratorAction>().ToList();

    /// <summary>How the orchestration ended in this run (completed, failed, continued as new), or null while it waits.</summary>
    public OrchestrationCompleteOrchestratorAction? Completion => Actions.OfType<OrchestrationCompleteOrchestratorAction>().FirstOrDefault();

    /// <summary>The orchestrator's custom status, serialized.</summary>
    public string? CustomStatus { get; }

    /// <summary>An exception the executor let out (an aborting one); null normally.</summary>
    public Exception? Thrown { get; }

    /// <summary>True when it neither ended nor threw: it waits for its tasks, timers or events.</summary>
    public bool IsWaiting => Thrown is null && Completion is null;

    /// <summary>True when it completed successfully in this run.</summary>
    public bool IsCompleted => Completion?.OrchestrationStatus == OrchestrationStatus.Completed;

    /// <summary>True when it failed (any cause, non-determinism included) or the executor threw.</summary>
    public bool IsFailed => Thrown is not null || Completion?.OrchestrationStatus == OrchestrationStatus.Failed;

    /// <summary>The failure, with <see cref="ErrorPropagationMode.UseFailureDetails"/>.</summary>
    public FailureDetails? Failure => Completion?.OrchestrationStatus == OrchestrationStatus.Failed ? Completion.FailureDetails : null;

    /// <summary>True when the executor found the orchestrator's code no longer matches its history.</summary>
    public bool IsNonDeterministic => Failure?.ErrorType == typeof(NonDeterministicOrchestrationException).FullName;

    /// <summary>The orchestration's output, when it completed.</summary>
    public T? Output<T>() => IsCompleted ? converter.Deserialize<T>(Completion!.Result) : throw new InvalidOperationException($"The orchestration did not complete: {this}");

    /// <summary>A scheduled activity's input (the one parameter of DurableTask.Core's input array).</summary>
    public T? InputOf<T>(ScheduleTaskOrchestratorAction task) => converter.Deserialize<T>(Payloads.ActivityInput(task.Input));

    /// <summary>Throws <see cref="ReplayFailedException"/> unless the run replayed and went on without failing.</summary>
    public ReplayResult EnsureReplayedCleanly() => IsFailed ? throw new ReplayFailedException(this) : this;

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Thrown is not null)
        {
            text.Append("executor threw ").Append(Thrown.GetType().Name).Append(": ").Append(Thrown.Message);
            return text.ToString();
        }

        if (Actions.Count == 0)
        {
            return "waiting, no new actions";
        }

        text.AppendJoin("; ", Actions.Select(Describe));
        return text.ToString();
    }

    static string Describe(OrchestratorAction action) => action switch
    {
        ScheduleTaskOrchestratorAction t => $"#{t.Id} schedule {t.Name} {t.Input}",
        CreateTimerOrchestratorAction t => $"#{t.Id} timer at {t.FireAt:O}",
        SendEventOrchestratorAction s => $"#{s.Id} send {s.EventName} to {s.Instance?.InstanceId}",
        OrchestrationCompleteOrchestratorAction { OrchestrationStatus: OrchestrationStatus.Failed } c =>
            $"#{c.Id} FAILED {c.FailureDetails?.ErrorType}: {c.FailureDetails?.ErrorMessage ?? c.Result}",
        OrchestrationCompleteOrchestratorAction c => $"#{c.Id} {c.OrchestrationStatus} {c.Result}",
        _ => $"#{action.Id} {action.OrchestratorActionType}",
    };
}

/// <summary>A replay that did not go cleanly; the message says why (non-determinism, an orchestrator exception).</summary>
public sealed class ReplayFailedException(ReplayResult result) : Exception($"The orchestration did not replay cleanly: {result}", result.Thrown)
{
    /// <summary>The run.</summary>
    public ReplayResult Result { get; } = result;
}
