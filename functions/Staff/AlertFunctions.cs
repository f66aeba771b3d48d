using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Staff;

/// <summary>
/// <c>GET /api/alerts?open=true|false</c> (staff): what needs looking at, newest first (a payout step that keeps failing, a
/// reconciliation finding, a loan the sweep set aside, a monitoring threshold crossed); <c>POST
/// /api/alerts/{id}/resolution</c> <c>{resolution}</c> (staff): what was done about it.
/// </summary>
public sealed class AlertFunctions(CallerGate gate, AlertDesk desk)
{
    [Function("ListAlerts")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "alerts")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(await desk.ListAsync(request.Query["open"], cancellationToken)));

    [Function("ResolveAlert")]
    public Task<IActionResult> Resolve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "alerts/{id}/resolution")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], new AlertResolution(null), async (caller, body) => Answers.Ok(await desk.ResolveAsync(caller, id, body, cancellationToken)), cancellationToken);
}
