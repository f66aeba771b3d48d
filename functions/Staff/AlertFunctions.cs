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
    [Query("open", "true: only open alerts; false: only resolved ones; absent: all.")]
    [Answers(200, typeof(IReadOnlyList<JisuDai.App.Staff.StaffAlert>), Description = "The alerts, newest first.")]
    [Answers(400, Description = "open is not true or false.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "alerts")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(await desk.ListAsync(request.Query["open"], cancellationToken)));

    [Function("ResolveAlert")]
    [Accepts(typeof(JisuDai.App.Staff.AlertResolution))]
    [Answers(200, typeof(JisuDai.App.Staff.StaffAlert), Description = "The alert, resolved (as it stands when resolved before).")]
    [Answers(400, Description = "resolution is missing or over 500 characters.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such alert.")]
    [Answers(413)]
    public Task<IActionResult> Resolve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "alerts/{id}/resolution")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], new AlertResolution(null), async (caller, body) => Answers.Ok(await desk.ResolveAsync(caller, id, body, cancellationToken)), cancellationToken);
}
