using JisuDai.App.Payments;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Payments;

/// <summary>
/// A loan's debit agreement (委托代扣): <c>GET /api/loans/{id}/debit-agreement</c> (borrower and staff),
/// <c>POST /api/loans/{id}/debit-agreement</c> (the borrower signs one after accepting without; 201 when made, 200 when
/// made before) and <c>POST /api/loans/{id}/debit-agreement/cancel</c> (the borrower ends it). Accepting an offer with
/// <c>{"debitAgreement": true}</c> makes one too. The rules are in <see cref="DebitDesk"/>.
/// </summary>
public sealed class DebitAgreementFunctions(CallerGate gate, DebitDesk desk)
{
    [Function("GetDebitAgreement")]
    [Answers(200, typeof(JisuDai.App.Payments.DebitAgreementView), Description = "The loan's debit agreement (a pending one asked of the provider first).")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "The loan has no debit agreement, or is not the caller's.")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}/debit-agreement")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant, Roles.Reviewer], async caller => Answers.Ok(await desk.GetAsync(caller, id, cancellationToken)));

    [Function("SignDebitAgreement")]
    [Answers(201, typeof(JisuDai.App.Payments.DebitAgreementView), Description = "Made: the agreement, with the signingId the borrower's payment app signs it with.")]
    [Answers(200, typeof(JisuDai.App.Payments.DebitAgreementView), Description = "Made before: the same agreement.")]
    [Answers(401)]
    [Answers(403, Description = "Not an applicant, or not the loan's borrower.")]
    [Answers(404, Description = "No such loan of the caller's.")]
    [Answers(409, Description = "The loan is closed, or this lender takes no debit agreements.")]
    public Task<IActionResult> Sign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/debit-agreement")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], async caller => Answers.Recorded(await desk.SignForLoanAsync(caller, id, cancellationToken)));

    [Function("CancelDebitAgreement")]
    [Answers(200, typeof(JisuDai.App.Payments.DebitAgreementView), Description = "The agreement, ended (as it stands when ended before).")]
    [Answers(401)]
    [Answers(403, Description = "Not an applicant, or not the agreement's borrower.")]
    [Answers(404, Description = "The loan has no debit agreement, or is not the caller's.")]
    public Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/debit-agreement/cancel")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], async caller => Answers.Ok(await desk.CancelAsync(caller, id, cancellationToken)));
}
