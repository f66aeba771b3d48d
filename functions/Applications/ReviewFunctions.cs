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
/// The manual-review queue: <c>GET /api/reviews</c> (oldest first, with each decision's trace and who holds it),
/// <c>POST /api/reviews/{id}/claim</c> (hold it for 30 minutes while working it) and <c>POST /api/reviews/{id}/decision</c>
/// (approve with a limit and rate within the product, or decline with a reason). A held entry is decided only by its
/// holder until the hold lapses; two reviewers deciding at once: the first wins, the second gets 409.
/// </summary>
public sealed class ReviewFunctions(CallerGate gate, ReviewDesk desk, ApprovalWorkflows approvals, FourEyes fourEyes)
{
    [Function("ListReviews")]
    [Answers(200, typeof(IReadOnlyList<JisuDai.App.Applications.ReviewItem>), Description = "The applications waiting for review, oldest first, each with its decision's trace.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reviews")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => new OkObjectResult(await desk.ListAsync(cancellationToken)));

    [Function("ClaimReview")]
    [Answers(200, typeof(ReviewHold), Description = "Held for the caller for 30 minutes: no other reviewer decides it meanwhile (claiming again renews it).")]
    [Answers(401)]
    [Answers(403, Description = "Not a reviewer, or the reviewer's own application.")]
    [Answers(404, Description = "The application is not waiting for review.")]
    [Answers(409, Description = "Another reviewer holds it or decided it, or it changed while being claimed.")]
    public Task<IActionResult> Claim(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reviews/{id}/claim")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async reviewer => Answers.Ok(await desk.HoldAsync(reviewer, id, cancellationToken)));

    [Function("DecideReview")]
    [Accepts(typeof(JisuDai.App.Applications.ReviewBody))]
    [Answers(202, typeof(Answers.ReviewAnswer), Description = "the approval or decline is passed on; for second-approval also {request, beyond}: the staff request an admin approves, and the bounds it goes beyond.")]
    [Answers(400, Description = "approve, amount, annualRate or reason at fault.")]
    [Answers(401)]
    [Answers(403, Description = "Not a reviewer, or the reviewer's own application.")]
    [Answers(404, Description = "The application is not waiting for review.")]
    [Answers(409, Description = "Decided by another reviewer, lending is halted, or there is no recorded decision.")]
    [Answers(413)]
    public Task<IActionResult> Decide(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reviews/{id}/decision")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], new ReviewBody(null, null, null, null), async (caller, body) => Answers.Of(
            await desk.DecideAsync(caller, id, body, approvals.Over(durable), fourEyes, cancellationToken),
            r => new AcceptedResult(r.StatusUrl, new Answers.ReviewAnswer(r.Id, r.Decided, r.StatusUrl, r.Request, r.Request is null ? null : r.Beyond))), cancellationToken);
}
