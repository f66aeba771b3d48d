using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Risk;

/// <summary>
/// <c>POST /api/risk/decide</c>: a full credit decision for other systems (checks, score, rules, limit and price), recorded
/// once per <c>Idempotency-Key</c> (201 when decided now, 200 when decided before); <c>GET /api/decisions/{id}</c>: a
/// recorded decision with its trace.
/// </summary>
public sealed class DecisionFunctions(CallerGate gate, DecisionDesk desk)
{
    [Function("DecideApplication")]
    [RequiresHeader("Idempotency-Key", "The request's key: the same key is the same decision, made once.")]
    [Accepts(typeof(System.Text.Json.Nodes.JsonObject), Description = "{application, applicant, customerId?, applicationId?, productCode?, customer?}: the application's fields and the applicant's identity.")]
    [Answers(201, typeof(JisuDai.Risk.Decisions.CreditDecision), Description = "Decided now: the decision, with its trace, at Location.")]
    [Answers(200, typeof(JisuDai.Risk.Decisions.CreditDecision), Description = "Decided before under this Idempotency-Key: the same decision.")]
    [Answers(400, Description = "The body is not an object, or application or applicant at fault.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(409, Description = "The Idempotency-Key was used for another request.")]
    [Answers(413)]
    [Answers(503, Description = "The model is still loading or training: see Retry-After.")]
    public Task<IActionResult> Decide(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "risk/decide")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunObjectAsync(request, [Roles.Reviewer], "a JSON object with application and applicant", async (_, body) => Answers.Of(
            await desk.DecideAsync(body, request.Headers["Idempotency-Key"].ToString(), cancellationToken),
            d => d.Created ? new CreatedResult($"/api/decisions/{d.Value.Id}", d.Value) : new OkObjectResult(d.Value),
            request.HttpContext.Response), cancellationToken);

    [Function("GetDecision")]
    [Answers(200, typeof(JisuDai.Risk.Decisions.CreditDecision), Description = "The recorded decision, with its trace.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such decision.")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "decisions/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(await desk.GetAsync(id, cancellationToken)));
}
