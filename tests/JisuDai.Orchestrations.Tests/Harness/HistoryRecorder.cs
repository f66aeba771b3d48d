using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using JisuDai.App.Results;
using JisuDai.App.Risk;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;

namespace JisuDai.Orchestrations.Tests.Harness;

/// <summary>
/// Drives an orchestrator from its start the way a DurableTask.Core worker and backend would, and records the history
/// it builds: each episode is OrchestratorStarted, the new messages (ExecutionStarted, TaskCompleted, TimerFired,
/// EventRaised ...), the events for the actions the executor returned (TaskScheduled, TimerCreated, EventSent,
/// ExecutionCompleted), then OrchestratorCompleted. Scheduled activities are answered at once from a script
/// (<see cref="OnActivity"/>), and the orchestrator is run again, until it completes or waits for a timer or an event;
/// the test then raises events or moves the virtual clock (timers fire when it passes them). Each episode replays
/// the whole history so far, so a nondeterministic orchestrator shows up as <see cref="ReplayFailedException"/>.
/// A ContinueAsNew starts the next execution (its history replaces <see cref="History"/>; the finished ones are in
/// <see cref="EarlierGenerations"/>); events the orchestrator sends to its own instance arrive in the next episode,
/// events to other instances are only recorded. Sub-orchestrations are not driven.
/// </summary>
public sealed class HistoryRecorder
{
    /// <summary>An instant the recordings start at unless told otherwise.</summary>
    public static readonly DateTime DefaultStart = new(2025, 3, 3, 1, 0, 0, DateTimeKind.Utc);

    const int MaxEpisodesPerStep = 10_000;

    readonly Dictionary<string, Func<ActivityCall, object?>> script = new(StringComparer.OrdinalIgnoreCase);
    readonly List<HistoryEvent> history = [];
    readonly List<IReadOnlyList<HistoryEvent>> earlierGenerations = [];
    readonly List<ActivityCall> calls = [];
    readonly List<ReplayResult> runs = [];
    readonly List<TaskScheduledEvent> inFlight = [];
    readonly List<HistoryEvent> toSelf = [];
    readonly List<HistoryEvent> duringActivities = [];

    /// <param name="orchestrator">The orchestrator (stateless: each episode runs it afresh).</param>
    /// <param name="name">The orchestration name, written into ExecutionStarted.</param>
    /// <param name="startAt">The virtual clock's start (UTC); <see cref="DefaultStart"/> otherwise.</param>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="options">Worker options for the shim (data converter, maximum timer interval).</param>
    public HistoryRecorder(ITaskOrchestrator orchestrator, string name, DateTime? startAt = null, string instanceId = "test-instance", DurableTaskWorkerOptions? options = null)
    {
        Replay = new OrchestrationReplay(orchestrator, name, options);
        InstanceId = instanceId;
        Now = (startAt ?? DefaultStart).ToUniversalTime();
    }

    /// <summary>The replayer each episode runs through.</summary>
    public OrchestrationReplay Replay { get; }

    /// <summary>The instance id.</summary>
    public string InstanceId { get; }

    /// <summary>The virtual clock: OrchestratorStarted carries it, so it is the orchestrator's CurrentUtcDateTime.</summary>
    public DateTime Now { get; private set; }

    /// <summary>The history of the current execution (the latest generation after a ContinueAsNew).</summary>
    public IReadOnlyList<HistoryEvent> History => history;

    /// <summary>The histories of executions that continued as new, oldest first.</summary>
    public IReadOnlyList<IReadOnlyList<HistoryEvent>> EarlierGenerations => earlierGenerations;

    /// <summary>Every activity the recorder answered, in order.</summary>
    public IReadOnlyList<ActivityCall> Calls => calls;

    /// <summary>Every executor run, in order.</summary>
    public IReadOnlyList<ReplayResult> Runs => runs;

    /// <summary>The current execution's end, or null while it runs.</summary>
    public ExecutionCompletedEvent? Completed => history.OfType<ExecutionCompletedEvent>().FirstOrDefault();

