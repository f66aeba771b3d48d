using JisuDai.App.Events;
using JisuDai.App.Results;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Loans;

/// <summary>What a sweep did.</summary>
/// <param name="Day">The day swept.</param>
/// <param name="Loans">Loans read.</param>
/// <param name="Changed">Loans the day changed.</param>
/// <param name="Overdue">Loans overdue after it.</param>
/// <param name="Charges">Penalties and fees charged.</param>
/// <param name="Quarantined">Loans the day could not be applied to, set aside with their error (<see cref="ISweepQuarantine"/>).</param>
public sealed record SweepSummary(DateOnly Day, int Loans, int Changed, int Overdue, int Charges, int Quarantined = 0);

/// <summary>A loan the sweep could not bring up to a day: what went wrong, kept for staff (and as the alert record monitoring reads).</summary>
public sealed record SweepFailure(string LoanId, string CustomerId, DateOnly Day, string Error, DateTimeOffset At);

/// <summary>Where the sweep sets aside a loan it cannot sweep, so one bad loan never stops the night's sweep of the book.</summary>
public interface ISweepQuarantine
{
    /// <summary>Records (again, for a later day) that the loan could not be swept.</summary>
    Task QuarantineAsync(SweepFailure failure, CancellationToken cancellationToken);

    /// <summary>Every loan set aside, the latest failure of each.</summary>
    Task<IReadOnlyList<SweepFailure>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The overdue sweep: for every booked loan, brings it up to the end of the day (penalty interest, late fees, days
/// past due, status) under its ETag. Loans come from a scan of the loan store, a page at a time, and are swept many at
/// once; the loans the day changed are written back in batches (<see cref="IDocumentStore{T}.ReplaceManyAsync"/>),
/// each under the ETag it was read with, and a loan whose ETag moved meanwhile (a repayment landed) is read again and
/// swept as it is now, on its own. Reminders are not sent here but by each loan's repayment lifecycle
/// (RepaymentOrchestrator), at a civil hour.
/// Each loan records the day it was swept, so running the sweep twice in a day changes nothing and a sweep that died
/// halfway, run again, finishes the rest exactly once. Events the sweep raises (LoanOverdue, LoanCured, LoanPaidOff)
/// are written with the loan and then copied to the outbox; events any writer raised that may not have reached the
/// outbox (a crash between the two writes) are copied again here, which is why every loan is read each day.
/// Progress goes to the log.
/// </summary>
public sealed class OverdueSweep(IDocumentStore<Loan> loans, ILoanEventOutbox outbox, ISweepProgress progress, ISweepQuarantine quarantine, Staff.IStaffAlerts alerts, TimeProvider clock, ILogger<OverdueSweep> logger,
    int writesAtOnce = OverdueSweep.DefaultWritesAtOnce)
{
    static readonly HashSet<LoanEventType> SweepEvents = [LoanEventType.LoanOverdue, LoanEventType.LoanCured, LoanEventType.LoanPaidOff];

    /// <summary>Loans in flight at once: each is a replay, so overlapping many keeps both cores and storage busy.</summary>
    const int LoansAtOnce = 32;

    /// <summary>
    /// Loans written back in one go by default: about a hundred for each of the 16 loan tables, so Table storage takes
    /// them as transactions of up to 100 instead of one request each.
    /// </summary>
    public const int DefaultWritesAtOnce = 1600;

    /// <summary>A loan the day changed, waiting to be written under the ETag it was read with.</summary>
    sealed record Write(Versioned<Loan> Read, Loan Updated, SweepResult Result);

    sealed class Tally
    {
        public int Total, Changed, Overdue, Charges, Quarantined;
    }

    /// <summary>
    /// Sweeps every day from the one after the last completed sweep through <paramref name="through"/>, in order, so days
    /// missed while the host was down are charged as they would have been (each day's penalties are that day's). With no
    /// sweep completed yet, only <paramref name="through"/> is swept; a day already done is swept again harmlessly.
    /// </summary>
    public async Task<IReadOnlyList<SweepSummary>> CatchUpAsync(DateOnly through, CancellationToken cancellationToken)
    {
        DateOnly? completed = await progress.LastCompletedAsync(cancellationToken);
        DateOnly from = completed is { } c && c < through ? c.AddDays(1) : through;
        if (from < through)
        {
            logger.LogWarning("Overdue sweep: {Days} days were missed; sweeping {From:yyyy-MM-dd} to {Through:yyyy-MM-dd} in order.", through.DayNumber - from.DayNumber, from, through);
        }

        var summaries = new List<SweepSummary>();
        for (DateOnly day = from; day <= through; day = day.AddDays(1))
        {
            summaries.Add(await RunAsync(day, cancellationToken));
        }

        return summaries;
    }

    /// <summary>Sweeps every loan for <paramref name="day"/>; <paramref name="swept"/> is told after each loan (tests use it to stop halfway).</summary>
    public async Task<SweepSummary> RunAsync(DateOnly day, CancellationToken cancellationToken, Action<int>? swept = null)
    {
        var tally = new Tally();
        var raised = new System.Collections.Concurrent.ConcurrentQueue<LoanEventRecord>();
        var waiting = new List<Write>();
        DateOnly? completed = await progress.LastCompletedAsync(cancellationToken);
        logger.LogInformation("Overdue sweep for {Day:yyyy-MM-dd} started (last completed: {Completed}).", day, completed?.ToString("yyyy-MM-dd") ?? "none");

        void Done((bool Changed, bool Overdue, int Charges) outcome)
        {
            int done = Interlocked.Increment(ref tally.Total);
            Interlocked.Add(ref tally.Changed, outcome.Changed ? 1 : 0);
            Interlocked.Add(ref tally.Overdue, outcome.Overdue ? 1 : 0);
            Interlocked.Add(ref tally.Charges, outcome.Charges);
            swept?.Invoke(done);
            Telemetry.LendingTelemetry.Swept(1);
            if (done % 1000 == 0)
            {
                logger.LogInformation("Overdue sweep for {Day:yyyy-MM-dd}: {Done} loans so far.", day, done);
            }
        }

        async Task WriteAsync(List<Write> writes, CancellationToken ct)
        {
            IReadOnlyList<Versioned<Loan>?> written = await loans.ReplaceManyAsync(writes.Select(w => w.Read with { Document = w.Updated }).ToList(), ct);
            for (int i = 0; i < writes.Count; i++)
            {
                // A loan a repayment changed since it was read is swept again as it is now, on its own.
                Done(written[i] is null ? await SweepAgainAsync(writes[i].Read.Document, day, raised, tally, ct) : Recorded(writes[i], raised));
            }
        }

        await Parallel.ForEachAsync(loans.ScanAsync(cancellationToken), new ParallelOptions { MaxDegreeOfParallelism = LoansAtOnce, CancellationToken = cancellationToken },
            async (scanned, ct) =>
            {
                foreach (LoanEventRecord e in (scanned.Document.Events ?? []).Take(scanned.Document.EventsInOutbox).Where(e => SweepEvents.Contains(e.Type) && !(e.On <= completed)))
                {
                    raised.Enqueue(e); // raised by a sweep that may have stopped before copying it
                }

                if (await PrepareAsync(scanned, day, tally, ct) is not { } write)
                {
                    Done((false, scanned.Document.Status == LoanStatus.Overdue, 0));
                    return;
                }

                List<Write>? full = null;
                lock (waiting)
                {
                    waiting.Add(write);
                    if (waiting.Count >= writesAtOnce)
                    {
                        full = [.. waiting];
                        waiting.Clear();
                    }
                }

                if (full is not null)
                {
                    await WriteAsync(full, ct);
                }
            });
        if (waiting.Count > 0)
        {
            await WriteAsync(waiting, cancellationToken);
        }

        // The day's new events go to the outbox in batches. They were marked as copied in their loans' writes, so a sweep
        // that stops before this is caught by the completion mark: the next sweep copies again every event a sweep raised
        // after the last completed day.
        await outbox.AddAsync(raised, cancellationToken);
        await progress.MarkCompletedAsync(completed is { } c && c > day ? c : day, cancellationToken);
        var summary = new SweepSummary(day, tally.Total, tally.Changed, tally.Overdue, tally.Charges, tally.Quarantined);
        logger.LogInformation("Overdue sweep for {Day:yyyy-MM-dd} done: {Loans} loans, {Changed} brought up to date, {Overdue} overdue, {Charges} charges, {Quarantined} quarantined.",
            day, summary.Loans, summary.Changed, summary.Overdue, summary.Charges, summary.Quarantined);
        return summary;
    }

    /// <summary>The write <paramref name="read"/> needs for <paramref name="day"/>, or null when the day changes nothing on it.</summary>
    async Task<Write?> PrepareAsync(Versioned<Loan> read, DateOnly day, Tally tally, CancellationToken cancellationToken)
    {
        Loan loan = read.Document;
        SweepResult result;
        try
        {
            result = LoanSweep.Sweep(loan, loan.ProductTerms(), day);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A loan whose history no longer replays (a bug, or a document changed by hand) is set aside with its error;
            // the rest of the book is swept and the run completes.
            logger.LogError(e, "Overdue sweep for {Day:yyyy-MM-dd}: loan {LoanId} quarantined.", day, loan.Id);
            await quarantine.QuarantineAsync(new SweepFailure(loan.Id, loan.CustomerId, day, e.Message, clock.GetUtcNow()), cancellationToken);
            try
            {
                await alerts.RaiseAsync(new Staff.StaffAlert($"sweep-quarantine-{loan.Id}", "sweep-quarantine", loan.Id,
                    $"The overdue sweep of {day:yyyy-MM-dd} set loan {loan.Id} aside: {e.Message}", clock.GetUtcNow()), cancellationToken);
            }
            catch (Exception alertFailure) when (alertFailure is not OperationCanceledException)
            {
                // The quarantine record stands and is listed at /api/sweeps/quarantine; the night's sweep goes on.
                logger.LogError(alertFailure, "Overdue sweep: could not raise the alert for quarantined loan {LoanId}.", loan.Id);
            }
            Interlocked.Increment(ref tally.Quarantined);
            return null;
        }

        List<LoanEventRecord> uncopied = loan.EventsNotInOutbox().ToList();
        if (!result.Changed && uncopied.Count == 0)
        {
            return null;
        }

        // Events other writers raised are facts already: copy them before the write that records they were copied.
        // The sweep's own new events are marked in the same write and copied in a batch at the end of the run.
        await outbox.AddAsync(uncopied, cancellationToken);
        return new Write(read, result.Loan with { EventsInOutbox = result.Loan.Events?.Count ?? 0 }, result);
    }

    /// <summary>Queues the events a written loan raised, and says what the write did.</summary>
    static (bool Changed, bool Overdue, int Charges) Recorded(Write write, System.Collections.Concurrent.ConcurrentQueue<LoanEventRecord> raised)
    {
        foreach (LoanEventRecord e in (write.Updated.Events ?? []).Skip(write.Read.Document.Events?.Count ?? 0))
        {
            raised.Enqueue(e);
        }

        return write.Result.Changed
            ? (true, write.Result.Status!.DaysPastDue > 0, write.Result.NewCharges.Count)
            : (false, write.Read.Document.Status == LoanStatus.Overdue, 0);
    }

    /// <summary>Reads <paramref name="loan"/> again and sweeps it on its own, reading it again as long as someone else changes it first.</summary>
    async Task<(bool Changed, bool Overdue, int Charges)> SweepAgainAsync(Loan loan, DateOnly day,
        System.Collections.Concurrent.ConcurrentQueue<LoanEventRecord> raised, Tally tally, CancellationToken cancellationToken)
    {
        while (await loans.FindAsync(loan.CustomerId, loan.Id, cancellationToken) is { } current)
        {
            if (await PrepareAsync(current, day, tally, cancellationToken) is not { } write)
            {
                return (false, current.Document.Status == LoanStatus.Overdue, 0);
            }

            try
            {
                await loans.ReplaceAsync(write.Updated, current.ETag, cancellationToken);
                return Recorded(write, raised);
            }
            catch (ConcurrencyConflictException)
            {
                // Changed again meanwhile: read it once more.
            }
        }

        return (false, false, 0);
    }

}
