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
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff-requests")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => new OkObjectResult(await fourEyes.PendingAsync(cancellationToken)));

    [Function("GetStaffRequest")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff-requests/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(await fourEyes.GetAsync(id, cancellationToken)));

    [Function("ApproveStaffRequest")]
    public Task<IActionResult> Approve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff-requests/{id}/approval")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], new ApprovalBody(null), async (checker, body) =>
            Answers.Ok(await fourEyes.ApproveAsync(checker, id, body.Digest, new StaffContext(lifecycles.Over(durable), approvals.Over(durable)), cancellationToken)), cancellationToken);

    [Function("RejectStaffRequest")]
    public Task<IActionResult> Reject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff-requests/{id}/rejection")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], new RejectionBody(null), async (checker, body) =>
            Answers.Ok(await fourEyes.RejectAsync(checker, id, body.Reason, cancellationToken)), cancellationToken);
}
