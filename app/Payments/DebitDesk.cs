using System.Security.Cryptography;
using System.Text;
using JisuDai.App.Loans;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Payments;

/// <summary>A debit agreement as its borrower sees it, with what their payment app signs it with (<see cref="SigningId"/>).</summary>
public sealed record DebitAgreementView(
    string Id, string LoanId, DebitAgreementStatus Status, string ContractCode, string? SigningId, DateTimeOffset CreatedAt, DateTimeOffset? SignedAt,
    DateTimeOffset? TerminatedAt, string? TerminatedBy)
{
    public static DebitAgreementView Of(DebitAgreement a) => new(a.Id, a.LoanId, a.Status, a.ContractCode, a.SigningId, a.CreatedAt, a.SignedAt, a.TerminatedAt, a.TerminatedBy);
}

/// <summary>What one day's debit did: asked, or why not.</summary>
/// <param name="PaymentId">The debit's payment, when one was asked for.</param>
/// <param name="Skipped">Why none was, when none was.</param>
public sealed record DebitAttempt(string? PaymentId, string? Skipped);

/// <summary>
/// Automatic debit (委托代扣). The borrower signs a debit agreement for a loan in their payment app, when accepting the
/// offer or later; on the installment's due date, and on the retry days after a failed debit, the repayment lifecycle
/// asks here to debit what is due. A debit is a <see cref="Payment"/> of channel <see cref="PaymentChannel.Debit"/>,
/// applied to the ledger like any payment once the provider confirms it; a refused one is <see cref="PaymentStatus.Failed"/>.
/// Each debit asked and each failure is raised on the loan (DebitRequested, DebitFailed), so the loan's history shows
/// every attempt and its result. Nothing is debited under an agreement not signed, or ended by the borrower (in their
/// payment app or here) or by us at payoff.
/// </summary>
public sealed class DebitDesk(
    IDocumentStore<DebitAgreement> agreements, IDocumentStore<Payment> payments, IDocumentStore<Loan> loans, LoanChanges changes, IPaymentProvider provider,
    PaymentSettings settings, TimeProvider clock, ILogger<DebitDesk> logger)
{
    /// <summary>The agreement of a loan: one per loan, named after the loan's application (<c>da</c> and its unique part).</summary>
    public static string ContractCodeOf(string loanId) => "da" + loanId["loan-".Length..loanId.IndexOf('.')];

    /// <summary>Makes the debit agreement of the loan of application <paramref name="applicationId"/> for its borrower to sign, or answers the one made before.</summary>
    public async Task<Result<Recorded<DebitAgreementView>>> SignAsync(Caller caller, string customerId, string applicationId, CancellationToken cancellationToken)
    {
        if (caller.Subject != customerId || !caller.Roles.Contains(Roles.Applicant))
        {
            return Result<Recorded<DebitAgreementView>>.Forbidden("A debit agreement is signed by its borrower.");
        }

        if (!settings.TakesDebitAgreements)
        {
            return Result<Recorded<DebitAgreementView>>.Conflict("This lender takes no debit agreements (no debit plan is configured: Payments:DebitPlanId).");
        }

        string loanId = $"loan-{applicationId}";
        string code = ContractCodeOf(loanId);
        string id = CustomerScopedId.Compose(code, customerId);
        bool created = false;
        Versioned<DebitAgreement>? stored = await agreements.FindAsync(customerId, id, cancellationToken);
        if (stored is null)
        {
            try
            {
                stored = await agreements.CreateAsync(new DebitAgreement(id, customerId, applicationId, loanId, code, DebitAgreementStatus.Pending, clock.GetUtcNow()), cancellationToken);
                created = true;
            }
            catch (DocumentAlreadyExistsException)
            {
                stored = (await agreements.FindAsync(customerId, id, cancellationToken))!;
            }
        }

        // The provider's contract is made after ours is stored, under our code, so a retry after a crash makes it once.
        while (stored.Document is { Status: DebitAgreementStatus.Pending, SigningId: null } pending)
        {
            string signingId = await provider.CreateAgreementAsync(new AgreementOrder(code, customerId, $"JisuDai loan {loanId}"), cancellationToken);
            try
            {
                stored = await agreements.ReplaceAsync(pending with { SigningId = signingId }, stored.ETag, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                stored = (await agreements.FindAsync(customerId, id, cancellationToken))!;
            }
        }

        return Result<Recorded<DebitAgreementView>>.Ok(new(DebitAgreementView.Of(stored.Document), created));
    }

    /// <summary>The borrower signs a debit agreement for an open loan they accepted without one (or answers the one made before).</summary>
    public async Task<Result<Recorded<DebitAgreementView>>> SignForLoanAsync(Caller caller, string loanId, CancellationToken cancellationToken)
    {
        if (CustomerScopedId.CustomerOf(loanId) is not { } customerId || !caller.MaySee(customerId) || !loanId.StartsWith("loan-", StringComparison.Ordinal) ||
            await loans.FindAsync(customerId, loanId, cancellationToken) is not { } loan)
        {
            return Result<Recorded<DebitAgreementView>>.NotFound($"There is no loan {loanId}.");
        }

        return loan.Document.IsClosed
            ? Result<Recorded<DebitAgreementView>>.Conflict($"Loan {loanId} is {loan.Document.Status}; nothing will be debited on it.")
            : await SignAsync(caller, customerId, loan.Document.ApplicationId, cancellationToken);
    }

    /// <summary>The debit agreement of loan <paramref name="loanId"/>; a pending one is asked of the provider first, so a late notification is not waited for.</summary>
    public async Task<Result<DebitAgreementView>> GetAsync(Caller caller, string loanId, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, loanId, cancellationToken) is not { } found)
        {
            return Result<DebitAgreementView>.NotFound($"Loan {loanId} has no debit agreement.");
        }

        if (found.Document is { Status: DebitAgreementStatus.Pending, SigningId: not null } pending &&
            await provider.FindAgreementAsync(pending.ContractCode, cancellationToken) is { State: not AgreementState.Pending } reported)
        {
            Result<DebitAgreement> changed = await ApplyAsync(reported with { CustomerId = pending.CustomerId }, cancellationToken);
            return changed.Succeeded ? Result<DebitAgreementView>.Ok(DebitAgreementView.Of(changed.Value!)) : changed.As<DebitAgreementView>();
        }

        return Result<DebitAgreementView>.Ok(DebitAgreementView.Of(found.Document));
    }

    /// <summary>The borrower ends their debit agreement: the provider is told first, and nothing more is debited under it.</summary>
    public async Task<Result<DebitAgreementView>> CancelAsync(Caller caller, string loanId, CancellationToken cancellationToken)
    {
        if (await FindAsync(caller, loanId, cancellationToken) is not { } found)
        {
            return Result<DebitAgreementView>.NotFound($"Loan {loanId} has no debit agreement.");
        }

        if (caller.Subject != found.Document.CustomerId)
        {
            return Result<DebitAgreementView>.Forbidden("A debit agreement is ended by its borrower (or in their payment app).");
        }

        Result<DebitAgreement> ended = await EndAsync(found.Document, "ended by the borrower", cancellationToken);
        return ended.Succeeded ? Result<DebitAgreementView>.Ok(DebitAgreementView.Of(ended.Value!)) : ended.As<DebitAgreementView>();
    }

    /// <summary>Ends the agreement of a loan nothing more is owed on (paid off): the borrower owes no more debits.</summary>
    public async Task EndAtPayoffAsync(string customerId, string loanId, CancellationToken cancellationToken)
    {
        if (await agreements.FindAsync(customerId, CustomerScopedId.Compose(ContractCodeOf(loanId), customerId), cancellationToken) is { Document.Status: not DebitAgreementStatus.Terminated } found)
        {
            await EndAsync(found.Document, "loan paid off", cancellationToken);
        }
    }

    /// <summary>A signing or termination the provider reports (a verified notification): the agreement follows it.</summary>
    public async Task<Result<string>> ReportAsync(AgreementStatus report, CancellationToken cancellationToken)
    {
        Result<DebitAgreement> applied = await ApplyAsync(report, cancellationToken);
        return applied.Succeeded ? Result<string>.Ok($"debit agreement {applied.Value!.Id} {applied.Value.Status}") : applied.As<string>();
    }

    /// <summary>
    /// The debit of what is due on an installment's due date, or on a retry day after a failed debit: asked under the
    /// loan's signed agreement, once per loan, installment and day (its order number says which), and not while another
    /// payment of the loan made in the last day is still waiting for the provider.
    /// </summary>
    public async Task<DebitAttempt> DebitAsync(string customerId, string loanId, int installment, DateOnly day, decimal dueNow, CancellationToken cancellationToken)
    {
        if (await agreements.FindAsync(customerId, CustomerScopedId.Compose(ContractCodeOf(loanId), customerId), cancellationToken) is not
            { Document: { Status: DebitAgreementStatus.Signed, ContractId: { } contractId } })
        {
            return new DebitAttempt(null, "no signed debit agreement");
        }

        if (dueNow <= 0)
        {
            return new DebitAttempt(null, "nothing due");
        }

        string orderNo = "dbt" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{loanId}\n{installment}\n{day:yyyy-MM-dd}")))[..20];
        string id = CustomerScopedId.Compose(orderNo, customerId);
        Versioned<Payment>? stored = await payments.FindAsync(customerId, id, cancellationToken);
        if (stored is null)
        {
            DateTimeOffset now = clock.GetUtcNow();
            bool waiting = (await payments.ListByCustomerAsync(customerId, cancellationToken))
                .Any(p => p.Document.LoanId == loanId && p.Document.Status == PaymentStatus.Pending && now - p.Document.CreatedAt < TimeSpan.FromDays(1));
            if (waiting)
            {
                return new DebitAttempt(null, "another payment is on its way");
            }

            try
            {
                stored = await payments.CreateAsync(new Payment(id, customerId, loanId, PaymentPurpose.Due, null, dueNow, orderNo, "debit", PaymentStatus.Pending, now,
                    PrepayId: "debit", Channel: PaymentChannel.Debit), cancellationToken);
            }
            catch (DocumentAlreadyExistsException)
            {
                stored = (await payments.FindAsync(customerId, id, cancellationToken))!;
            }
        }

        Payment debit = stored.Document;
        if (debit.Status != PaymentStatus.Pending)
        {
            return new DebitAttempt(debit.Id, null); // a retried step: the debit was asked and answered already
        }

        await RaiseAsync(customerId, loanId, LoanEventType.DebitRequested, day, debit.Amount, orderNo, cancellationToken);
        if (await provider.RequestDebitAsync(new DebitOrder(orderNo, customerId, contractId, debit.Amount, "JisuDai loan repayment"), cancellationToken) is { } refused)
        {
            logger.LogWarning("The provider refused debit {OrderNo} on loan {LoanId}: {Reason}", orderNo, loanId, refused);
            await FailAsync(stored, refused, cancellationToken);
        }

        return new DebitAttempt(debit.Id, null);
    }

    /// <summary>A debit the provider reports refused: the payment fails with the provider's reason, and the loan's history shows it.</summary>
    public async Task<Payment> FailAsync(Versioned<Payment> found, string? reason, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (found.Document.Status != PaymentStatus.Pending)
            {
                return found.Document;
            }

            // The loan's history first (once, by reference), then the payment: a payment that reads Failed has its event.
            Payment failed = found.Document with { Status = PaymentStatus.Failed, FailReason = reason ?? "refused" };
            await RaiseAsync(failed.CustomerId, failed.LoanId, LoanEventType.DebitFailed, LenderCalendar.DateOf(clock.GetUtcNow()), failed.Amount,
                $"{failed.OrderNo}: {failed.FailReason}", cancellationToken);
            try
            {
                return (await payments.ReplaceAsync(failed, found.ETag, cancellationToken)).Document;
            }
            catch (ConcurrencyConflictException)
            {
                found = (await payments.FindAsync(found.Document.CustomerId, found.Document.Id, cancellationToken))!;
            }
        }
    }

    async Task<Versioned<DebitAgreement>?> FindAsync(Caller caller, string loanId, CancellationToken cancellationToken) =>
        CustomerScopedId.CustomerOf(loanId) is { } customerId && caller.MaySee(customerId) && loanId.StartsWith("loan-", StringComparison.Ordinal)
            ? await agreements.FindAsync(customerId, CustomerScopedId.Compose(ContractCodeOf(loanId), customerId), cancellationToken)
            : null;

    async Task<Result<DebitAgreement>> EndAsync(DebitAgreement agreement, string remark, CancellationToken cancellationToken)
    {
        if (agreement.Status == DebitAgreementStatus.Terminated)
        {
            return Result<DebitAgreement>.Ok(agreement);
        }

        AgreementStatus reported = agreement.SigningId is null
            ? new AgreementStatus(agreement.ContractCode, agreement.CustomerId, null, AgreementState.Terminated, clock.GetUtcNow(), remark)
            : await provider.TerminateAgreementAsync(agreement.ContractCode, remark, cancellationToken);
        return await ApplyAsync(reported with { CustomerId = agreement.CustomerId, Detail = remark }, cancellationToken);
    }

    /// <summary>Applies the provider's report of an agreement: signed (with its contract id) or ended; an ended one stays ended.</summary>
    async Task<Result<DebitAgreement>> ApplyAsync(AgreementStatus report, CancellationToken cancellationToken)
    {
        string id = CustomerScopedId.Compose(report.ContractCode, report.CustomerId);
        if (!DocumentKey.IsValid(report.CustomerId) || !DocumentKey.IsValid(id) || await agreements.FindAsync(report.CustomerId, id, cancellationToken) is not { } found)
        {
            return Result<DebitAgreement>.Unprocessable($"The provider reports contract {report.ContractCode}, which is no debit agreement of ours.");
        }

        while (true)
        {
            DebitAgreement agreement = found.Document;
            DebitAgreement next = (report.State, agreement.Status) switch
            {
                (AgreementState.Signed, DebitAgreementStatus.Pending) when report.ContractId is { Length: > 0 } =>
                    agreement with { Status = DebitAgreementStatus.Signed, ContractId = report.ContractId, SignedAt = report.ChangedAt ?? clock.GetUtcNow() },
                (AgreementState.Terminated, not DebitAgreementStatus.Terminated) =>
                    agreement with { Status = DebitAgreementStatus.Terminated, ContractId = report.ContractId ?? agreement.ContractId, TerminatedAt = report.ChangedAt ?? clock.GetUtcNow(), TerminatedBy = report.Detail },
                _ => agreement, // a replay, or a report older than what we hold
            };
            if (next == agreement)
            {
                return Result<DebitAgreement>.Ok(agreement);
            }

            try
            {
                return Result<DebitAgreement>.Ok((await agreements.ReplaceAsync(next, found.ETag, cancellationToken)).Document);
            }
            catch (ConcurrencyConflictException)
            {
                found = (await agreements.FindAsync(report.CustomerId, id, cancellationToken))!;
            }
        }
    }

    /// <summary>Raises a debit's event on its loan, once (by type and reference), under the loan's ETag.</summary>
    async Task RaiseAsync(string customerId, string loanId, LoanEventType type, DateOnly on, decimal amount, string reference, CancellationToken cancellationToken)
    {
        while (await loans.FindAsync(customerId, loanId, cancellationToken) is { } current &&
            !(current.Document.Events ?? []).Any(e => e.Type == type && e.Reference == reference))
        {
            if (await changes.TryWriteAsync(current, current.Document.Raise(type, on, amount, reference), cancellationToken))
            {
                return;
            }
        }
    }
}
