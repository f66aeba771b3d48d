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
    [Accepts(typeof(JisuDai.App.Loans.RestructuringBody))]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: a second person approves it at approveUrl, and it is recorded from that day.")]
    [Answers(200, typeof(JisuDai.App.Loans.RestructuringAnswer), Description = "Recorded under this reference already: the restructuring.")]
    [Answers(400, Description = "A term at fault, or against the product's rules.")]
    [Answers(401)]
    [Answers(403, Description = "Not a reviewer, or the caller's own loan.")]
    [Answers(404, Description = "No such loan.")]
    [Answers(409, Description = "Recorded under the reference with other terms, or the loan cannot be restructured now.")]
    [Answers(413)]
    public Task<IActionResult> Restructure(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/restructurings")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], new RestructuringBody(null, null, null, null), async (staff, body) =>
            Answers.Proposed(await desk.ProposeAsync(staff, id, body, fourEyes, cancellationToken)), cancellationToken);
}
