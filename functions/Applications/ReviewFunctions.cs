using JisuDai.App.Applications;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using JisuDai.Orchestrations.Approval;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Applications;

/// <summary>
/// The manual-review queue: <c>GET /api/reviews</c> (oldest first, with each decision's trace) and
/// <c>POST /api/reviews/{id}/decision</c> (approve with a limit and rate within the product, or decline with a reason).
/// Two reviewers deciding at once: the first wins, the second gets 409.
/// </summary>
public sealed class ReviewFunctions(CallerGate gate, ReviewDesk desk, ApprovalWorkflows approvals, FourEyes fourEyes)
{
    [Function("ListReviews")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reviews")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => new OkObjectResult(await desk.ListAsync(cancellationToken)));

    [Function("DecideReview")]
    public Task<IActionResult> Decide(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reviews/{id}/decision")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], new ReviewBody(null, null, null, null), async (caller, body) => Answers.Of(
            await desk.DecideAsync(caller, id, body, approvals.Over(durable), fourEyes, cancellationToken),
            r => new AcceptedResult(r.StatusUrl, r.Request is null
                ? new { id = r.Id, decided = r.Decided, statusUrl = r.StatusUrl }
                : (object)new { id = r.Id, decided = r.Decided, statusUrl = r.StatusUrl, request = r.Request, beyond = r.Beyond })), cancellationToken);
}
