using JisuDai.App.Loans;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Functions.Security;
using JisuDai.Lending;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Delinquency;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Repayments;
using JisuDai.Lending.Schedules;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Risk.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace JisuDai.Functions.Loans;

/// <summary>
/// A borrower's loans: <c>GET /api/loans/{id}</c> (schedule, balances and days past due as of today in Asia/Shanghai),
/// <c>GET /api/customers/{id}/loans</c>, and <c>POST /api/loans/{id}/repayments</c> (idempotent by payment reference,
/// allocated by the lending ledger's waterfall, two at once both applied in order under the loan's ETag). Applicants
/// see only their own (anyone else's is a 404); staff see all.
/// </summary>
public sealed class LoanFunctions(Authentication auth, IDocumentStore<Loan> loans, LoanChanges changes, TimeProvider clock, ILogger<LoanFunctions> logger)
{
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

        Loan? loan = await FindAsync(caller!, id, cancellationToken);
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

    public sealed record RepaymentBody(string? Reference, decimal? Amount, DateOnly? PaidOn, string? Mode = null);

    static readonly Dictionary<string, PrepaymentMode> Modes = new() { ["reduce-term"] = PrepaymentMode.ReduceTerm, ["reduce-installment"] = PrepaymentMode.ReduceInstallment };

    /// <summary>A repayment's result: how it was applied, and the loan after it.</summary>
    public sealed record RepaymentResult(string Reference, decimal Amount, DateOnly PaidOn, IReadOnlyList<AllocationLine> AppliedTo, decimal ToCredit, LoanView Loan);

    [Function("PostRepayment")]
    public Task<IActionResult> Repay(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/repayments")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) => PostAsync(request, id, prepayment: false, durable, cancellationToken);

    [Function("PostPrepayment")]
    public Task<IActionResult> Prepay(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/prepayments")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) => PostAsync(request, id, prepayment: true, durable, cancellationToken);

    [Function("GetPayoffQuote")]
    public async Task<IActionResult> PayoffQuote(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}/payoff-quote")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        (Caller? caller, IActionResult? denied) = await auth.RequireAsync(request, Roles.Applicant, Roles.Reviewer);
        if (denied is not null)
        {
            return denied;
        }

        DateOnly date = Today();
        if (request.Query["date"].ToString() is { Length: > 0 } text
            && !DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out date))
        {
            return Problems.Invalid("date", "date must be yyyy-MM-dd.");
        }

        if (await FindAsync(caller!, id, cancellationToken) is not { Schedule: not null } loan)
        {
            return Problems.NotFound($"There is no loan {id}.");
        }

        if (date < loan.DisbursedOn)
        {
            return Problems.Invalid("date", $"date must not be before disbursement on {loan.DisbursedOn:yyyy-MM-dd}.");
        }

        PayoffQuote quote = Ledger(loan).QuoteOn(date);
        return new OkObjectResult(new { loanId = loan.Id, quote.Date, quote.Due, quote.PrincipalNotYetDue, quote.AccruedInterest, quote.PrepaymentFee, quote.Credit, quote.Owed, quote.Total, quote.Refund });
    }

