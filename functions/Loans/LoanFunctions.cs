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
    [Answers(200, typeof(JisuDai.App.Loans.LoanView), Description = "The loan, with its position today.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such loan the caller may see.")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await servicing.GetAsync(caller, id, cancellationToken)));

    [Function("GetLoanLedger")]
    [Answers(200, typeof(IReadOnlyList<JisuDai.App.Loans.LedgerEntryView>), Description = "Every entry of the loan's ledger, in the order recorded.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such loan the caller may see.")]
    public Task<IActionResult> Ledger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}/ledger")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await servicing.LedgerAsync(caller, id, cancellationToken)));

    [Function("GetLoanConsent")]
    [Answers(200, typeof(JisuDai.Lending.Applications.AcceptanceConsent), Description = "The documents the borrower consented to, when, and on which device.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such loan the caller may see, or booked before consent was recorded.")]
    public Task<IActionResult> Consent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}/consent")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await servicing.ConsentAsync(caller, id, cancellationToken)));

    [Function("ListCustomerLoans")]
    [Answers(200, typeof(IReadOnlyList<JisuDai.App.Loans.LoanView>), Description = "The customer's loans.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such customer the caller may see.")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "customers/{customerId}/loans")] HttpRequest request,
        string customerId,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await servicing.ListAsync(caller, customerId, cancellationToken)));

    [Function("PostRepayment")]
    [Accepts(typeof(JisuDai.App.Loans.RepaymentBody))]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: an admin other than the proposer approves it at approveUrl.")]
    [Answers(200, typeof(JisuDai.App.Loans.RepaymentResult), Description = "Recorded before under this reference: how it was applied.")]
    [Answers(400, Description = "reference, amount or paidOn at fault.")]
    [Answers(401)]
    [Answers(403, Description = "A borrower (they pay at /api/loans/{id}/payments), or the caller's own loan.")]
    [Answers(404, Description = "No such loan.")]
    [Answers(409, Description = "The reference was recorded with another amount or date.")]
    [Answers(413)]
    public Task<IActionResult> Repay(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/repayments")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, NoBody, async (caller, body) =>
            Answers.Proposed(await servicing.ProposeOfflineAsync(caller, id, body, prepayment: false, fourEyes, cancellationToken)), cancellationToken);

    [Function("PostPrepayment")]
    [Accepts(typeof(JisuDai.App.Loans.RepaymentBody))]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: an admin other than the proposer approves it at approveUrl.")]
    [Answers(200, typeof(JisuDai.App.Loans.RepaymentResult), Description = "Recorded before under this reference: how it was applied.")]
    [Answers(400, Description = "reference, amount, paidOn or mode at fault.")]
    [Answers(401)]
    [Answers(403, Description = "A borrower (they pay at /api/loans/{id}/payments), or the caller's own loan.")]
    [Answers(404, Description = "No such loan.")]
    [Answers(409, Description = "The reference was recorded with another amount or date.")]
    [Answers(413)]
    public Task<IActionResult> Prepay(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/prepayments")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, NoBody, async (caller, body) =>
            Answers.Proposed(await servicing.ProposeOfflineAsync(caller, id, body, prepayment: true, fourEyes, cancellationToken)), cancellationToken);

    [Function("GetPayoffQuote")]
    [Query("date", "The day to quote for, yyyy-MM-dd (default: today).")]
    [Answers(200, typeof(JisuDai.App.Loans.PayoffAnswer), Description = "What paying the loan off on the day would take.")]
    [Answers(400, Description = "date is not yyyy-MM-dd, or is before the disbursement.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such loan the caller may see.")]
    public Task<IActionResult> PayoffQuote(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}/payoff-quote")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await servicing.PayoffQuoteAsync(caller, id, request.Query["date"].ToString(), cancellationToken)));
}
