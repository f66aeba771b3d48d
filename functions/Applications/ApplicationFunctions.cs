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
/// <c>GET /api/applications/{id}</c>, <c>GET /api/customers/{customerId}/applications</c> (newest first),
/// <c>GET /api/applications/{id}/documents</c> (the key facts, the contract and, with
/// <c>?debitAgreement=true</c>, the debit agreement, to consent to), <c>POST /api/applications/{id}/accept</c> and
/// <c>/cancel</c>. An applicant sees
/// only their own applications (anyone else's is a 404); reviewers and admins see all.
/// </summary>
public sealed class ApplicationFunctions(CallerGate gate, ApplicationIntake intake, ApplicationAnswers answers, ApprovalWorkflows approvals)
{
    static readonly ApplicationRequest NoBody = new(null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    [Function("SubmitApplication")]
    [RequiresHeader("Idempotency-Key", "The application's key, chosen by the app and sent again on every retry: the same key is the same application, decided once.")]
    [Accepts(typeof(JisuDai.App.Applications.ApplicationRequest))]
    [Answers(202, typeof(Answers.SubmissionAnswer), Description = "taken; decision is null when the approval makes it. Follow it at Location.")]
    [Answers(400, Description = "Idempotency-Key missing, a field at fault, or the applicant not as the customer verified.")]
    [Answers(401)]
    [Answers(403, Description = "Not an applicant, the customer is not verified, or the token's subject is no customer id.")]
    [Answers(409, Description = "The Idempotency-Key was used for another application.")]
    [Answers(413)]
    [Answers(429, Description = "More than 10 applications an hour from this customer, or too many from this address: see Retry-After.")]
    public Task<IActionResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], NoBody, async (caller, body) => Answers.Submitted(await intake.SubmitAsync(
            new Submission(caller, request.Headers["Idempotency-Key"], body, ClientAddress.Of(request)),
            approvals.Over(durable), cancellationToken)), cancellationToken, RequestLimits.Applications);

    [Function("ListCustomerApplications")]
    [Answers(200, typeof(IReadOnlyList<JisuDai.App.Applications.ApplicationView>), Description = "The customer's applications, newest first.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such customer the caller may see.")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "customers/{customerId}/applications")] HttpRequest request,
        string customerId,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant, Roles.Reviewer], async caller => Answers.Ok(await answers.ListAsync(caller, customerId, cancellationToken)));

    [Function("GetApplication")]
    [Answers(200, typeof(JisuDai.App.Applications.ApplicationView), Description = "The application as it stands.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such application the caller may see.")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant, Roles.Reviewer], async caller => Answers.Ok(await answers.GetAsync(caller, id, cancellationToken)));

    [Function("GetApplicationDocuments")]
    [Query("debitAgreement", "true to include the debit agreement among the documents.")]
    [Answers(200, typeof(IReadOnlyList<JisuDai.Lending.Products.Disclosure>), Description = "The offer's documents to consent to (once accepted, the ones consented to).")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such application the caller may see.")]
    [Answers(409, Description = "The application has no offer to show.")]
    public Task<IActionResult> Documents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{id}/documents")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant, Roles.Reviewer], async caller =>
            Answers.Ok(await answers.DocumentsAsync(caller, id, request.Query["debitAgreement"] == "true", cancellationToken)));

    [Function("AcceptOffer")]
    [Accepts(typeof(JisuDai.App.Applications.Acceptance))]
    [Answers(202, typeof(Answers.ApplicationAnswer), Description = "the acceptance is passed on; debitAgreement when one was asked for.")]
    [Answers(400, Description = "consent.digests or consent.device missing.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such application of the caller's.")]
    [Answers(409, Description = "Not offered, the documents consented to are not the offer's, or this lender takes no debit agreements.")]
    [Answers(413)]
    public Task<IActionResult> Accept(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/accept")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], new Acceptance(null), async (caller, body) =>
            Answers.Accepted(await answers.AcceptAsync(caller, id, body, approvals.Over(durable), cancellationToken)), cancellationToken);

    [Function("CancelApplication")]
    [Answers(202, typeof(Answers.ApplicationAnswer), Description = "the cancellation is asked for; status is the one when asked.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such application of the caller's.")]
    [Answers(409, Description = "The application can no longer be cancelled.")]
    public Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/cancel")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], async caller => Answers.Accepted(await answers.CancelAsync(caller, id, approvals.Over(durable), cancellationToken)));
}
