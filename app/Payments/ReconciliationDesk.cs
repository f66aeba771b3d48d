using JisuDai.App.Results;
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
/// (<see cref="SettlementMatching"/>) against our books: payments the provider confirmed (by the date they were paid)
/// and loans paid out (by their payout's value date). Each finding is kept in the day's report and raised as a staff
/// alert; nothing is recorded from the statement (a payment missing on our side is for two staff to resolve). A
/// payout on the statement that no paid-out loan holds is found here.
/// </summary>
public sealed class ReconciliationDesk(IPaymentProvider provider, IDocumentStore<Payment> payments, IDocumentStore<Loan> loans, IReconciliationReports reports,
    IStaffAlerts alerts, TimeProvider clock, ILogger<ReconciliationDesk> logger)
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
            if (p.Document is { Status: PaymentStatus.Succeeded or PaymentStatus.Unapplied, PaidAt: { } paidAt, AmountPaid: { } paid } payment)
            {
                booked.Add(new BookedMovement(MovementKind.Payment, payment.OrderNo, paid, LenderCalendar.DateOf(paidAt), payment.Id));
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
}
