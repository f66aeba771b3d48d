using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Staff;

/// <summary>
/// The daily caps: <c>GET /api/daily-caps</c> (staff: the caps in force and today's counts) and <c>PUT /api/daily-caps</c>
/// <c>{caps, version}</c> (an admin proposes; 202, a second admin approves at /api/staff-requests). The rules are in
/// <see cref="DailyCapDesk"/>.
/// </summary>
public sealed class DailyCapFunctions(CallerGate gate, DailyCapDesk desk, FourEyes fourEyes)
{
    [Function("GetDailyCaps")]
    [Answers(200, typeof(JisuDai.App.Staff.DailyCapsView), Description = "The caps in force and today's counts.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "daily-caps")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => new OkObjectResult(await desk.GetAsync(cancellationToken)));

    [Function("ProposeDailyCaps")]
    [Accepts(typeof(JisuDai.App.Staff.DailyCapsBody))]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: a second admin approves it at approveUrl.")]
    [Answers(400, Description = "A cap or the version is at fault.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(409, Description = "The caps in force are not the version proposed against.")]
    [Answers(413)]
    public Task<IActionResult> Propose(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "daily-caps")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], new DailyCapsBody(null, null), async (admin, body) =>
            Answers.Proposed(await desk.ProposeAsync(admin, body, fourEyes, cancellationToken)), cancellationToken);
}
