using JisuDai.App.Results;
using Microsoft.DurableTask.Client;

namespace JisuDai.Orchestrations.Diagnostics;

/// <summary>An orchestration instance as the diagnostics endpoints show it.</summary>
public sealed record OrchestrationView(string InstanceId, string Name, string RuntimeStatus, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt, string? Output, string? Failure);

/// <summary>The diagnostic orchestrations over a Durable client: a two-activity round trip, a wait for a signal or a timer, and reading any instance.</summary>
public sealed class DiagnosticRuns(DurableTaskClient durable)
{
    /// <summary>Starts a round trip; the answer is its instance id.</summary>
    public Task<string> StartRoundTripAsync(string? payload, CancellationToken cancellationToken) =>
        durable.ScheduleNewOrchestrationInstanceAsync(nameof(RoundTripOrchestrator), payload ?? "ping", cancellationToken);

    /// <summary>Starts a wait for a signal that gives up after <paramref name="timeoutSeconds"/>.</summary>
    public async Task<Result<string>> StartSignalWaitAsync(int? timeoutSeconds, CancellationToken cancellationToken) =>
        timeoutSeconds is not (>= 1 and <= 86_400)
            ? Result<string>.Invalid("timeoutSeconds", "is required, from 1 to 86400.")
            : Result<string>.Ok(await durable.ScheduleNewOrchestrationInstanceAsync(nameof(SignalOrchestrator), new SignalRequest(timeoutSeconds.Value), cancellationToken));

    /// <summary>Signals a waiting signal orchestration.</summary>
    public async Task<Result<bool>> RaiseSignalAsync(string instanceId, string? payload, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? instance = await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (instance is null || instance.Name != nameof(SignalOrchestrator))
        {
            return Result<bool>.NotFound($"No signal wait '{instanceId}'.");
        }

        if (instance.IsCompleted)
        {
            return Result<bool>.Conflict($"Signal wait '{instanceId}' has already finished ({instance.RuntimeStatus}).");
        }

        await durable.RaiseEventAsync(instanceId, SignalOrchestrator.EventName, payload ?? string.Empty, cancellationToken);
        return Result<bool>.Ok(true);
    }

    /// <summary>Any orchestration instance, with its output or failure.</summary>
    public async Task<Result<OrchestrationView>> GetAsync(string instanceId, CancellationToken cancellationToken) =>
        await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken) is { } i
            ? Result<OrchestrationView>.Ok(new OrchestrationView(i.InstanceId, i.Name, i.RuntimeStatus.ToString(), i.CreatedAt, i.LastUpdatedAt, i.SerializedOutput, i.FailureDetails?.ErrorMessage))
            : Result<OrchestrationView>.NotFound($"No orchestration '{instanceId}'.");
}
