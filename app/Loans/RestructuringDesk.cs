using System.Text.Json;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
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
/// Restructures a loan on new terms, four eyes: one member of staff proposes, a different one approves, and only then is
/// it recorded, from the day of the approval. Idempotent by reference (the same terms answer the same record; other
/// terms under the reference are refused), recorded under the loan's ETag, raising LoanRestructured.
/// </summary>
public sealed class RestructuringDesk(IDocumentStore<Loan> loans, LoanChanges changes, ConflictOfInterest conflicts, TimeProvider clock)
{
    static readonly Dictionary<string, RepaymentMethod> Methods = new()
    {
        ["equal-installment"] = RepaymentMethod.EqualInstallment, ["equal-principal"] = RepaymentMethod.EqualPrincipal,
    };

    /// <summary>
    /// <paramref name="maker"/> proposes new terms: checked now against the loan as it is (a proposal that could not be
    /// carried out is refused), then waiting for a second person (<see cref="FourEyes"/>). A restructuring already
    /// recorded under the reference is answered as recorded.
    /// </summary>
    public async Task<Result<Proposal<RestructuringAnswer>>> ProposeAsync(Caller maker, string id, RestructuringBody body, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        Result<(string CustomerId, AgreedRestructuring Agreed)> prepared = Prepare(maker, null, id, body);
        if (!prepared.Succeeded)
        {
            return prepared.As<Proposal<RestructuringAnswer>>();
        }

        if (await conflicts.IsOwnAsync(maker.Subject, prepared.Value.CustomerId, cancellationToken))
        {
            return Result<Proposal<RestructuringAnswer>>.Forbidden("No one restructures their own loan.");
        }

        (string customerId, AgreedRestructuring agreed) = prepared.Value;
        if ((await loans.FindAsync(customerId, id, cancellationToken))?.Document is not { Schedule: not null } loan)
        {
            return Result<Proposal<RestructuringAnswer>>.NotFound($"There is no loan {id}.");
        }

        Result<Judged> judged = Judge(loan, agreed);
        if (!judged.Succeeded || judged.Value!.Earlier is not null)
        {
            return judged.Succeeded ? Result<Proposal<RestructuringAnswer>>.Ok(new(judged.Value!.Earlier, null)) : judged.As<Proposal<RestructuringAnswer>>();
        }

        Result<StaffRequest> proposed = await fourEyes.ProposeAsync(maker, StaffPower.Restructuring, id, JsonSerializer.Serialize(body, StaffRequest.PayloadJson), cancellationToken);
        return proposed.Succeeded ? Result<Proposal<RestructuringAnswer>>.Ok(new(null, proposed.Value)) : proposed.As<Proposal<RestructuringAnswer>>();
    }

    /// <summary>Carries out a restructuring <paramref name="maker"/> proposed and <paramref name="approvedBy"/> approved, from today, and tells the loan's lifecycle.</summary>
    public async Task<Result<Recorded<RestructuringAnswer>>> RestructureAsync(Caller maker, string approvedBy, string id, RestructuringBody body, IRepaymentLifecycle lifecycle, CancellationToken cancellationToken)
    {
        Result<(string CustomerId, AgreedRestructuring Agreed)> prepared = Prepare(maker, approvedBy, id, body);
        if (!prepared.Succeeded)
        {
            return prepared.As<Recorded<RestructuringAnswer>>();
        }

        if (await conflicts.IsOwnByAnyAsync([maker.Subject, approvedBy], prepared.Value.CustomerId, cancellationToken))
        {
            return Result<Recorded<RestructuringAnswer>>.Forbidden("No one restructures their own loan.");
        }

        (string customerId, AgreedRestructuring agreed) = prepared.Value;
        while (true)
        {
            Versioned<Loan>? current = await loans.FindAsync(customerId, id, cancellationToken);
            if (current?.Document is not { Schedule: not null } loan)
            {
                return Result<Recorded<RestructuringAnswer>>.NotFound($"There is no loan {id}.");
            }

            Result<Judged> judged = Judge(loan, agreed);
            if (!judged.Succeeded || judged.Value!.Earlier is not null)
            {
                return judged.Succeeded ? Result<Recorded<RestructuringAnswer>>.Ok(new(judged.Value!.Earlier!, Created: false)) : judged.As<Recorded<RestructuringAnswer>>();
            }

            Loan restructured = judged.Value.Restructured!;
            if (!await changes.TryWriteAsync(current, restructured, cancellationToken))
            {
                continue; // the loan changed meanwhile: judge the new terms against it as it is now
            }

            await lifecycle.LoanChangedAsync(id, cancellationToken);
            return Result<Recorded<RestructuringAnswer>>.Ok(new(new RestructuringAnswer(loan.Id, agreed, restructured.Status.ToString()), Created: true));
        }
    }

    /// <summary>What an agreement comes to against the loan as it is: already recorded (the earlier answer), or the loan restructured.</summary>
    sealed record Judged(RestructuringAnswer? Earlier, Loan? Restructured);

    /// <summary>
    /// <paramref name="agreed"/> judged against <paramref name="loan"/>: the earlier restructuring under its reference when
    /// the terms are the same, a conflict when they differ or the loan cannot be restructured now, the product rules
    /// it breaks, or the loan restructured.
    /// </summary>
    static Result<Judged> Judge(Loan loan, AgreedRestructuring agreed)
    {
        if ((loan.Restructurings ?? []).FirstOrDefault(r => r.Reference == agreed.Reference) is { } earlier)
        {
            return earlier.Terms with { Date = agreed.Terms.Date } == agreed.Terms
                ? Result<Judged>.Ok(new(new RestructuringAnswer(loan.Id, earlier, loan.Status.ToString()), null))
                : Result<Judged>.Conflict($"Restructuring {agreed.Reference} was recorded with other terms.");
        }

        Outcome<Loan> restructured = LoanRestructurings.Record(loan, agreed);
        return restructured.Succeeded ? Result<Judged>.Ok(new(null, restructured.Value))
            : restructured.Errors.Any(e => e.Rule == "transition-legal") ? Result<Judged>.Conflict(restructured.Errors[0].Message)
            : Result<Judged>.Invalid(restructured.Errors);
    }

    /// <summary>The loan's customer and the agreement the body asks for, dated today; or why not.</summary>
    Result<(string CustomerId, AgreedRestructuring Agreed)> Prepare(Caller maker, string? approvedBy, string id, RestructuringBody body)
    {
        if (CustomerScopedId.CustomerOf(id) is not { } customerId)
        {
            return Result<(string, AgreedRestructuring)>.NotFound($"There is no loan {id}.");
        }

        (IReadOnlyList<DomainError> errors, RepaymentMethod method) = Check(body);
        return errors.Count > 0
            ? Result<(string, AgreedRestructuring)>.Invalid(errors)
            : Result<(string, AgreedRestructuring)>.Ok((customerId, new AgreedRestructuring(body.Reference!,
                new RestructuringRequest(LenderCalendar.Today(clock), body.AnnualRate!.Value, body.TermMonths!.Value, method, body.CapitaliseArrears ?? false), maker.Subject, approvedBy)));
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
