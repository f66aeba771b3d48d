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
public sealed class OverdueSweep(IDocumentStore<Loan> loans, Events.LoanEventOutbox outbox, ILogger<OverdueSweep> logger)
{
    /// <summary>Loans in flight at once: each is a replay and a write, so overlapping many keeps storage busy.</summary>
    const int LoansAtOnce = 32;

    /// <summary>Sweeps every loan for <paramref name="day"/>; <paramref name="swept"/> is told after each loan (tests use it to stop halfway).</summary>
    public async Task<SweepSummary> RunAsync(DateOnly day, CancellationToken cancellationToken, Action<int>? swept = null)
    {
        int total = 0, changed = 0, overdue = 0, charges = 0;
        logger.LogInformation("Overdue sweep for {Day:yyyy-MM-dd} started.", day);
        await Parallel.ForEachAsync(loans.ScanAsync(cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = LoansAtOnce, CancellationToken = cancellationToken },
            async (scanned, ct) =>
            {
                (bool c, bool o, int n) = await SweepAsync(scanned, day, ct);
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
        var summary = new SweepSummary(day, total, changed, overdue, charges);
        logger.LogInformation("Overdue sweep for {Day:yyyy-MM-dd} done: {Loans} loans, {Changed} brought up to date, {Overdue} overdue, {Charges} charges.",
            day, summary.Loans, summary.Changed, summary.Overdue, summary.Charges);
        return summary;
    }

    async Task<(bool Changed, bool Overdue, int Charges)> SweepAsync(Versioned<Loan> scanned, DateOnly day, CancellationToken cancellationToken)
    {
        Versioned<Loan>? current = scanned;
        while (true)
        {
            if (current is null)
            {
                return (false, false, 0);
            }

            Loan loan = current.Document;
            SweepResult result = LoanSweep.Sweep(loan, LoanSweep.ProductOf(loan), day);
            List<LoanEventRecord> uncopied = loan.EventsNotInOutbox.ToList();
            if (!result.Changed && uncopied.Count == 0)
            {
                return (false, loan.Status == LoanStatus.Overdue, 0);
            }

            // Events already written are facts: copy them before the write that records they were copied.
            await outbox.AddAsync(uncopied, cancellationToken);
            Loan updated = result.Loan with { EventsInOutbox = loan.Events?.Count ?? 0 };
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

            await outbox.AddAsync(updated.EventsNotInOutbox, cancellationToken);
            if (!result.Changed)
            {
                return (false, loan.Status == LoanStatus.Overdue, 0);
            }

            return (true, result.Status!.DaysPastDue > 0, result.NewCharges.Count);
        }
    }
}