    /// <summary>Started, and the current execution has not ended.</summary>
    public bool IsRunning => history.Count > 0 && Completed is null;

    /// <summary>Timers created and not fired yet. A timer the orchestrator stopped waiting for still fires (and is ignored), as on a real backend.</summary>
    public IReadOnlyList<TimerCreatedEvent> PendingTimers
    {
        get
        {
            var fired = history.OfType<TimerFiredEvent>().Select(e => e.TimerId).ToHashSet();
            return history.OfType<TimerCreatedEvent>().Where(t => !fired.Contains(t.EventId)).OrderBy(t => t.FireAt).ThenBy(t => t.EventId).ToList();
        }
    }

    /// <summary>The completed orchestration's output.</summary>
    public T? Output<T>() => Completed is { OrchestrationStatus: OrchestrationStatus.Completed } done
        ? Replay.Converter.Deserialize<T>(done.Result)
        : throw new InvalidOperationException($"The orchestration has not completed (last run: {runs.LastOrDefault()}).");

    /// <summary>Answers activity <paramref name="name"/> with what <paramref name="respond"/> returns; it may throw <see cref="ActivityFailure"/> to fail the activity.</summary>
    public HistoryRecorder OnActivity(string name, Func<ActivityCall, object?> respond)
    {
        script[name] = respond;
        return this;
    }

    /// <summary>Answers activity <paramref name="name"/> from its typed input.</summary>
    public HistoryRecorder OnActivity<TInput, TOutput>(string name, Func<TInput, TOutput> respond) =>
        OnActivity(name, call => respond(call.Input<TInput>()));

    /// <summary>Goes on from a stored history: its clock, its pending timers and any activity still in flight (answered at the next step).</summary>
    public static HistoryRecorder Resume(ITaskOrchestrator orchestrator, string name, IEnumerable<HistoryEvent> stored, string? instanceId = null, DurableTaskWorkerOptions? options = null)
    {
        List<HistoryEvent> events = stored.ToList();
        ExecutionStartedEvent started = events.OfType<ExecutionStartedEvent>().SingleOrDefault()
            ?? throw new ArgumentException("The history has no ExecutionStarted event.", nameof(stored));
        var recorder = new HistoryRecorder(orchestrator, name, events.Max(e => e.Timestamp), instanceId ?? started.OrchestrationInstance?.InstanceId ?? "test-instance", options);
        recorder.history.AddRange(events);
        var answered = events.OfType<TaskCompletedEvent>().Select(e => e.TaskScheduledId)
            .Concat(events.OfType<TaskFailedEvent>().Select(e => e.TaskScheduledId)).ToHashSet();
        recorder.inFlight.AddRange(events.OfType<TaskScheduledEvent>().Where(e => !answered.Contains(e.EventId)));
        return recorder;
    }

    /// <summary>Starts the orchestration with <paramref name="input"/> and runs it until it completes or waits.</summary>
    public HistoryRecorder Start(object? input)
    {
        if (history.Count > 0)
        {
            throw new InvalidOperationException("The orchestration has already started.");
        }

        Pump([Started(Replay.Converter.Serialize(input), version: string.Empty)]);
        return this;
    }

    /// <summary>Raises external event <paramref name="name"/> now and runs the orchestration until it completes or waits.</summary>
    public HistoryRecorder RaiseEvent(string name, object? payload)
    {
        EnsureRunning();
        Pump([new EventRaisedEvent(-1, Replay.Converter.Serialize(payload)) { Name = name, Timestamp = Now }]);
        return this;
    }

    /// <summary>
    /// Queues an event that arrives while the activities the orchestrator schedules next are running: it reaches the
    /// history just before their answers (a borrower cancelling while the application is decided).
    /// </summary>
    public HistoryRecorder RaiseDuringNextActivities(string name, object? payload)
    {
        duringActivities.Add(new EventRaisedEvent(-1, Replay.Converter.Serialize(payload)) { Name = name, Timestamp = Now });
        return this;
    }

