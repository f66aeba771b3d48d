using JisuDai.App.Behaviour;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Behaviour;

/// <summary>
/// A borrower's app reports what it sees: <c>POST /api/events</c> <c>{events: [{id, kind, at, name?, durationMs?, device?}]}</c>,
/// at most 100 a batch, answered 202 <c>{accepted}</c>; at most 60 batches a minute per customer. The rules are in <see cref="BehaviourDesk"/>.
/// </summary>
public sealed class EventFunctions(CallerGate gate, BehaviourDesk desk)
{
    [Function("RecordEvents")]
    public Task<IActionResult> Record(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "events")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], new EventBatch(null), async (caller, body) =>
            Answers.Of(await desk.RecordAsync(caller, body, cancellationToken), accepted => new AcceptedResult((string?)null, accepted), request.HttpContext.Response), cancellationToken, RequestLimits.Events, maxBodyBytes: 256 * 1024); // 100 events with their device
}
