using JisuDai.App.Loans;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Payments;

/// <summary>A day's reconciliation: how many lines each side had, how many matched, and every finding.</summary>
public sealed record ReconciliationReport(DateOnly Date, int StatementLines, int BookedMovements, int Matched, IReadOnlyList<ReconciliationFinding> Findings, DateTimeOffset At);

/// <summary>Where each day's reconciliation report is kept (run again, it is replaced).</summary>
public interface IReconciliationReports
{
    Task SaveAsync(ReconciliationReport report, CancellationToken cancellationToken);

    Task<ReconciliationReport?> FindAsync(DateOnly date, CancellationToken cancellationToken);
}

/// <summary>
/// The daily reconciliation: the provider's settlement statement for a day matched line by line
/// (<see cref="SettlementMatching"/>) against our books: payments the provider confirmed (by the date they were paid),
/// refunds it made (by the date the money went back) and loans paid out (by their payout's value date); a refund owed
/// and not finished is asked about on the way. Each finding is kept in the day's report and raised as a staff
/// alert; nothing is recorded from the statement (a payment missing on our side is for two staff to resolve). A
/// payout on the statement that no paid-out loan holds is found here.
/// </summary>
public sealed class ReconciliationDesk(IPaymentProvider provider, IDocumentStore<Payment> payments, IDocumentStore<Loan> loans, IReconciliationReports reports,
    PaymentDesk desk, RefundDesk refunds, IStaffAlerts alerts, ConflictOfInterest conflicts, TimeProvider clock, ILogger<ReconciliationDesk> logger)
{
    /// <summary>Reconciles <paramref name="date"/> (a day that has ended) and keeps the report.</summary>
    public async Task<Result<ReconciliationReport>> RunAsync(DateOnly date, CancellationToken cancellationToken)
    {
        if (date >= LenderCalendar.Today(clock))
        {
            return Result<ReconciliationReport>.Invalid("date", $"date must be a day that has ended (before {LenderCalendar.Today(clock):yyyy-MM-dd}).");
        }

        IReadOnlyList<SettlementLine> statement = await provider.StatementAsync(date, cancellationToken);
        var booked = new List<BookedMovement>();
        await foreach (Versioned<Payment> p in payments.ScanAsync(cancellationToken))
        {
            Payment payment = p.Document;
            if (payment is { RefundOwed: > 0, Refund: null or { Status: RefundStatus.Pending } })
            {
                // A refund owed whose request or notification was lost is asked (again) here, once a day.
                payment = await refunds.EnsureAsync(p, cancellationToken);
            }

            if (payment is { Status: PaymentStatus.Succeeded or PaymentStatus.Unapplied or PaymentStatus.Refunded, PaidAt: { } paidAt, AmountPaid: { } paid })
            {
                booked.Add(new BookedMovement(MovementKind.Payment, payment.OrderNo, paid, LenderCalendar.DateOf(paidAt), payment.Id));
            }

            if (payment.Refund is { Status: RefundStatus.Succeeded, RefundedAt: { } refundedAt } refund)
            {
                booked.Add(new BookedMovement(MovementKind.Refund, refund.RefundNo, refund.Amount, LenderCalendar.DateOf(refundedAt), payment.Id));
            }
        }

        int scanned = 0;
        await foreach (Versioned<Loan> l in loans.ScanAsync(cancellationToken))
        {
            if (++scanned % 100_000 == 0)
            {
                logger.LogInformation("Reconciling {Date}: {Loans} loans read", date, scanned);
            }

            if (l.Document is { PayoutTransferId: { } transferId, PaidOut: { } paidOut } loan && loan.IsPaidOut)
            {
                booked.Add(new BookedMovement(MovementKind.Payout, transferId, paidOut, loan.DisbursedOn, loan.Id));
            }
        }

        (int matched, IReadOnlyList<ReconciliationFinding> findings) = SettlementMatching.Match(date, statement, booked);
        var report = new ReconciliationReport(date, statement.Count, booked.Count(b => b.On == date), matched, findings, clock.GetUtcNow());
        await reports.SaveAsync(report, cancellationToken);
        foreach (ReconciliationFinding finding in findings)
        {
            await alerts.RaiseAsync(new StaffAlert($"reconciliation-{date:yyyyMMdd}-{finding.Issue}-{finding.Reference}", $"reconciliation-{finding.Issue}", finding.Reference,
                $"{date:yyyy-MM-dd}: {finding.Detail}", clock.GetUtcNow()), cancellationToken);
        }

        logger.LogInformation("Reconciled {Date}: {Lines} statement lines, {Matched} matched, {Findings} findings", date, statement.Count, matched, findings.Count);
        return Result<ReconciliationReport>.Ok(report);
    }

    /// <summary>The report of <paramref name="date"/>, once reconciled.</summary>
    public async Task<Result<ReconciliationReport>> GetAsync(DateOnly date, CancellationToken cancellationToken) =>
        await reports.FindAsync(date, cancellationToken) is { } report
            ? Result<ReconciliationReport>.Ok(report)
            : Result<ReconciliationReport>.NotFound($"{date:yyyy-MM-dd} has not been reconciled.");

    /// <summary>
    /// Staff propose recording a payment the day's statement shows and our books do not (a <see cref="ReconciliationIssue.MissingOurs"/>
    /// finding): the provider must report the order paid, and, when no payment of ours holds it, the proposal names the
    /// loan it pays. A second person approves it (<see cref="ReconciliationResolutionPower"/>); nothing is recorded from
    /// the statement alone.
    /// </summary>
    public async Task<Result<StaffRequest>> ProposeResolutionAsync(Caller maker, DateOnly date, string reference, ResolutionBody body, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        Result<(CollectionStatus Paid, string LoanId)> checkedFinding = await CheckAsync(date, reference, body, cancellationToken);
        if (!checkedFinding.Succeeded)
        {
            return checkedFinding.As<StaffRequest>();
        }

        if (CustomerScopedId.CustomerOf(checkedFinding.Value.LoanId) is { } owner && await conflicts.IsOwnAsync(maker.Subject, owner, cancellationToken))
        {
            return Result<StaffRequest>.Forbidden("No one records a payment on their own loan.");
        }

        return await fourEyes.ProposeAsync(maker, StaffPower.ReconciliationResolution, $"{date:yyyy-MM-dd}/{reference}",
            System.Text.Json.JsonSerializer.Serialize(new Resolution(date, reference, checkedFinding.Value.LoanId), StaffRequest.PayloadJson), cancellationToken);
    }

    /// <summary>Carries out an approved resolution, checked again (and never on the proposer's or the approver's own loan): the payment made (or found) and applied to its loan.</summary>
    public async Task<Result<object>> ResolveAsync(StaffRequest request, Caller approver, IRepaymentLifecycle lifecycle, CancellationToken cancellationToken)
    {
        Resolution resolution = System.Text.Json.JsonSerializer.Deserialize<Resolution>(request.Payload, StaffRequest.PayloadJson)!;
        Result<(CollectionStatus Paid, string LoanId)> checkedFinding = await CheckAsync(resolution.Date, resolution.Reference, new ResolutionBody(resolution.LoanId), cancellationToken);
        if (!checkedFinding.Succeeded)
        {
            return checkedFinding.As<object>();
        }

        if (CustomerScopedId.CustomerOf(checkedFinding.Value.LoanId) is { } customer && await conflicts.IsOwnByAnyAsync([request.ProposedBy, approver.Subject], customer, cancellationToken))
        {
            return Result<object>.Forbidden("No one records a payment on their own loan.");
        }

        Result<Payment> adopted = await desk.AdoptAsync(checkedFinding.Value.Paid, checkedFinding.Value.LoanId, lifecycle, cancellationToken);
        return adopted.Succeeded ? Result<object>.Ok(PaymentView.Of(adopted.Value!)) : adopted.As<object>();
    }

    async Task<Result<(CollectionStatus Paid, string LoanId)>> CheckAsync(DateOnly date, string reference, ResolutionBody body, CancellationToken cancellationToken)
    {
        if (await reports.FindAsync(date, cancellationToken) is not { } report)
        {
            return Result<(CollectionStatus, string)>.NotFound($"{date:yyyy-MM-dd} has not been reconciled.");
        }

        if (!report.Findings.Any(f => f.Issue == ReconciliationIssue.MissingOurs && f.Kind == MovementKind.Payment && f.Reference == reference))
        {
            return Result<(CollectionStatus, string)>.NotFound($"The reconciliation of {date:yyyy-MM-dd} found no payment {reference} missing from our books.");
        }

        if (await provider.FindCollectionAsync(reference, cancellationToken) is not { State: ProviderState.Succeeded } paid)
        {
            return Result<(CollectionStatus, string)>.Conflict($"The provider does not report order {reference} paid; there is nothing to record.");
        }

        string? loanId = (await desk.FindByOrderAsync(paid.OrderNo, paid.CustomerId, cancellationToken))?.Document.LoanId ?? body.LoanId;
        if (loanId is null || CustomerScopedId.CustomerOf(loanId) is not { } customerId || await loans.FindAsync(customerId, loanId, cancellationToken) is null)
        {
            return Result<(CollectionStatus, string)>.Invalid("loanId", "loanId must name the loan the payment is for: no payment of ours holds this order.");
        }

        return Result<(CollectionStatus, string)>.Ok((paid, loanId));
    }
}

/// <summary>A resolution's body: the loan a payment is for, when no payment of ours holds it.</summary>
public sealed record ResolutionBody(string? LoanId);

/// <summary>A resolution as proposed: the day, the order, and the loan.</summary>
public sealed record Resolution(DateOnly Date, string Reference, string LoanId);

/// <summary>Recording a payment the statement shows and our books did not: proposed by staff (reviewer), approved by an admin who is not the proposer.</summary>
public sealed class ReconciliationResolutionPower(ReconciliationDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.ReconciliationResolution;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Reviewer];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken) =>
        desk.ResolveAsync(request, approver, context.Lifecycle, cancellationToken);
}
