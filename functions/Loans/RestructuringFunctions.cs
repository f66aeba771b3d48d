using JisuDai.App.Loans;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Functions.Security;
using JisuDai.Lending;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Risk.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace JisuDai.Functions.Loans;

/// <summary>
/// <c>POST /api/loans/{id}/restructurings</c> (staff): new terms for a loan in difficulty, from today. Idempotent by
/// reference; recorded under the loan's ETag; raises LoanRestructured.
/// </summary>
public sealed class RestructuringFunctions(Authentication auth, IDocumentStore<Loan> loans, LoanChanges changes, TimeProvider clock, ILogger<RestructuringFunctions> logger)
{
    public sealed record RestructuringBody(string? Reference, decimal? AnnualRate, int? TermMonths, bool? CapitaliseArrears, string? Method = null);

    static readonly Dictionary<string, RepaymentMethod> Methods = new()
    {
        ["equal-installment"] = RepaymentMethod.EqualInstallment, ["equal-principal"] = RepaymentMethod.EqualPrincipal,
    };

    [Function("PostRestructuring")]
    public async Task<IActionResult> Restructure(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/restructurings")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        (Caller? staff, IActionResult? denied) = await auth.RequireAsync(request, Roles.Reviewer);
        if (denied is not null)
        {
            return denied;
        }

        (RestructuringBody? body, ObjectResult? problem) = await JsonBody.ReadAsync<RestructuringBody>(request, new(null, null, null, null), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (CustomerScopedId.CustomerOf(id) is not { } customerId)
        {
            return Problems.NotFound($"There is no loan {id}.");
        }

        var errors = new List<DomainError>();
        if (body!.Reference is not { Length: > 0 } || !DocumentKey.IsValid(body.Reference))
        {
            errors.Add(new("reference", "required", "reference is required: 1 to 128 letters, digits, '-', '_' or '.'."));
        }

        if (body.AnnualRate is null)
        {
            errors.Add(new("annualRate", "required", "annualRate is required, as a fraction (0.12 is 12% a year)."));
        }

        if (body.TermMonths is null)
        {
            errors.Add(new("termMonths", "required", "termMonths is required."));
        }

        RepaymentMethod method = RepaymentMethod.EqualInstallment;
        if (body.Method is { } m && !Methods.TryGetValue(m, out method))
        {
            errors.Add(new("method", "allowed-values", $"method must be one of {string.Join(", ", Methods.Keys)}."));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var agreed = new AgreedRestructuring(body.Reference!,
            new RestructuringRequest(LenderCalendar.Today(clock), body.AnnualRate!.Value, body.TermMonths!.Value, method, body.CapitaliseArrears ?? false), staff!.Subject);
        while (true)
        {
            Versioned<Loan>? current = await loans.FindAsync(customerId, id, cancellationToken);
            if (current?.Document is not { Schedule: not null } loan)
            {
                return Problems.NotFound($"There is no loan {id}.");
            }

            if ((loan.Restructurings ?? []).FirstOrDefault(r => r.Reference == agreed.Reference) is { } earlier)
            {
                return earlier.Terms with { Date = agreed.Terms.Date } == agreed.Terms
                    ? new OkObjectResult(new { loanId = loan.Id, restructuring = earlier, status = loan.Status.ToString() })
                    : Problems.Conflict($"Restructuring {agreed.Reference} was recorded with other terms.");
            }

            Outcome<Loan> restructured = LoanRestructurings.Record(loan, agreed);
            if (!restructured.Succeeded)
            {
                return restructured.Errors.Any(e => e.Rule == "transition-legal")
                    ? Problems.Conflict(restructured.Errors[0].Message)
                    : Problems.Invalid(restructured.Errors);
            }

            if (!await changes.TryWriteAsync(current, restructured.Value!, cancellationToken))
            {
                continue; // the loan changed meanwhile: judge the new terms against it as it is now
            }

            await RepaymentLifecycle.WakeAsync(durable, id, logger, cancellationToken);
            return new ObjectResult(new { loanId = loan.Id, restructuring = agreed, status = restructured.Value!.Status.ToString() }) { StatusCode = StatusCodes.Status201Created };
        }
    }
}