    async Task<Loan?> FindAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        return CustomerScopedId.CustomerOf(id) is { } customerId && caller.MaySee(customerId)
            ? (await loans.FindAsync(customerId, id, cancellationToken))?.Document
            : null;
    }

    async Task<IActionResult> PostAsync(HttpRequest request, string id, bool prepayment, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        (Caller? caller, IActionResult? denied) = await auth.RequireAsync(request, Roles.Applicant, Roles.Reviewer);
        if (denied is not null)
        {
            return denied;
        }

        (RepaymentBody? body, ObjectResult? problem) = await JsonBody.ReadAsync<RepaymentBody>(request, new(null, null, null), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (CustomerScopedId.CustomerOf(id) is not { } customerId || !caller!.MaySee(customerId))
        {
            return Problems.NotFound($"There is no loan {id}.");
        }

        DateOnly today = Today();
        var errors = new List<Lending.DomainError>();
        if (body!.Reference is not { Length: > 0 } reference || !DocumentKey.IsValid(reference))
        {
            errors.Add(new("reference", "required", "reference is the payment's reference: 1 to 128 letters, digits, '-', '_' or '.'."));
        }

        if (body.Amount is not { } amount || amount <= 0 || decimal.Round(amount, 2) != amount)
        {
            errors.Add(new("amount", "positive-fen", "amount is required: more than 0 yuan, to the fen."));
        }

        if (body.PaidOn is { } date && date > today)
        {
            errors.Add(new("paidOn", "not-future", $"paidOn must not be after today ({today:yyyy-MM-dd})."));
        }

        PrepaymentMode? mode = null;
        if (prepayment)
        {
            if (body.Mode is { } m && Modes.TryGetValue(m, out PrepaymentMode known))
            {
                mode = known;
            }
            else
            {
                errors.Add(new("mode", "allowed-values", $"mode must be one of {string.Join(", ", Modes.Keys)}."));
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var repayment = new RecordedRepayment(body.Reference!, body.PaidOn ?? today, body.Amount!.Value, clock.GetUtcNow(), mode);
        while (true)
        {
            Versioned<Loan>? current = await loans.FindAsync(customerId, id, cancellationToken);
            if (current?.Document is not { Schedule: not null } loan)
            {
                return Problems.NotFound($"There is no loan {id}.");
            }

            if ((loan.Repayments ?? []).FirstOrDefault(r => r.Reference == repayment.Reference) is { } earlier)
            {
                // Posted before: the same payment is answered again; another payment under its reference is refused.
                return earlier.Amount == repayment.Amount && earlier.PaidOn == repayment.PaidOn && earlier.Prepayment == repayment.Prepayment
                    ? new OkObjectResult(Result(loan, earlier))
                    : Problems.Conflict($"Payment reference {repayment.Reference} was recorded with another amount or date.");
            }

            Lending.Outcome<RepaymentRecorded> recorded = LoanRepayments.Record(loan, repayment);
            if (!recorded.Succeeded)
            {
                return recorded.Errors.Any(e => e.Rule == "loan-open")
                    ? Problems.Conflict(recorded.Errors[0].Message)
                    : Problems.Invalid(recorded.Errors.Select(e => e.Field == "id" ? e with { Field = "reference" } : e.Field == "date" ? e with { Field = "paidOn" } : e).ToList());
            }

            Loan updated = recorded.Value!.Loan;
            if (!await changes.TryWriteAsync(current, updated, cancellationToken))
            {
                continue; // another repayment landed first: apply this one after it
            }

            await RepaymentLifecycle.WakeAsync(durable, id, logger, cancellationToken);
            return new ObjectResult(Result(updated, repayment, recorded.Value.Ledger)) { StatusCode = StatusCodes.Status201Created };
        }
    }

    RepaymentResult Result(Loan loan, RecordedRepayment repayment, LoanLedger? replayed = null)
    {
        LoanLedger ledger = replayed ?? Ledger(loan);
        LoanPosition position = ledger.PositionOn(Today() < repayment.PaidOn ? repayment.PaidOn : Today());
        AppliedRepayment applied = position.Applied.Single(a => a.TransactionId == repayment.Reference);
        return new RepaymentResult(repayment.Reference, repayment.Amount, repayment.PaidOn, applied.Lines, applied.ToCredit, View(loan, ledger));
    }

    static LoanLedger Ledger(Loan loan) => LoanSweep.LedgerOf(loan, LoanSweep.ProductOf(loan));

    DateOnly Today() => LenderCalendar.Today(clock);

    /// <summary>The borrower's view of a loan; <paramref name="ledger"/> when the caller has already replayed it.</summary>
    LoanView View(Loan loan, LoanLedger? ledger = null)
    {
        DateOnly today = Today();
        LoanProduct product = LoanSweep.ProductOf(loan);
        if (loan.Schedule is not { } schedule)
        {
            return new LoanView(loan.Id, loan.CustomerId, loan.ApplicationId, loan.Status.ToString(), loan.ProductCode, loan.Principal, loan.DisbursedOn,
                0, today, loan.Principal, 0, 0, product.Delinquency.Buckets[0].Name, []);
        }

        ledger ??= Ledger(loan);
        LoanPosition position = ledger.PositionOn(today);
        DelinquencyStatus arrears = Arrears.Assess(position, product.Delinquency);
        return new LoanView(loan.Id, loan.CustomerId, loan.ApplicationId, loan.Status.ToString(), loan.ProductCode, loan.Principal, loan.DisbursedOn,
            schedule.Apr, today, position.PrincipalOutstanding, position.Balances.Where(b => b.DueDate <= today).Sum(b => b.Total),
            arrears.DaysPastDue, arrears.Bucket.Name, ledger.ScheduleOn(today));
    }
}
