using JisuDai.App.Loans;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Loans;

/// <summary>
/// <c>POST /api/loans/{id}/restructurings</c> (staff) proposes new terms for a loan in difficulty: 202 with the staff
/// request a second person approves at <c>/api/staff-requests/{id}/approval</c>, which records it from that day; 200
/// with the restructuring when one is recorded under the reference already.
/// </summary>
public sealed class RestructuringFunctions(CallerGate gate, RestructuringDesk desk, FourEyes fourEyes)
{
    [Function("PostRestructuring")]
    public Task<IActionResult> Restructure(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/restructurings")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], new RestructuringBody(null, null, null, null), async (staff, body) =>
            Answers.Proposed(await desk.ProposeAsync(staff, id, body, fourEyes, cancellationToken)), cancellationToken);
}
