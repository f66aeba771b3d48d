using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Risk.Rules;

namespace JisuDai.App.Loans;

/// <summary>New terms for a loan in difficulty, as staff send them.</summary>
public sealed record RestructuringBody(string? Reference, decimal? AnnualRate, int? TermMonths, bool? CapitaliseArrears, string? Method = null);

/// <summary>A restructuring as recorded on its loan.</summary>
public sealed record RestructuringAnswer(string LoanId, AgreedRestructuring Restructuring, string Status);

/// <summary>
/// Restructures a loan from today on new terms agreed by staff: idempotent by reference (the same terms answer the
/// same record; other terms under the reference are refused), recorded under the loan's ETag, raising LoanRestructured.
/// </summary>
public sealed class RestructuringDesk(IDocumentStore<Loan> loans, LoanChanges changes, TimeProvider clock)
{
    static readonly Dictionary<string, RepaymentMethod> Methods = new()
    {
        ["equal-installment"] = RepaymentMethod.EqualInstallment, ["equal-principal"] = RepaymentMethod.EqualPrincipal,
    };

    public async Task<Result<Recorded<RestructuringAnswer>>> RestructureAsync(Caller staff, string id, RestructuringBody body, IRepaymentLifecycle lifecycle, CancellationToken cancellationToken)
    {
        if (CustomerScopedId.CustomerOf(id) is not { } customerId)
        {
            return Result<Recorded<RestructuringAnswer>>.NotFound($"There is no loan {id}.");
        }

        if (staff.Subject == customerId)
        {
            return Result<Recorded<RestructuringAnswer>>.Forbidden("No one restructures their own loan.");
        }

        (IReadOnlyList<DomainError> errors, RepaymentMethod method) = Check(body);
        if (errors.Count > 0)
        {
            return Result<Recorded<RestructuringAnswer>>.Invalid(errors);
        }

        var agreed = new AgreedRestructuring(body.Reference!,
            new RestructuringRequest(LenderCalendar.Today(clock), body.AnnualRate!.Value, body.TermMonths!.Value, method, body.CapitaliseArrears ?? false), staff.Subject);
        while (true)
        {
            Versioned<Loan>? current = await loans.FindAsync(customerId, id, cancellationToken);
            if (current?.Document is not { Schedule: not null } loan)
            {
                return Result<Recorded<RestructuringAnswer>>.NotFound($"There is no loan {id}.");
            }

            if ((loan.Restructurings ?? []).FirstOrDefault(r => r.Reference == agreed.Reference) is { } earlier)
            {
                return earlier.Terms with { Date = agreed.Terms.Date } == agreed.Terms
                    ? Result<Recorded<RestructuringAnswer>>.Ok(new(new RestructuringAnswer(loan.Id, earlier, loan.Status.ToString()), Created: false))
                    : Result<Recorded<RestructuringAnswer>>.Conflict($"Restructuring {agreed.Reference} was recorded with other terms.");
            }

            Outcome<Loan> restructured = LoanRestructurings.Record(loan, agreed);
            if (!restructured.Succeeded)
            {
                return restructured.Errors.Any(e => e.Rule == "transition-legal")
                    ? Result<Recorded<RestructuringAnswer>>.Conflict(restructured.Errors[0].Message)
                    : Result<Recorded<RestructuringAnswer>>.Invalid(restructured.Errors);
            }

            if (!await changes.TryWriteAsync(current, restructured.Value!, cancellationToken))
            {
                continue; // the loan changed meanwhile: judge the new terms against it as it is now
            }

            await lifecycle.LoanChangedAsync(id, cancellationToken);
            return Result<Recorded<RestructuringAnswer>>.Ok(new(new RestructuringAnswer(loan.Id, agreed, restructured.Value!.Status.ToString()), Created: true));
        }
    }

    static (IReadOnlyList<DomainError> Errors, RepaymentMethod Method) Check(RestructuringBody body)
    {
        var errors = new List<DomainError>();
        if (body.Reference is not { Length: > 0 } || !DocumentKey.IsValid(body.Reference))
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

        return (errors, method);
    }
}
