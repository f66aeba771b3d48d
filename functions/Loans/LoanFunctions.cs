using JisuDai.App.Loans;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.App.Staff;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Loans;

/// <summary>
/// A borrower's loans: <c>GET /api/loans/{id}</c>, <c>GET /api/customers/{id}/loans</c>, <c>GET /api/loans/{id}/payoff-quote</c>,
/// <c>GET /api/loans/{id}/ledger</c> (every entry in the order recorded), <c>GET /api/loans/{id}/consent</c>;
/// and, for staff, <c>POST /api/loans/{id}/repayments</c> and <c>/prepayments</c>: an offline payment proposed (202 with the
/// staff request a second person approves; 200 when the same payment was recorded before). Borrowers get 403 there:
/// they pay at <c>/api/loans/{id}/payments</c>. The rules are in <see cref="LoanServicing"/>.
/// </summary>
public sealed class LoanFunctions(CallerGate gate, LoanServicing servicing, FourEyes fourEyes)
{
    static readonly string[] BorrowersAndStaff = [Roles.Applicant, Roles.Reviewer];
    static readonly RepaymentBody NoBody = new(null, null, null);

    [Function("GetLoan")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await servicing.GetAsync(caller, id, cancellationToken)));

    [Function("GetLoanLedger")]
    public Task<IActionResult> Ledger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}/ledger")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await servicing.LedgerAsync(caller, id, cancellationToken)));

    [Function("GetLoanConsent")]
    public Task<IActionResult> Consent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}/consent")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await servicing.ConsentAsync(caller, id, cancellationToken)));

    [Function("ListCustomerLoans")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "customers/{customerId}/loans")] HttpRequest request,
        string customerId,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await servicing.ListAsync(caller, customerId, cancellationToken)));

    [Function("PostRepayment")]
    public Task<IActionResult> Repay(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/repayments")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, NoBody, async (caller, body) =>
            Answers.Proposed(await servicing.ProposeOfflineAsync(caller, id, body, prepayment: false, fourEyes, cancellationToken)), cancellationToken);

    [Function("PostPrepayment")]
    public Task<IActionResult> Prepay(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/prepayments")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, NoBody, async (caller, body) =>
            Answers.Proposed(await servicing.ProposeOfflineAsync(caller, id, body, prepayment: true, fourEyes, cancellationToken)), cancellationToken);

    [Function("GetPayoffQuote")]
    public Task<IActionResult> PayoffQuote(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}/payoff-quote")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await servicing.PayoffQuoteAsync(caller, id, request.Query["date"].ToString(), cancellationToken)));
}
