using System.Text.Json;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Lending;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Delinquency;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Repayments;
using JisuDai.Lending.Schedules;

namespace JisuDai.App.Loans;

/// <summary>A loan as its borrower sees it, with its position on <see cref="AsOf"/>, and the terms of the product version it is serviced under.</summary>
public sealed record LoanView(
    string Id, string CustomerId, string ApplicationId, string Status, string ProductCode, decimal Principal, DateOnly DisbursedOn,
    decimal Apr, DateOnly AsOf, decimal PrincipalOutstanding, decimal DueNow, int DaysPastDue, string Bucket,
    IReadOnlyList<Installment> Schedule, LoanProduct Product);

/// <summary>One entry of a loan's ledger as shown: its place, what it is, its id and value date, and the money it moved.</summary>
/// <param name="Sequence">Its place in the order recorded (the disbursement is 0).</param>
/// <param name="Kind">disbursement, repayment, prepayment, penalty, fee, charge-reversal, payoff, restructuring, write-off or refund.</param>
/// <param name="Id">The transaction's id.</param>
/// <param name="ValueDate">The day it counts from.</param>
/// <param name="Amount">The yuan it moved (for a restructuring: 0, its terms move what is owed).</param>
/// <param name="Installment">For a charge: the installment it was charged to.</param>
/// <param name="Reverses">For a charge reversal: the charge it takes back.</param>
public sealed record LedgerEntryView(int Sequence, string Kind, string Id, DateOnly ValueDate, decimal Amount, int? Installment = null, string? Reverses = null);

/// <summary>A repayment as posted: its reference, amount, date and (for a prepayment) mode.</summary>
public sealed record RepaymentBody(string? Reference, decimal? Amount, DateOnly? PaidOn, string? Mode = null);

/// <summary>An offline payment staff propose to record: the payment and whether it is a prepayment.</summary>
public sealed record OfflinePayment(RepaymentBody Payment, bool Prepayment);

/// <summary>A repayment's result: how it was applied, and the loan after it.</summary>
public sealed record RepaymentResult(string Reference, decimal Amount, DateOnly PaidOn, IReadOnlyList<AllocationLine> AppliedTo, decimal ToCredit, LoanView Loan);

/// <summary>What a payoff on a date would take.</summary>
public sealed record PayoffAnswer(string LoanId, DateOnly Date, decimal Due, decimal PrincipalNotYetDue, decimal AccruedInterest, decimal PrepaymentFee,
    decimal Credit, decimal Owed, decimal Total, decimal Refund);

/// <summary>
/// A borrower's loans: reading one (schedule, balances and days past due as of today in Asia/Shanghai) or all of a
/// customer's, payoff quotes, and recording repayments and prepayments (idempotent by payment reference, allocated by
/// the lending ledger's waterfall, two at once both applied in order under the loan's ETag) once they are confirmed:
/// by the provider (<see cref="Payments.PaymentDesk"/>) or by two staff (an offline payment). Applicants see only
/// their own (anyone else's reads as missing); staff see all.
/// </summary>
public sealed class LoanServicing(IDocumentStore<Loan> loans, LoanChanges changes, ConflictOfInterest conflicts, TimeProvider clock)
{
    /// <summary>The prepayment modes as the API names them (staff offline prepayments and borrowers' payments alike).</summary>
    public static IReadOnlyDictionary<string, PrepaymentMode> PrepaymentModes { get; } =
        new Dictionary<string, PrepaymentMode> { ["reduce-term"] = PrepaymentMode.ReduceTerm, ["reduce-installment"] = PrepaymentMode.ReduceInstallment };

    public async Task<Result<LoanView>> GetAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        await FindAsync(caller, id, cancellationToken) is { } loan ? Result<LoanView>.Ok(View(loan)) : Result<LoanView>.NotFound($"There is no loan {id}.");

