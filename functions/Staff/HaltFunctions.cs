using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Staff;

/// <summary>
/// The lending halt: <c>GET /api/halt</c> (staff), <c>POST /api/halt</c> <c>{reason}</c> (one admin: halts at once) and
/// <c>POST /api/halt/lift</c> (an admin proposes; 202, a second admin approves at /api/staff-requests). The rules are in
/// <see cref="HaltDesk"/>.
/// </summary>
public sealed class HaltFunctions(CallerGate gate, HaltDesk desk, FourEyes fourEyes)
{
    [Function("GetLendingHalt")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "halt")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => new OkObjectResult(await desk.GetAsync(cancellationToken)));

    [Function("HaltLending")]
    public Task<IActionResult> Halt(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "halt")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], new HaltBody(null), async (admin, body) => Answers.Ok(await desk.HaltAsync(admin, body, cancellationToken)), cancellationToken);

    [Function("ProposeHaltLift")]
    public Task<IActionResult> Lift(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "halt/lift")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async admin => Answers.Proposed(await desk.ProposeLiftAsync(admin, fourEyes, cancellationToken)));
}
