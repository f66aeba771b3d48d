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
    [Accepts(typeof(JisuDai.App.Behaviour.EventBatch))]
    [Answers(202, typeof(JisuDai.App.Behaviour.EventsAccepted), Description = "Every event of the batch was recorded: how many.")]
    [Answers(400, Description = "An event is at fault (none of the batch is recorded).")]
    [Answers(401)]
    [Answers(403, Description = "Not an applicant, or the token's subject is no customer id.")]
    [Answers(413, Description = "The body is over 256 KB.")]
    [Answers(429, Description = "More than 60 batches a minute from this customer, or too many from this address: see Retry-After.")]
    public Task<IActionResult> Record(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "events")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], new EventBatch(null), async (caller, body) =>
            Answers.Of(await desk.RecordAsync(caller, body, cancellationToken), accepted => new AcceptedResult((string?)null, accepted), request.HttpContext.Response), cancellationToken, RequestLimits.Events, maxBodyBytes: 256 * 1024); // 100 events with their device
}
