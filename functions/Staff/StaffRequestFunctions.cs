using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using JisuDai.Orchestrations.Repayment;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Staff;

/// <summary>
/// The four-eyes inbox: <c>GET /api/staff-requests</c> (pending, oldest first), <c>GET /api/staff-requests/{id}</c>,
/// <c>POST /api/staff-requests/{id}/approval</c> (<c>{"digest": …}</c>: a second person carries the power out) and
/// <c>POST /api/staff-requests/{id}/rejection</c> (<c>{"reason": …}</c>). Who may approve what is in
/// docs/applications.md; the proposer never may.
/// </summary>
public sealed class StaffRequestFunctions(CallerGate gate, FourEyes fourEyes, RepaymentLifecycles lifecycles, Orchestrations.Approval.ApprovalWorkflows approvals)
{
    public sealed record ApprovalBody(string? Digest);

    public sealed record RejectionBody(string? Reason);

    [Function("ListStaffRequests")]
    [Answers(200, typeof(IReadOnlyList<JisuDai.App.Staff.StaffRequest>), Description = "The staff requests waiting for a second person, oldest first (expired ones left out).")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff-requests")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => new OkObjectResult(await fourEyes.PendingAsync(cancellationToken)));

    [Function("GetStaffRequest")]
    [Answers(200, typeof(JisuDai.App.Staff.StaffRequest), Description = "The staff request as it stands.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such staff request.")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff-requests/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(await fourEyes.GetAsync(id, cancellationToken)));

    [Function("ApproveStaffRequest")]
    [Accepts(typeof(ApprovalBody))]
    [Answers(200, typeof(JisuDai.App.Staff.StaffRequestAnswer), Description = "Approved and carried out (or approved before): the request and what carrying it out answered.")]
    [Answers(400, Description = "The digest is not the request's, or what it carries out is invalid.")]
    [Answers(401)]
    [Answers(403, Description = "Not a reviewer, the request's proposer, or without the power's approver role.")]
    [Answers(404, Description = "No such staff request, or what it acts on is gone.")]
    [Answers(409, Description = "Not pending, decided meanwhile, or what it asks can no longer be done.")]
    [Answers(413)]
    [Answers(422, Description = "A reconciliation resolution the provider's report of the payment does not match.")]
    public Task<IActionResult> Approve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff-requests/{id}/approval")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], new ApprovalBody(null), async (checker, body) =>
            Answers.Ok(await fourEyes.ApproveAsync(checker, id, body.Digest, new StaffContext(lifecycles.Over(durable), approvals.Over(durable)), cancellationToken)), cancellationToken);

    [Function("RejectStaffRequest")]
    [Accepts(typeof(RejectionBody))]
    [Answers(200, typeof(JisuDai.App.Staff.StaffRequest), Description = "Rejected: the request as closed.")]
    [Answers(400, Description = "No reason, or one over 200 characters.")]
    [Answers(401)]
    [Answers(403, Description = "Not a reviewer, or neither the proposer nor holding the power's approver role.")]
    [Answers(404, Description = "No such staff request.")]
    [Answers(409, Description = "Not pending, or decided meanwhile.")]
    [Answers(413)]
    public Task<IActionResult> Reject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff-requests/{id}/rejection")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], new RejectionBody(null), async (checker, body) =>
            Answers.Ok(await fourEyes.RejectAsync(checker, id, body.Reason, cancellationToken)), cancellationToken);
}
