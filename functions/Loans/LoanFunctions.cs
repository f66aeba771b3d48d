using JisuDai.Functions.Http;
using JisuDai.Functions.Security;
using JisuDai.Lending.Delinquency;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Repayments;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Loans;

/// <summary>
/// A borrower's loans: <c>GET /api/loans/{id}</c> (schedule, balances and days past due as of today in Asia/Shanghai)
/// and <c>GET /api/customers/{id}/loans</c>. Applicants see only their own (anyone else's is a 404); staff see all.
/// </summary>
public sealed class LoanFunctions(Authentication auth, IDocumentStore<Loan> loans, TimeProvider clock)
{
    static readonly TimeZoneInfo Lender = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>A loan as its borrower sees it, with its position on <see cref="AsOf"/>.</summary>
    public sealed record LoanView(
        string Id, string CustomerId, string ApplicationId, string Status, string ProductCode, decimal Principal, DateOnly DisbursedOn,
        decimal Apr, DateOnly AsOf, decimal PrincipalOutstanding, decimal DueNow, int DaysPastDue, string Bucket,
        IReadOnlyList<Lending.Schedules.Installment> Schedule);

    [Function("GetLoan")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        (Caller? caller, IActionResult? denied) = await auth.RequireAsync(request, Roles.Applicant, Roles.Reviewer);
        if (denied is not null)
        {
            return denied;
        }

        int dot = id.IndexOf('.');
        string customerId = dot > 0 ? id[(dot + 1)..] : "";
        Loan? loan = caller!.MaySee(customerId) && DocumentKey.IsValid(id) && DocumentKey.IsValid(customerId)
            ? (await loans.FindAsync(customerId, id, cancellationToken))?.Document
            : null;
        return loan is null ? Problems.NotFound($"There is no loan {id}.") : new OkObjectResult(View(loan));
    }

    [Function("ListCustomerLoans")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "customers/{customerId}/loans")] HttpRequest request,
        string customerId,
        CancellationToken cancellationToken)
    {
        (Caller? caller, IActionResult? denied) = await auth.RequireAsync(request, Roles.Applicant, Roles.Reviewer);
        if (denied is not null)
        {
            return denied;
        }

        if (!caller!.MaySee(customerId) || !DocumentKey.IsValid(customerId))
        {
            return Problems.NotFound($"There is no customer {customerId}.");
        }

        var found = await loans.ListByCustomerAsync(customerId, cancellationToken);
        return new OkObjectResult(found.Select(v => View(v.Document)).ToList());
    }

    LoanView View(Loan loan)
    {
        DateOnly today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Lender).DateTime);
        LoanProduct product = ProductCatalog.All.TryGetValue(loan.ProductCode, out LoanProduct? p) ? p : ProductCatalog.Express;
        if (loan.Schedule is not { } schedule)
        {
            return new LoanView(loan.Id, loan.CustomerId, loan.ApplicationId, loan.Status.ToString(), loan.ProductCode, loan.Principal, loan.DisbursedOn,
                0, today, loan.Principal, 0, 0, product.Delinquency.Buckets[0].Name, []);
        }

        // Until repayments are recorded (the repayment lifecycle), the position is the schedule's as of today.
        LoanPosition position = LoanLedger.Open(schedule, Waterfall.Default, product.PrepaymentFeeRate).PositionOn(today);
        DelinquencyStatus arrears = Arrears.Assess(position, product.Delinquency);
        return new LoanView(loan.Id, loan.CustomerId, loan.ApplicationId, loan.Status.ToString(), loan.ProductCode, loan.Principal, loan.DisbursedOn,
            schedule.Apr, today, position.PrincipalOutstanding, position.Balances.Where(b => b.DueDate <= today).Sum(b => b.Total),
            arrears.DaysPastDue, arrears.Bucket.Name, schedule.Installments);
    }
}
