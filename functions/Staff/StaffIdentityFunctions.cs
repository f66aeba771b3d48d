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
    public Task<IActionResult> Propose(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "staff/{subject}/identity")] HttpRequest request,
        string subject,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], new StaffIdentityBody(null), async (admin, body) =>
            Answers.Proposed(await desk.ProposeAsync(admin, subject, body, fourEyes, cancellationToken)), cancellationToken);
}
