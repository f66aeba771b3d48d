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
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}/debit-agreement")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant, Roles.Reviewer], async caller => Answers.Ok(await desk.GetAsync(caller, id, cancellationToken)));

    [Function("SignDebitAgreement")]
    public Task<IActionResult> Sign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/debit-agreement")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], async caller => Answers.Recorded(await desk.SignForLoanAsync(caller, id, cancellationToken)));

    [Function("CancelDebitAgreement")]
    public Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/debit-agreement/cancel")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], async caller => Answers.Ok(await desk.CancelAsync(caller, id, cancellationToken)));
}