    /// <summary>Every entry of the loan's ledger, in the order recorded (which is the order it replays in).</summary>
    public async Task<Result<IReadOnlyList<LedgerEntryView>>> LedgerAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, id, cancellationToken) is not { Schedule: not null } loan)
        {
            return Result<IReadOnlyList<LedgerEntryView>>.NotFound($"There is no loan {id}.");
        }

        return Result<IReadOnlyList<LedgerEntryView>>.Ok(Ledger(loan).Transactions.Select(t => t switch
        {
            LoanDisbursed d => new LedgerEntryView(t.Sequence, "disbursement", t.Id, t.Date, d.Principal),
            RepaymentReceived r => new LedgerEntryView(t.Sequence, "repayment", t.Id, t.Date, r.Amount),
            PrepaymentReceived p => new LedgerEntryView(t.Sequence, "prepayment", t.Id, t.Date, p.Amount),
            ChargeAssessed c => new LedgerEntryView(t.Sequence, c.Component == Component.Penalty ? "penalty" : "fee", t.Id, t.Date, c.Amount, c.Installment),
            ChargeReversed r => new LedgerEntryView(t.Sequence, "charge-reversal", t.Id, t.Date, r.Amount, Reverses: r.ChargeId),
            PayoffReceived p => new LedgerEntryView(t.Sequence, "payoff", t.Id, t.Date, p.Amount),
            WriteOffRecorded w => new LedgerEntryView(t.Sequence, "write-off", t.Id, t.Date, w.Amount),
            CreditRefunded r => new LedgerEntryView(t.Sequence, "refund", t.Id, t.Date, r.Amount),
            _ => new LedgerEntryView(t.Sequence, "restructuring", t.Id, t.Date, 0m),
        }).ToList());
    }

    /// <summary>What the borrower consented to when accepting the loan's offer: the documents as shown, when, and on which device.</summary>
    public async Task<Result<Lending.Applications.AcceptanceConsent>> ConsentAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        await FindAsync(caller, id, cancellationToken) is { } loan
            ? loan.Consent is { } consent
                ? Result<Lending.Applications.AcceptanceConsent>.Ok(consent)
                : Result<Lending.Applications.AcceptanceConsent>.NotFound($"Loan {id} was booked before consent was recorded with acceptances.")
            : Result<Lending.Applications.AcceptanceConsent>.NotFound($"There is no loan {id}.");

    public async Task<Result<IReadOnlyList<LoanView>>> ListAsync(Caller caller, string customerId, CancellationToken cancellationToken)
    {
        if (!caller.MaySee(customerId) || !DocumentKey.IsValid(customerId))
        {
            return Result<IReadOnlyList<LoanView>>.NotFound($"There is no customer {customerId}.");
        }

        var found = await loans.ListByCustomerAsync(customerId, cancellationToken);
        return Result<IReadOnlyList<LoanView>>.Ok(found.Select(v => View(v.Document)).ToList());
    }

    /// <summary>The payoff quote on <paramref name="date"/> (yyyy-MM-dd; today when empty).</summary>
    public async Task<Result<PayoffAnswer>> PayoffQuoteAsync(Caller caller, string id, string? date, CancellationToken cancellationToken)
    {
        if (!DayText.TryParse(date, Today(), out DateOnly on))
        {
            return Result<PayoffAnswer>.Invalid("date", "date must be yyyy-MM-dd.");
        }

        if (await FindAsync(caller, id, cancellationToken) is not { Schedule: not null } loan)
        {
            return Result<PayoffAnswer>.NotFound($"There is no loan {id}.");
        }

        if (on < loan.DisbursedOn)
        {
            return Result<PayoffAnswer>.Invalid("date", $"date must not be before disbursement on {loan.DisbursedOn:yyyy-MM-dd}.");
        }

        PayoffQuote q = Ledger(loan).QuoteOn(on);
        return Result<PayoffAnswer>.Ok(new PayoffAnswer(loan.Id, q.Date, q.Due, q.PrincipalNotYetDue, q.AccruedInterest, q.PrepaymentFee, q.Credit, q.Owed, q.Total, q.Refund));
    }

    /// <summary>
    /// Staff propose recording an offline payment (a bank transfer, by its bank reference) as a repayment or, with
    /// <paramref name="prepayment"/>, a prepayment; a second person approves it (<see cref="OfflinePaymentPower"/>).
    /// Borrowers never declare payments: theirs come from the provider (<c>POST /api/loans/{id}/payments</c>).
    /// </summary>
    public async Task<Result<Proposal<RepaymentResult>>> ProposeOfflineAsync(Caller maker, string id, RepaymentBody body, bool prepayment, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        if (!maker.Is(Roles.Reviewer))
        {
            return Result<Proposal<RepaymentResult>>.Forbidden("Borrowers pay through POST /api/loans/{id}/payments; recording an offline payment is for staff, under four eyes.");
        }

        if (CustomerScopedId.CustomerOf(id) is { } owner && await conflicts.IsOwnAsync(maker.Subject, owner, cancellationToken))
        {
            return Result<Proposal<RepaymentResult>>.Forbidden("No one records a payment on their own loan.");
        }

        Result<(string CustomerId, RecordedRepayment Repayment)> prepared = Prepare(id, body, prepayment);
        if (!prepared.Succeeded)
        {
            return prepared.As<Proposal<RepaymentResult>>();
        }

        (string customerId, RecordedRepayment repayment) = prepared.Value;
        if ((await loans.FindAsync(customerId, id, cancellationToken))?.Document is not { Schedule: not null } loan)
        {
            return Result<Proposal<RepaymentResult>>.NotFound($"There is no loan {id}.");
        }

        if (Earlier(loan, repayment) is { } earlier)
        {
            return earlier.Succeeded ? Result<Proposal<RepaymentResult>>.Ok(new(earlier.Value!.Value, null)) : earlier.As<Proposal<RepaymentResult>>();
        }

        if (repayment.PaidOn < ValueDating.EarliestValueDate(loan.ProductTerms(), Today()))
        {
            return Result<Proposal<RepaymentResult>>.Invalid("paidOn",
                $"paidOn must be between {ValueDating.EarliestValueDate(loan.ProductTerms(), Today()):yyyy-MM-dd} ({loan.ProductTerms().MaxBackdatedDays} days back, the product's bound) and today.");
        }

        Result<StaffRequest> proposed = await fourEyes.ProposeAsync(maker, StaffPower.OfflinePayment, id,
            JsonSerializer.Serialize(new OfflinePayment(body with { PaidOn = repayment.PaidOn }, prepayment), StaffRequest.PayloadJson), cancellationToken);
        return proposed.Succeeded ? Result<Proposal<RepaymentResult>>.Ok(new(null, proposed.Value)) : proposed.As<Proposal<RepaymentResult>>();
    }

    /// <summary>Records an offline payment <paramref name="proposedBy"/> proposed and <paramref name="approvedBy"/> approved (checked again against the loan as it is now).</summary>
    public async Task<Result<Recorded<RepaymentResult>>> RecordOfflineAsync(string proposedBy, string approvedBy, string id, OfflinePayment payment, IRepaymentLifecycle lifecycle, CancellationToken cancellationToken)
    {
        if (CustomerScopedId.CustomerOf(id) is { } customer && await conflicts.IsOwnByAnyAsync([proposedBy, approvedBy], customer, cancellationToken))
        {
            return Result<Recorded<RepaymentResult>>.Forbidden("No one records a payment on their own loan.");
        }

        Result<(string CustomerId, RecordedRepayment Repayment)> prepared = Prepare(id, payment.Payment, payment.Prepayment);
        return prepared.Succeeded
            ? await RecordAsync(prepared.Value.CustomerId, id, prepared.Value.Repayment, lifecycle, cancellationToken)
            : prepared.As<Recorded<RepaymentResult>>();
    }

    /// <summary>
    /// Applies a confirmed repayment to the loan's ledger (idempotent by its reference: the same payment again is
    /// answered again, another under its reference refused) and tells the loan's lifecycle. Two at once are both
    /// applied, in order, under the loan's ETag.
    /// </summary>
    /// <remarks>
    /// With <paramref name="valueDateAsReported"/> (a provider's report) a value date further back than the loan's
    /// product allows counts from as far back as it allows; otherwise such a payment is refused.
    /// </remarks>
    public async Task<Result<Recorded<RepaymentResult>>> RecordAsync(string customerId, string id, RecordedRepayment repayment, IRepaymentLifecycle lifecycle, CancellationToken cancellationToken,
        bool valueDateAsReported = false)
    {
        while (true)
        {
            Versioned<Loan>? current = await loans.FindAsync(customerId, id, cancellationToken);
            if (current?.Document is not { Schedule: not null } loan)
            {
                return Result<Recorded<RepaymentResult>>.NotFound($"There is no loan {id}.");
            }

            if (valueDateAsReported && ValueDating.EarliestValueDate(loan.ProductTerms(), LenderCalendar.DateOf(repayment.RecordedAt)) is var earliest && repayment.PaidOn < earliest)
            {
                repayment = repayment with { PaidOn = earliest };
            }

            if (Earlier(loan, repayment) is { } earlier)
            {
                return earlier;
            }

            Outcome<RepaymentRecorded> recorded = LoanRepayments.Record(loan, repayment);
            if (!recorded.Succeeded)
            {
                return recorded.Errors.Any(e => e.Rule == "loan-open")
                    ? Result<Recorded<RepaymentResult>>.Conflict(recorded.Errors[0].Message)
                    : Result<Recorded<RepaymentResult>>.Invalid(recorded.Errors.Select(e => e.Field == "id" ? e with { Field = "reference" } : e.Field == "date" ? e with { Field = "paidOn" } : e).ToList());
            }

            Loan updated = recorded.Value!.Loan;
            if (!await changes.TryWriteAsync(current, updated, cancellationToken))
            {
                continue; // another repayment landed first: apply this one after it
            }

            await lifecycle.LoanChangedAsync(id, cancellationToken);
            return Result<Recorded<RepaymentResult>>.Ok(new(ResultOf(updated, repayment, recorded.Value.Ledger), Created: true));
        }
    }

    /// <summary>The loan's position as the borrower's payments need it: what is due now and what paying off would take, today.</summary>
    public async Task<Result<(Loan Loan, decimal DueNow, PayoffQuote Payoff)>> PositionAsync(string customerId, string id, CancellationToken cancellationToken)
    {
        if ((await loans.FindAsync(customerId, id, cancellationToken))?.Document is not { Schedule: not null } loan)
        {
            return Result<(Loan, decimal, PayoffQuote)>.NotFound($"There is no loan {id}.");
        }

        DateOnly today = Today();
        LoanLedger ledger = Ledger(loan);
        return Result<(Loan, decimal, PayoffQuote)>.Ok((loan, DueOn(ledger.PositionOn(today), today), ledger.QuoteOn(today)));
    }

    /// <summary>What is due on <paramref name="day"/>: every installment falling due by then, less what was paid on it.</summary>
    static decimal DueOn(LoanPosition position, DateOnly day) => position.Balances.Where(b => b.DueDate <= day).Sum(b => b.Total);

    /// <summary>The same payment recorded before (answered again), another under its reference (refused), or null when it is new.</summary>
    Result<Recorded<RepaymentResult>>? Earlier(Loan loan, RecordedRepayment repayment) =>
        (loan.Repayments ?? []).FirstOrDefault(r => r.Reference == repayment.Reference) is not { } earlier ? null
        : earlier.Amount == repayment.Amount && earlier.PaidOn == repayment.PaidOn && earlier.Prepayment == repayment.Prepayment
            ? Result<Recorded<RepaymentResult>>.Ok(new(ResultOf(loan, earlier), Created: false))
            : Result<Recorded<RepaymentResult>>.Conflict($"Payment reference {repayment.Reference} was recorded with another amount or date.");

    Result<(string CustomerId, RecordedRepayment Repayment)> Prepare(string id, RepaymentBody body, bool prepayment)
    {
        if (CustomerScopedId.CustomerOf(id) is not { } customerId)
        {
            return Result<(string, RecordedRepayment)>.NotFound($"There is no loan {id}.");
        }

        DateOnly today = Today();
        (IReadOnlyList<DomainError> errors, PrepaymentMode? mode) = Check(body, prepayment, today);
        return errors.Count > 0
            ? Result<(string, RecordedRepayment)>.Invalid(errors)
            : Result<(string, RecordedRepayment)>.Ok((customerId, new RecordedRepayment(body.Reference!, body.PaidOn ?? today, body.Amount!.Value, clock.GetUtcNow(), mode)));
    }

    static (IReadOnlyList<DomainError> Errors, PrepaymentMode? Mode) Check(RepaymentBody body, bool prepayment, DateOnly today)
    {
        var errors = new List<DomainError>();
        if (body.Reference is not { Length: > 0 } reference || !DocumentKey.IsValid(reference))
        {
            errors.Add(new("reference", "required", "reference is the payment's reference: 1 to 128 letters, digits, '-', '_' or '.'."));
        }

        if (body.Amount is not { } amount || amount <= 0 || decimal.Round(amount, 2) != amount)
        {
            errors.Add(new("amount", "positive-fen", "amount is required: more than 0 yuan, to the fen."));
        }

        if (body.PaidOn is { } date && date > today)
        {
            errors.Add(new("paidOn", "within-bounds", $"paidOn must be today ({today:yyyy-MM-dd}) or earlier (as far back as the loan's product allows)."));
        }

        PrepaymentMode? mode = null;
        if (prepayment)
        {
            if (body.Mode is { } m && PrepaymentModes.TryGetValue(m, out PrepaymentMode known))
            {
                mode = known;
            }
            else
            {
                errors.Add(new("mode", "allowed-values", $"mode must be one of {string.Join(", ", PrepaymentModes.Keys)}."));
            }
        }

        return (errors, mode);
    }

    async Task<Loan?> FindAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        CustomerScopedId.CustomerOf(id) is { } customerId && caller.MaySee(customerId)
            ? (await loans.FindAsync(customerId, id, cancellationToken))?.Document
            : null;

    RepaymentResult ResultOf(Loan loan, RecordedRepayment repayment, LoanLedger? replayed = null)
    {
        LoanLedger ledger = replayed ?? Ledger(loan);
        LoanPosition position = ledger.PositionOn(Today() < repayment.PaidOn ? repayment.PaidOn : Today());
        AppliedRepayment applied = position.Applied.Single(a => a.TransactionId == repayment.TransactionId);
        return new RepaymentResult(repayment.Reference, repayment.Amount, repayment.PaidOn, applied.Lines, applied.ToCredit, View(loan, ledger));
    }

    static LoanLedger Ledger(Loan loan) => LoanSweep.LedgerOf(loan, loan.ProductTerms());

    DateOnly Today() => LenderCalendar.Today(clock);

    /// <summary>The borrower's view of a loan; <paramref name="ledger"/> when the caller has already replayed it.</summary>
    LoanView View(Loan loan, LoanLedger? ledger = null)
    {
        DateOnly today = Today();
        LoanProduct product = loan.ProductTerms();
        if (loan.Schedule is not { } schedule)
        {
            return new LoanView(loan.Id, loan.CustomerId, loan.ApplicationId, loan.Status.ToString(), loan.ProductCode, loan.Principal, loan.DisbursedOn,
                0, today, loan.Principal, 0, 0, product.Delinquency.Buckets[0].Name, [], product);
        }

        if (!loan.IsPaidOut)
        {
            // Waiting for its payout, or cancelled when the payout failed: nothing was lent, so nothing is owed or late.
            return new LoanView(loan.Id, loan.CustomerId, loan.ApplicationId, loan.Status.ToString(), loan.ProductCode, loan.Principal, loan.DisbursedOn,
                schedule.Apr, today, 0, 0, 0, product.Delinquency.Buckets[0].Name, loan.Status == LoanStatus.Cancelled ? [] : schedule.Installments, product);
        }

        ledger ??= Ledger(loan);
        LoanPosition position = ledger.PositionOn(today);
        DelinquencyStatus arrears = Arrears.Assess(position, product.Delinquency);
        return new LoanView(loan.Id, loan.CustomerId, loan.ApplicationId, loan.Status.ToString(), loan.ProductCode, loan.Principal, loan.DisbursedOn,
            schedule.Apr, today, position.PrincipalOutstanding, DueOn(position, today),
            arrears.DaysPastDue, arrears.Bucket.Name, ledger.ScheduleOn(today), product);
    }
}
