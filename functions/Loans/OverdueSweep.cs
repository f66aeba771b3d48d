using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using Microsoft.Extensions.Logging;

namespace JisuDai.Functions.Loans;

/// <summary>What a sweep did.</summary>
public sealed record SweepSummary(DateOnly Day, int Loans, int Changed, int Overdue, int Charges);

/// <summary>
/// The overdue sweep: for every booked loan, brings it up to the end of the day (penalty interest, late fees, days
/// past due, status) under its ETag. Loans come from a scan of the loan store, a page at a time, and are swept many at
/// once across customers' partitions; a loan whose ETag moved meanwhile (a repayment landed) is read again and swept
/// as it is now. Reminders are not sent here but by each loan's repayment lifecycle (RepaymentOrchestrator), at a
/// civil hour.
/// Each loan records the day it was swept, so running the sweep twice in a day changes nothing and a sweep that died
/// halfway, run again, finishes the rest exactly once. Events the sweep raises (LoanOverdue, LoanCured, LoanPaidOff)
/// are written with the loan and then copied to the outbox; events any writer raised that may not have reached the
/// outbox (a crash between the two writes) are copied again here, which is why every loan is read each day.
/// Progress goes to the log.
/// </summary>
public sealed class OverdueSweep(IDocumentStore<Loan> loans, Events.LoanEventOutbox outbox, Azure.Data.Tables.TableServiceClient tables, ILogger<OverdueSweep> logger)
{
    static readonly HashSet<LoanEventType> SweepEvents = [LoanEventType.LoanOverdue, LoanEventType.LoanCured, LoanEventType.LoanPaidOff];
    readonly Storage.OnceCreatedTable progress = new(tables, "sweeps");

    /// <summary>Loans in flight at once: each is a replay and a write, so overlapping many keeps storage busy.</summary>
    const int LoansAtOnce = 32;

    /// <summary>Sweeps every loan for <paramref name="day"/>; <paramref name="swept"/> is told after each loan (tests use it to stop halfway).</summary>
    public async Task<SweepSummary> RunAsync(DateOnly day, CancellationToken cancellationToken, Action<int>? swept = null)
    {
        int total = 0, changed = 0, overdue = 0, charges = 0;
        var raised = new System.Collections.Concurrent.ConcurrentQueue<LoanEventRecord>();
        DateOnly? completed = await LastCompletedAsync(cancellationToken);
        logger.LogInformation("Overdue sweep for {Day:yyyy-MM-dd} started (last completed: {Completed}).", day, completed?.ToString("yyyy-MM-dd") ?? "none");
        await Parallel.ForEachAsync(loans.ScanAsync(cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = LoansAtOnce, CancellationToken = cancellationToken },
            async (scanned, ct) =>
            {
                (bool c, bool o, int n) = await SweepAsync(scanned, day, completed, raised, ct);
                int done = Interlocked.Increment(ref total);
                Interlocked.Add(ref changed, c ? 1 : 0);
                Interlocked.Add(ref overdue, o ? 1 : 0);
                Interlocked.Add(ref charges, n);
                swept?.Invoke(done);
                if (done % 1000 == 0)
                {
                    logger.LogInformation("Overdue sweep for {Day:yyyy-MM-dd}: {Done} loans so far.", day, done);
                }
            });
        // The day's new events go to the outbox in batches. They were marked as copied in their loans' writes, so a sweep
        // that stops before this is caught by the completion mark: the next sweep copies again every event a sweep raised
        // after the last completed day.
        await outbox.AddAsync(raised, cancellationToken);
        await MarkCompletedAsync(completed is { } c && c > day ? c : day, cancellationToken);
        var summary = new SweepSummary(day, total, changed, overdue, charges);
        logger.LogInformation("Overdue sweep for {Day:yyyy-MM-dd} done: {Loans} loans, {Changed} brought up to date, {Overdue} overdue, {Charges} charges.",
            day, summary.Loans, summary.Changed, summary.Overdue, summary.Charges);
        return summary;
    }

    async Task<(bool Changed, bool Overdue, int Charges)> SweepAsync(Versioned<Loan> scanned, DateOnly day, DateOnly? completed,
        System.Collections.Concurrent.ConcurrentQueue<LoanEventRecord> raised, CancellationToken cancellationToken)
    {
        foreach (LoanEventRecord e in (scanned.Document.Events ?? []).Take(scanned.Document.EventsInOutbox).Where(e => SweepEvents.Contains(e.Type) && !(e.On <= completed)))
        {
            raised.Enqueue(e); // raised by a sweep that may have stopped before copying it
        }

        Versioned<Loan>? current = scanned;
        while (true)
        {
            if (current is null)
            {
                return (false, false, 0);
            }

            Loan loan = current.Document;
            SweepResult result = LoanSweep.Sweep(loan, LoanSweep.ProductOf(loan), day);
            List<LoanEventRecord> uncopied = loan.EventsNotInOutbox().ToList();
            if (!result.Changed && uncopied.Count == 0)
            {
                return (false, loan.Status == LoanStatus.Overdue, 0);
            }

            // Events other writers raised are facts already: copy them before the write that records they were copied.
            // The sweep's own new events are marked in the same write and copied in a batch at the end of the run.
            await outbox.AddAsync(uncopied, cancellationToken);
            Loan updated = result.Loan with { EventsInOutbox = result.Loan.Events?.Count ?? 0 };
            try
            {
                await loans.ReplaceAsync(updated, current.ETag, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                // A repayment landed meanwhile: sweep the loan as it is now.
                current = await loans.FindAsync(loan.CustomerId, loan.Id, cancellationToken);
                continue;
            }

            foreach (LoanEventRecord e in (updated.Events ?? []).Skip(loan.Events?.Count ?? 0))
            {
                raised.Enqueue(e);
            }

            if (!result.Changed)
            {
                return (false, loan.Status == LoanStatus.Overdue, 0);
            }

            return (true, result.Status!.DaysPastDue > 0, result.NewCharges.Count);
        }
    }

    async Task<DateOnly?> LastCompletedAsync(CancellationToken cancellationToken)
    {
        Azure.Data.Tables.TableClient table = await progress.GetAsync(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("overdue", "last-completed", cancellationToken: cancellationToken);
        return row.HasValue && DateOnly.TryParseExact(row.Value!.GetString("Day"), "yyyy-MM-dd", out DateOnly day) ? day : null;
    }

    async Task MarkCompletedAsync(DateOnly day, CancellationToken cancellationToken)
    {
        Azure.Data.Tables.TableClient table = await progress.GetAsync(cancellationToken);
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("overdue", "last-completed") { ["Day"] = day.ToString("yyyy-MM-dd") },
            Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
    }
}
