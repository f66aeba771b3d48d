using JisuDai.App.Applications;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Orchestrations.Approval;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Applications;

/// <summary>
/// The borrower's side of the approval: <c>POST /api/applications</c> (with <c>Idempotency-Key</c>),
/// <c>GET /api/applications/{id}</c>, <c>GET /api/applications/{id}/documents</c> (the key facts, the contract and, with
/// <c>?debitAgreement=true</c>, the debit agreement, to consent to), <c>POST /api/applications/{id}/accept</c> and
/// <c>/cancel</c>. An applicant sees
/// only their own applications (anyone else's is a 404); reviewers and admins see all.
/// </summary>
public sealed class ApplicationFunctions(CallerGate gate, ApplicationIntake intake, ApplicationAnswers answers, ApprovalWorkflows approvals)
{
    static readonly ApplicationRequest NoBody = new(null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    [Function("SubmitApplication")]
    public Task<IActionResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], NoBody, async (caller, body) => Answers.Submitted(await intake.SubmitAsync(
            new Submission(caller, request.Headers["Idempotency-Key"], body, ClientAddress.Of(request)),
            approvals.Over(durable), cancellationToken)), cancellationToken, RequestLimits.Applications);

    [Function("GetApplication")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant, Roles.Reviewer], async caller => Answers.Ok(await answers.GetAsync(caller, id, cancellationToken)));

    [Function("GetApplicationDocuments")]
    public Task<IActionResult> Documents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{id}/documents")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant, Roles.Reviewer], async caller =>
            Answers.Ok(await answers.DocumentsAsync(caller, id, request.Query["debitAgreement"] == "true", cancellationToken)));

    [Function("AcceptOffer")]
    public Task<IActionResult> Accept(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/accept")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], new Acceptance(null), async (caller, body) =>
            Answers.Accepted(await answers.AcceptAsync(caller, id, body, approvals.Over(durable), cancellationToken)), cancellationToken);

    [Function("CancelApplication")]
    public Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/cancel")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], async caller => Answers.Accepted(await answers.CancelAsync(caller, id, approvals.Over(durable), cancellationToken)));
}