    /// <summary>Moves the clock on by <paramref name="delay"/>, firing every timer due on the way, each at its time.</summary>
    public HistoryRecorder AdvanceBy(TimeSpan delay) => AdvanceTo(Now + delay);

    /// <summary>Moves the clock to <paramref name="until"/>, firing every timer due by then, each at its time, in order.</summary>
    public HistoryRecorder AdvanceTo(DateTime until)
    {
        EnsureRunning();
        until = until.ToUniversalTime();
        while (IsRunning && PendingTimers.FirstOrDefault(t => t.FireAt <= until) is { } due)
        {
            Now = due.FireAt > Now ? due.FireAt : Now;
            Pump([new TimerFiredEvent(-1, due.FireAt) { TimerId = due.EventId, Timestamp = Now }]);
        }

        Now = until > Now ? until : Now;
        return this;
    }

    /// <summary>Moves the clock to the earliest pending timer and fires it (and any due at the same time).</summary>
    public HistoryRecorder FireNextTimer()
    {
        EnsureRunning();
        TimerCreatedEvent next = PendingTimers.FirstOrDefault() ?? throw new InvalidOperationException("No timer is pending.");
        return AdvanceTo(next.FireAt);
    }

    void EnsureRunning()
    {
        if (!IsRunning)
        {
            throw new InvalidOperationException(history.Count == 0 ? "The orchestration has not started." : $"The orchestration has ended ({Completed!.OrchestrationStatus}).");
        }
    }

    ExecutionStartedEvent Started(string? input, string version) => new(-1, input)
    {
        Name = Replay.Name,
        Version = version,
        OrchestrationInstance = new OrchestrationInstance { InstanceId = InstanceId, ExecutionId = $"{InstanceId}-{earlierGenerations.Count + 1}" },
        Timestamp = Now,
    };

    /// <summary>Episodes until no activity is in flight: the orchestration ended or waits for a timer or an event.</summary>
    void Pump(List<HistoryEvent> messages)
    {
        for (int episode = 0; ; episode++)
        {
            if (episode == MaxEpisodesPerStep)
            {
                throw new InvalidOperationException($"The orchestration ran {MaxEpisodesPerStep} episodes without waiting; is it looping?");
            }

            OrchestrationCompleteOrchestratorAction? end = RunEpisode(messages);
            if (end is { OrchestrationStatus: OrchestrationStatus.ContinuedAsNew })
            {
                // A new execution of the same instance: its input is the completion's result, and the events the
                // orchestrator had not taken yet are carried over into it.
                string version = end.NewVersion ?? history.OfType<ExecutionStartedEvent>().Single().Version;
                earlierGenerations.Add(history.ToList());
                history.Clear();
                inFlight.Clear();
                messages = [Started(end.Result, version), .. end.CarryoverEvents, .. toSelf];
                toSelf.Clear();
                continue;
            }

            if (end is not null || (inFlight.Count == 0 && toSelf.Count == 0))
            {
                return;
            }

            // The answers to the activities, and the events it sent itself (the shim forwards the events it had not
            // taken that way on ContinueAsNew), arrive together.
            messages = [.. duringActivities, .. inFlight.Select(Answer), .. toSelf];
            duringActivities.Clear();
            inFlight.Clear();
            toSelf.Clear();
        }
    }

