using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Staff;

/// <summary>
/// <c>PUT /api/staff/{subject}/identity</c> <c>{idNumber}</c>: an admin proposes registering a staff member's resident
/// identity (202; a second admin approves at /api/staff-requests), so no one acts on their own application or loan under
/// a customer account of their own. The rules are in <see cref="ConflictOfInterest"/>.
/// </summary>
public sealed class StaffIdentityFunctions(CallerGate gate, ConflictOfInterest desk, FourEyes fourEyes)
{
    [Function("ProposeStaffIdentity")]
    [Accepts(typeof(JisuDai.App.Staff.StaffIdentityBody))]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: a second admin approves it at approveUrl.")]
    [Answers(400, Description = "idNumber is not an 18-character resident ID number with a valid check digit.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such staff member.")]
    [Answers(413)]
    public Task<IActionResult> Propose(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "staff/{subject}/identity")] HttpRequest request,
        string subject,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], new StaffIdentityBody(null), async (admin, body) =>
            Answers.Proposed(await desk.ProposeAsync(admin, subject, body, fourEyes, cancellationToken)), cancellationToken);
}
