using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Staff;

/// <summary><c>GET /api/alerts</c> (staff): what needs looking at now, newest first (for example a step after a payout that keeps failing).</summary>
public sealed class AlertFunctions(CallerGate gate, IStaffAlerts alerts)
{
    [Function("ListAlerts")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "alerts")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => new OkObjectResult(await alerts.ListAsync(cancellationToken)));
}