    OrchestrationCompleteOrchestratorAction? RunEpisode(List<HistoryEvent> messages)
    {
        List<HistoryEvent> batch = [new OrchestratorStartedEvent(-1) { Timestamp = Now }, .. messages];
        ReplayResult run = Replay.Run(history, batch);
        runs.Add(run);
        if (run.Thrown is not null || run.IsNonDeterministic)
        {
            throw new ReplayFailedException(run);
        }

        history.AddRange(batch);
        OrchestrationCompleteOrchestratorAction? end = null;
        foreach (OrchestratorAction action in run.Actions)
        {
            switch (action)
            {
                case ScheduleTaskOrchestratorAction task:
                    var scheduled = new TaskScheduledEvent(task.Id, task.Name ?? throw new InvalidOperationException("An activity without a name was scheduled."), task.Version, task.Input) { Timestamp = Now };
                    if (task.Tags is { Count: > 0 } tags)
                    {
                        scheduled.Tags = new Dictionary<string, string>(tags);
                    }

                    history.Add(scheduled);
                    inFlight.Add(scheduled);
                    break;
                case CreateTimerOrchestratorAction timer:
                    history.Add(new TimerCreatedEvent(timer.Id, timer.FireAt) { Timestamp = Now });
                    break;
                case SendEventOrchestratorAction send:
                    history.Add(new EventSentEvent(send.Id) { InstanceId = send.Instance?.InstanceId, Name = send.EventName, Input = send.EventData, Timestamp = Now });
                    if (send.Instance?.InstanceId == InstanceId)
                    {
                        toSelf.Add(new EventRaisedEvent(-1, send.EventData) { Name = send.EventName, Timestamp = Now });
                    }

                    break;
                case OrchestrationCompleteOrchestratorAction complete:
                    history.Add(new ExecutionCompletedEvent(complete.Id, complete.Result, complete.OrchestrationStatus, complete.FailureDetails) { Timestamp = Now });
                    end = complete;
                    break;
                default:
                    throw new NotSupportedException($"The recorder does not drive {action.OrchestratorActionType} actions yet.");
            }
        }

        history.Add(new OrchestratorCompletedEvent(-1) { Timestamp = Now });
        return end;
    }

    HistoryEvent Answer(TaskScheduledEvent scheduled)
    {
        string name = scheduled.Name ?? throw new InvalidOperationException($"TaskScheduled #{scheduled.EventId} has no name.");
        var call = new ActivityCall(scheduled.EventId, name, scheduled.Input, Now, Replay.Converter);
        calls.Add(call);
        if (!script.TryGetValue(name, out Func<ActivityCall, object?>? respond))
        {
            throw new InvalidOperationException($"The script has no answer for activity {call}; add OnActivity(\"{name}\", ...).");
        }

        try
        {
            return new TaskCompletedEvent(-1, scheduled.EventId, Replay.Converter.Serialize(respond(call))) { Timestamp = Now };
        }
        catch (ActivityFailure failure)
        {
            var failureDetails = new FailureDetails(failure.ErrorType, failure.Message, stackTrace: null, innerFailure: null, isNonRetriable: false);
            return new TaskFailedEvent(-1, scheduled.EventId, failure.Message, details: null, failureDetails) { Timestamp = Now };
        }
    }
}

/// <summary>One activity the orchestrator scheduled.</summary>
/// <param name="TaskId">Its sequence id (the TaskScheduled event's id).</param>
/// <param name="Name">The activity name.</param>
/// <param name="RawInput">Its input as DurableTask.Core holds it (a JSON array of one parameter).</param>
/// <param name="At">When it was answered, on the virtual clock.</param>
/// <param name="Converter">The converter its input went through.</param>
public sealed record ActivityCall(int TaskId, string Name, string? RawInput, DateTime At, DataConverter Converter)
{
    /// <summary>The input the activity would receive.</summary>
    public T Input<T>() => Converter.Deserialize<T>(Payloads.ActivityInput(RawInput))
        ?? throw new InvalidOperationException($"Activity {Name} had no input.");

    /// <inheritdoc />
    public override string ToString() => $"{Name}({Payloads.ActivityInput(RawInput)})";
}

/// <summary>Thrown by a scripted answer to make the activity fail (TaskFailed with these failure details).</summary>
public sealed class ActivityFailure(string message, string errorType = "System.InvalidOperationException") : Exception(message)
{
    /// <summary>The failure's error type.</summary>
    public string ErrorType { get; } = errorType;
}
