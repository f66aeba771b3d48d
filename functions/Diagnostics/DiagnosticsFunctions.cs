using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Orchestrations.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Diagnostics;

/// <summary>
/// Starts and inspects the diagnostics orchestrations, which exercise the durable backend end to end:
/// the reliability tests and the orchestration benchmark drive them through these routes. They answer an admin's bearer
/// token, and only where <see cref="DiagnosticsOptions.Allows"/> (the standalone host, from this machine).
/// </summary>
public sealed class DiagnosticsFunctions(DiagnosticsOptions options, CallerGate gate)
{
    public sealed record RoundTripBody(string? Payload);

    public sealed record SignalBody(int? TimeoutSeconds);

    public sealed record SignalEventBody(string? Payload);

    [Function("StartRoundTrip")]
    [Accepts(typeof(RoundTripBody))]
    [Answers(202, Description = "{instanceId}: the round trip started; follow it at Location.")]
    [Answers(400, Description = "The body is malformed.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "Diagnostics are not allowed here.")]
    [Answers(413)]
    public Task<IActionResult> StartRoundTrip(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "diagnostics/round-trips")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        WhenEnabledAsync(request, new RoundTripBody(null), async body =>
            Accepted(request, await new DiagnosticRuns(durable).StartRoundTripAsync(body.Payload, cancellationToken)), cancellationToken);

    [Function("StartSignalWait")]
    [Accepts(typeof(SignalBody))]
    [Answers(202, Description = "{instanceId}: the signal wait started; follow it at Location.")]
    [Answers(400, Description = "timeoutSeconds is not from 1 to 86400.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "Diagnostics are not allowed here.")]
    [Answers(413)]
    public Task<IActionResult> StartSignalWait(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "diagnostics/signals")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        WhenEnabledAsync(request, new SignalBody(null), async body =>
            Answers.Of(await new DiagnosticRuns(durable).StartSignalWaitAsync(body.TimeoutSeconds, cancellationToken), id => Accepted(request, id)), cancellationToken);

    [Function("RaiseSignal")]
    [Accepts(typeof(SignalEventBody))]
    [Answers(202, Description = "The signal was raised.")]
    [Answers(400, Description = "The body is malformed.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "Diagnostics are not allowed here, or there is no such signal wait.")]
    [Answers(409, Description = "The signal wait has already finished.")]
    [Answers(413)]
    public Task<IActionResult> RaiseSignal(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "diagnostics/signals/{instanceId}")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        WhenEnabledAsync(request, new SignalEventBody(null), async body =>
            Answers.Of(await new DiagnosticRuns(durable).RaiseSignalAsync(instanceId, body.Payload, cancellationToken), _ => new AcceptedResult()), cancellationToken);

    [Function("GetOrchestration")]
    [Answers(200, typeof(JisuDai.Orchestrations.Diagnostics.OrchestrationView), Description = "The instance, with its output or failure.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "Diagnostics are not allowed here, or there is no such instance.")]
    public Task<IActionResult> GetOrchestration(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "diagnostics/orchestrations/{instanceId}")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        WhenEnabledAsync(request, 0, async _ => Answers.Ok(await new DiagnosticRuns(durable).GetAsync(instanceId, cancellationToken)), cancellationToken);

    /// <summary>The least an endpoint can do (the token checked, a small JSON answer): the HTTP benchmark's same-run baseline for <c>/api/risk/score</c>.</summary>
    [Function("Ping")]
    [Answers(200, typeof(Answers.PingAnswer), Description = "{pong: true}.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "Diagnostics are not allowed here.")]
    public Task<IActionResult> Ping(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "diagnostics/ping")] HttpRequest request,
        CancellationToken cancellationToken) =>
        WhenEnabledAsync(request, 0, _ => Task.FromResult<IActionResult>(new OkObjectResult(new Answers.PingAnswer(true))), cancellationToken);

    /// <summary>Runs <paramref name="handle"/> for an admin with the body read as <typeparamref name="TBody"/>, where diagnostics are allowed; a 404 elsewhere.</summary>
    Task<IActionResult> WhenEnabledAsync<TBody>(HttpRequest request, TBody whenEmpty, Func<TBody, Task<IActionResult>> handle, CancellationToken cancellationToken) =>
        !options.Allows(request) ? Task.FromResult<IActionResult>(Problems.NotFound(options.Refusal))
        : HttpMethods.IsGet(request.Method) ? gate.RunAsync(request, [Roles.Admin], _ => handle(whenEmpty))
        : gate.RunAsync(request, [Roles.Admin], whenEmpty, (_, body) => handle(body), cancellationToken);

    static AcceptedResult Accepted(HttpRequest request, string instanceId) =>
        new($"{request.PathBase}/api/diagnostics/orchestrations/{instanceId}", new { instanceId });
}
