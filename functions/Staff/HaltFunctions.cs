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
    [Answers(200, typeof(JisuDai.App.Staff.LendingHalt), Description = "Whether lending is halted, why, by whom and since when.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "halt")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => new OkObjectResult(await desk.GetAsync(cancellationToken)));

    [Function("HaltLending")]
    [Accepts(typeof(JisuDai.App.Staff.HaltBody))]
    [Answers(200, typeof(JisuDai.App.Staff.LendingHalt), Description = "Lending is halted (the halt in force when it was halted already).")]
    [Answers(400, Description = "No reason, or one over 200 characters.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(413)]
    public Task<IActionResult> Halt(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "halt")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], new HaltBody(null), async (admin, body) => Answers.Ok(await desk.HaltAsync(admin, body, cancellationToken)), cancellationToken);

    [Function("ProposeHaltLift")]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: a second admin approves the lift at approveUrl.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(409, Description = "Lending is not halted.")]
    public Task<IActionResult> Lift(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "halt/lift")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async admin => Answers.Proposed(await desk.ProposeLiftAsync(admin, fourEyes, cancellationToken)));
}
