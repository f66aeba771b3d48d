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
    public Task<IActionResult> Decide(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "risk/decide")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunObjectAsync(request, [Roles.Reviewer], "a JSON object with application and applicant", async (_, body) => Answers.Of(
            await desk.DecideAsync(body, request.Headers["Idempotency-Key"].ToString(), cancellationToken),
            d => d.Created ? new CreatedResult($"/api/decisions/{d.Value.Id}", d.Value) : new OkObjectResult(d.Value),
            request.HttpContext.Response), cancellationToken);

    [Function("GetDecision")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "decisions/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(await desk.GetAsync(id, cancellationToken)));
}
