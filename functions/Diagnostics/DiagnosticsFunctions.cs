using JisuDai.Functions.Http;
using JisuDai.Orchestrations.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Diagnostics;

/// <summary>
/// Starts and inspects the diagnostics orchestrations, which exercise the durable backend end to end:
/// the reliability tests and the orchestration benchmark drive them through these routes.
/// </summary>
public sealed class DiagnosticsFunctions(DiagnosticsOptions options)
{
    public sealed record RoundTripBody(string? Payload);

    public sealed record SignalBody(int? TimeoutSeconds);

    public sealed record SignalEventBody(string? Payload);

    [Function("StartRoundTrip")]
    public async Task<IActionResult> StartRoundTrip(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "diagnostics/round-trips")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return Disabled();
        }

        (RoundTripBody? body, ObjectResult? problem) = await JsonBody.ReadAsync(request, new RoundTripBody(null), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        string id = await durable.ScheduleNewOrchestrationInstanceAsync(
            nameof(RoundTripOrchestrator), body!.Payload ?? "ping", cancellationToken);
        return Accepted(request, id);
    }

    [Function("StartSignalWait")]
    public async Task<IActionResult> StartSignalWait(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "diagnostics/signals")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return Disabled();
        }

        (SignalBody? body, ObjectResult? problem) = await JsonBody.ReadAsync(request, new SignalBody(null), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.TimeoutSeconds is not (>= 1 and <= 86_400))
        {
            return Problems.Invalid("timeoutSeconds", "is required, from 1 to 86400.");
        }

        string id = await durable.ScheduleNewOrchestrationInstanceAsync(
            nameof(SignalOrchestrator), new SignalRequest(body.TimeoutSeconds.Value), cancellationToken);
        return Accepted(request, id);
    }

    [Function("RaiseSignal")]
    public async Task<IActionResult> RaiseSignal(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "diagnostics/signals/{instanceId}")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return Disabled();
        }

        (SignalEventBody? body, ObjectResult? problem) = await JsonBody.ReadAsync(request, new SignalEventBody(null), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        OrchestrationMetadata? instance = await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (instance is null || instance.Name != nameof(SignalOrchestrator))
        {
            return Problems.NotFound($"No signal wait '{instanceId}'.");
        }

        if (instance.IsCompleted)
        {
            return Problems.Conflict($"Signal wait '{instanceId}' has already finished ({instance.RuntimeStatus}).");
        }

        await durable.RaiseEventAsync(instanceId, SignalOrchestrator.EventName, body!.Payload ?? string.Empty, cancellationToken);
        return new AcceptedResult();
    }

    [Function("GetOrchestration")]
    public async Task<IActionResult> GetOrchestration(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "diagnostics/orchestrations/{instanceId}")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return Disabled();
        }

        OrchestrationMetadata? instance = await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (instance is null)
        {
            return Problems.NotFound($"No orchestration '{instanceId}'.");
        }

        return new OkObjectResult(new
        {
            instanceId = instance.InstanceId,
            name = instance.Name,
            runtimeStatus = instance.RuntimeStatus.ToString(),
            createdAt = instance.CreatedAt,
            lastUpdatedAt = instance.LastUpdatedAt,
            output = instance.SerializedOutput,
            failure = instance.FailureDetails?.ErrorMessage,
        });
    }

    static ObjectResult Disabled() =>
        Problems.NotFound($"Diagnostics are disabled here (set {DiagnosticsOptions.Setting}=true to enable them).");

    static AcceptedResult Accepted(HttpRequest request, string instanceId) =>
        new($"{request.PathBase}/api/diagnostics/orchestrations/{instanceId}", new { instanceId });
}
