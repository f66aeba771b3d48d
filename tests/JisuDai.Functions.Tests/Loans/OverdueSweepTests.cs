using Azure.Data.Tables;
using JisuDai.Adapters.Events;
using JisuDai.Adapters.Loans;
using JisuDai.Adapters.Storage;
using JisuDai.App.Loans;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;
using JisuDai.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace JisuDai.Functions.Tests.Loans;

/// <summary>The overdue sweep on Azurite: penalties, days past due, reminders, idempotence per day, and resuming after a crash.</summary>
public sealed class OverdueSweepTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    static readonly DateOnly Disbursed = new(2026, 1, 15);
    static readonly DateOnly FirstDue = new(2026, 2, 15);

    (OverdueSweep Sweep, TableDocumentStore<Loan> Loans, LoanEventOutbox Outbox) Compose(int writesAtOnce = OverdueSweep.DefaultWritesAtOnce)
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        var loans = new TableDocumentStore<Loan>(tables, "loans", DocumentKinds.LoanTables);
        var outbox = new LoanEventOutbox(tables);
        return (new OverdueSweep(loans, outbox, new TableSweepProgress(tables), new TableSweepQuarantine(tables), new JisuDai.Adapters.Staff.TableStaffAlerts(tables), TimeProvider.System, NullLogger<OverdueSweep>.Instance, writesAtOnce), loans, outbox);
    }

    static async Task<Loan> BookAsync(TableDocumentStore<Loan> loans, string customer, params RecordedRepayment[] repayments)
    {
        LoanProduct product = BuiltInProducts.Express;
        RepaymentSchedule schedule = Offers.Price(product, Offers.TermsFor(product, 12_000m, 12, 0.18m), Disbursed).Value!.Schedule;
        var loan = new Loan($"loan-x.{customer}", customer, $"app.{customer}", 12_000m, LoanStatus.Active, Disbursed, product.Code, schedule, "tr-1", repayments);
        await loans.CreateAsync(loan);
        return loan;
    }

    [Fact]
    public async Task Swept_daily_an_unpaid_loan_accrues_penalty_after_grace_and_a_rerun_changes_nothing()
    {
        var (sweep, loans, _) = Compose();
        Loan late = await BookAsync(loans, "late");
        decimal firstInstallment = late.Schedule!.Installments[0].Total;
        await BookAsync(loans, "paid", new RecordedRepayment("pay-1", FirstDue, firstInstallment, DateTimeOffset.UtcNow));

        for (DateOnly day = FirstDue.AddDays(1); day <= FirstDue.AddDays(7); day = day.AddDays(1))
        {
            await sweep.RunAsync(day, CancellationToken.None);
        }

        Loan swept = (await loans.FindAsync("late", late.Id))!.Document;
        Assert.Equal(LoanStatus.Overdue, swept.Status);
        Assert.Equal(7, swept.DaysPastDue);
        Assert.Equal(FirstDue.AddDays(7), swept.LastSweptOn);
        // 3 grace days, then a penalty a day on the overdue principal (18% a year).
        Assert.Equal(["penalty-20260219-1", "penalty-20260220-1", "penalty-20260221-1", "penalty-20260222-1"], swept.Charges!.Select(c => c.Id));
        decimal principal = late.Schedule.Installments[0].Principal;
        Assert.All(swept.Charges!, c => Assert.Equal(Math.Round(principal * 0.18m / 365m, 2, MidpointRounding.AwayFromZero), c.Amount));

        Loan paid = (await loans.FindAsync("paid", "loan-x.paid"))!.Document;
        Assert.Equal((LoanStatus.Active, 0), (paid.Status, paid.DaysPastDue));
        Assert.Empty(paid.Charges ?? []);

        SweepSummary again = await sweep.RunAsync(FirstDue.AddDays(7), CancellationToken.None);
        Assert.Equal((2, 0), (again.Loans, again.Changed));
        Assert.Equal(swept.Charges!.Count, (await loans.FindAsync("late", late.Id))!.Document.Charges!.Count);
    }

    [Fact]
    public async Task A_sweep_stopped_halfway_and_run_again_brings_every_loan_up_to_date_exactly_once()
    {
        // Loans written back four at a time, and far more of them than the sweep holds in flight (32 being swept, a few
        // batches being written), so stopping after five always leaves some undone.
        var (sweep, loans, _) = Compose(writesAtOnce: 4);
        const int Count = 200;
        for (int i = 0; i < Count; i++)
        {
            await BookAsync(loans, $"c{i:00}");
        }

        DateOnly day = FirstDue.AddDays(5);
        using var crash = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sweep.RunAsync(day, crash.Token, swept: done => { if (done >= 5) crash.Cancel(); }));
        int sweptBefore = 0;
        for (int i = 0; i < Count; i++)
        {
            sweptBefore += (await loans.FindAsync($"c{i:00}", $"loan-x.c{i:00}"))!.Document.LastSweptOn == day ? 1 : 0;
        }

        SweepSummary rerun = await sweep.RunAsync(day, CancellationToken.None);

        // A write in flight when the sweep stopped may land after the count above, as in a real crash: the rerun does
        // whatever is left, at least one loan and at most all but those finished before the stop.
        Assert.InRange(sweptBefore, 5, Count - 1);
        Assert.Equal(Count, rerun.Loans);
        Assert.InRange(rerun.Changed, 1, Count - sweptBefore);
        for (int i = 0; i < Count; i++)
        {
            Loan loan = (await loans.FindAsync($"c{i:00}", $"loan-x.c{i:00}"))!.Document;
            Assert.Equal(day, loan.LastSweptOn);
            Assert.Equal(5, loan.DaysPastDue);
            Assert.Single(loan.Charges!, c => c.Id == $"penalty-{day:yyyyMMdd}-1");
        }
    }

    [Fact]
    public async Task A_loan_falling_overdue_raises_LoanOverdue_once_and_LoanCured_when_paid_up_each_in_the_outbox_once()
    {
        var (sweep, loans, outbox) = Compose();
        Loan loan = await BookAsync(loans, "spell");
        for (DateOnly day = FirstDue.AddDays(1); day <= FirstDue.AddDays(3); day = day.AddDays(1))
        {
            await sweep.RunAsync(day, CancellationToken.None);
            await sweep.RunAsync(day, CancellationToken.None);
        }

        Versioned<Loan> overdue = (await loans.FindAsync("spell", loan.Id))!;
        LoanEventRecord raised = Assert.Single(overdue.Document.Events!);
        Assert.Equal((LoanEventType.LoanOverdue, FirstDue.AddDays(1), 1), (raised.Type, raised.On, raised.DaysPastDue));
        Assert.Equal(loan.Schedule!.Installments[0].Total, raised.Amount);

        // The borrower pays what is due; the next sweep finds the loan current again.
        await loans.ReplaceAsync(overdue.Document with { Repayments = [new RecordedRepayment("late-pay", FirstDue.AddDays(4), 2_000m, DateTimeOffset.UtcNow)] }, overdue.ETag);
        await sweep.RunAsync(FirstDue.AddDays(4), CancellationToken.None);
        await sweep.RunAsync(FirstDue.AddDays(5), CancellationToken.None);

        Loan cured = (await loans.FindAsync("spell", loan.Id))!.Document;
        Assert.Equal(LoanStatus.Active, cured.Status);
        Assert.Equal([LoanEventType.LoanOverdue, LoanEventType.LoanCured], cured.Events!.Select(e => e.Type));
        Assert.Equal(2, cured.EventsInOutbox);
        IReadOnlyList<LoanEventRecord> inOutbox = await outbox.PendingAsync(100, CancellationToken.None);
        Assert.Equal(cured.Events!, inOutbox.OrderBy(e => e.Id));
    }

    [Fact]
    public async Task Events_a_crash_kept_from_the_outbox_are_copied_by_the_next_sweep_and_only_once()
    {
        var (sweep, loans, outbox) = Compose();
        Loan loan = await BookAsync(loans, "crashed");
        // Booked and written with its event, but the writer died before copying it: nothing in the outbox.
        Versioned<Loan> written = (await loans.FindAsync("crashed", loan.Id))!;
        await loans.ReplaceAsync(written.Document.Raise(LoanEventType.LoanDisbursed, Disbursed, 12_000m, "tr-1"), written.ETag);
        Assert.Empty(await outbox.PendingAsync(10, CancellationToken.None));

        // A day with nothing due: the sweep changes no money, yet copies the event and records that it did.
        await sweep.RunAsync(Disbursed.AddDays(3), CancellationToken.None);
        await sweep.RunAsync(Disbursed.AddDays(4), CancellationToken.None);

        Loan after = (await loans.FindAsync("crashed", loan.Id))!.Document;
        Assert.Equal(1, after.EventsInOutbox);
        LoanEventRecord copied = Assert.Single(await outbox.PendingAsync(10, CancellationToken.None));
        Assert.Equal((LoanEventType.LoanDisbursed, $"{loan.Id}-0001"), (copied.Type, copied.Id));
    }

    [Fact]
    public async Task Events_of_a_sweep_stopped_before_it_copied_them_are_copied_by_the_rerun()
    {
        var (sweep, loans, outbox) = Compose();
        Loan loan = await BookAsync(loans, "stopped");
        using var stop = new CancellationTokenSource();

        // The sweep does the loan (it falls overdue) and is stopped before its batch of events reaches the outbox.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sweep.RunAsync(FirstDue.AddDays(1), stop.Token, _ => stop.Cancel()));
        Loan swept = (await loans.FindAsync("stopped", loan.Id))!.Document;
        Assert.Equal(LoanStatus.Overdue, swept.Status);
        Assert.Empty(await outbox.PendingAsync(10, CancellationToken.None));

        SweepSummary rerun = await sweep.RunAsync(FirstDue.AddDays(1), CancellationToken.None);

        Assert.Equal(0, rerun.Changed);
        LoanEventRecord copied = Assert.Single(await outbox.PendingAsync(10, CancellationToken.None));
        Assert.Equal(swept.Events!.Single(), copied);
        await sweep.RunAsync(FirstDue.AddDays(1), CancellationToken.None);
        Assert.Single(await outbox.PendingAsync(10, CancellationToken.None));
    }

    /// <summary>The loan store, with a borrower's repayment landing on one loan after the sweep read it and before it wrote it.</summary>
    sealed class RepaymentLandsMeanwhile(IDocumentStore<Loan> store, string customer, string loanId, RecordedRepayment repayment) : IDocumentStore<Loan>
    {
        int landed;

        public async Task<IReadOnlyList<Versioned<Loan>?>> ReplaceManyAsync(IReadOnlyList<Versioned<Loan>> documents, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref landed, 1) == 0)
            {
                Versioned<Loan> now = (await store.FindAsync(customer, loanId, cancellationToken))!;
                await store.ReplaceAsync(now.Document with { Repayments = [repayment] }, now.ETag, cancellationToken);
            }

            return await store.ReplaceManyAsync(documents, cancellationToken);
        }

        public Task<Versioned<Loan>?> FindAsync(string customerId, string id, CancellationToken cancellationToken = default) => store.FindAsync(customerId, id, cancellationToken);
        public Task<Versioned<Loan>> CreateAsync(Loan document, CancellationToken cancellationToken = default) => store.CreateAsync(document, cancellationToken);
        public Task<Versioned<Loan>> ReplaceAsync(Loan document, string expectedETag, CancellationToken cancellationToken = default) => store.ReplaceAsync(document, expectedETag, cancellationToken);
        public Task<IReadOnlyList<Versioned<Loan>>> ListByCustomerAsync(string customerId, CancellationToken cancellationToken = default) => store.ListByCustomerAsync(customerId, cancellationToken);
        public IAsyncEnumerable<Versioned<Loan>> ScanAsync(CancellationToken cancellationToken = default) => store.ScanAsync(cancellationToken);
        public Task<bool> DeleteAsync(string customerId, string id, string expectedETag, CancellationToken cancellationToken = default) => store.DeleteAsync(customerId, id, expectedETag, cancellationToken);
    }

    [Fact]
    public async Task A_repayment_landing_between_the_sweeps_read_and_its_write_is_kept_and_the_loan_swept_with_it()
    {
        var (_, loans, outbox) = Compose();
        for (int i = 0; i < 10; i++)
        {
            await BookAsync(loans, $"r{i}");
        }

        Loan paying = (await loans.FindAsync("r3", "loan-x.r3"))!.Document;
        var repayment = new RecordedRepayment("pay-part", FirstDue.AddDays(2), 500m, DateTimeOffset.UtcNow);
        var store = new RepaymentLandsMeanwhile(loans, "r3", "loan-x.r3", repayment);
        var sweep = new OverdueSweep(store, outbox, new TableSweepProgress(new TableServiceClient(azurite.ConnectionString)), new TableSweepQuarantine(new TableServiceClient(azurite.ConnectionString)), new JisuDai.Adapters.Staff.TableStaffAlerts(new TableServiceClient(azurite.ConnectionString)), TimeProvider.System, NullLogger<OverdueSweep>.Instance);

        SweepSummary summary = await sweep.RunAsync(FirstDue.AddDays(5), CancellationToken.None);

        // Written in the same batch as the others, the copy read before the payment would have erased it: it was swept again instead.
        Loan paid = (await loans.FindAsync("r3", "loan-x.r3"))!.Document;
        Assert.Equal(repayment with { Sequence = 1 }, Assert.Single(paid.Repayments!)); // the loan's first ledger entry
        Assert.Equal((LoanStatus.Overdue, 5, FirstDue.AddDays(5)), (paid.Status, paid.DaysPastDue, paid.LastSweptOn));
        ChargeAssessed penalty = Assert.Single(paid.Charges!);
        // The day's penalty on the principal still overdue after the payment (interest is paid first), not on all of it.
        decimal overduePrincipal = LoanSweep.LedgerOf(paid, BuiltInProducts.Express).PositionOn(FirstDue.AddDays(5)).Balances[0].Principal;
        Assert.True(overduePrincipal < paying.Schedule!.Installments[0].Principal);
        Assert.Equal(Math.Round(overduePrincipal * 0.18m / 365m, 2, MidpointRounding.AwayFromZero), penalty.Amount);
        Assert.Equal((10, 10, 10), (summary.Loans, summary.Changed, summary.Overdue));
        Loan unpaid = (await loans.FindAsync("r4", "loan-x.r4"))!.Document;
        Assert.Equal((LoanStatus.Overdue, 5), (unpaid.Status, unpaid.DaysPastDue));
    }

    [Fact]
    public async Task A_payment_reference_shaped_like_a_platform_id_never_collides_with_the_sweeps_charges()
    {
        var (sweep, loans, _) = Compose();
        // A borrower's (or a provider's) reference that looks exactly like the penalty the sweep charges on 19 February.
        Loan loan = await BookAsync(loans, "lookalike", new RecordedRepayment("penalty-20260219-1", FirstDue, 100m, DateTimeOffset.UtcNow));

        for (DateOnly day = FirstDue.AddDays(1); day <= FirstDue.AddDays(5); day = day.AddDays(1))
        {
            Assert.Equal(0, (await sweep.RunAsync(day, CancellationToken.None)).Quarantined);
        }

        Loan swept = (await loans.FindAsync("lookalike", loan.Id))!.Document;
        Assert.Contains(swept.Charges!, c => c.Id == "penalty-20260219-1");
        Assert.Equal("penalty-20260219-1", Assert.Single(swept.Repayments!).Reference);
        Assert.Equal(LoanStatus.Overdue, swept.Status);
    }

    [Fact]
    public async Task A_loan_that_cannot_be_swept_is_quarantined_and_the_rest_of_the_book_is_swept_and_the_day_completed()
    {
        var (sweep, loans, _) = Compose();
        var tables = new TableServiceClient(azurite.ConnectionString);
        Loan good = await BookAsync(loans, "good");
        // A document no ledger accepts (interest is never a charge): a bug or a hand edit, not something to stop the night for.
        Loan bad = (await BookAsync(loans, "bad")) with { Charges = [new ChargeAssessed("penalty-20260216-1", FirstDue.AddDays(1), 1, Lending.Repayments.Component.Interest, 5m)] };
        Versioned<Loan> stored = (await loans.FindAsync("bad", bad.Id))!;
        await loans.ReplaceAsync(bad, stored.ETag);

        SweepSummary summary = await sweep.RunAsync(FirstDue.AddDays(5), CancellationToken.None);

        Assert.Equal((2, 1), (summary.Loans, summary.Quarantined));
        Assert.Equal((LoanStatus.Overdue, FirstDue.AddDays(5)), ((await loans.FindAsync("good", good.Id))!.Document.Status, (await loans.FindAsync("good", good.Id))!.Document.LastSweptOn));
        SweepFailure failure = Assert.Single(await new TableSweepQuarantine(tables).ListAsync(CancellationToken.None));
        Assert.Equal((bad.Id, "bad", FirstDue.AddDays(5)), (failure.LoanId, failure.CustomerId, failure.Day));
        Assert.Contains("penalty-20260216-1", failure.Error);
        Assert.Equal(FirstDue.AddDays(5), await new TableSweepProgress(tables).LastCompletedAsync(CancellationToken.None));
        // Staff hear of it where they hear of everything else: an open alert on the loan.
        var alert = Assert.Single(await new JisuDai.Adapters.Staff.TableStaffAlerts(tables).ListAsync(CancellationToken.None));
        Assert.Equal(("sweep-quarantine", bad.Id, true), (alert.Kind, alert.Target, alert.Open));
    }

    [Fact]
    public async Task Days_missed_while_the_host_was_down_are_swept_in_order_so_no_days_penalty_is_lost()
    {
        var (sweep, loans, _) = Compose();
        Loan late = await BookAsync(loans, "missed");
        await sweep.RunAsync(FirstDue.AddDays(4), CancellationToken.None); // 19 Feb swept, then three nights without a host

        IReadOnlyList<SweepSummary> caughtUp = await sweep.CatchUpAsync(FirstDue.AddDays(7), CancellationToken.None);

        Assert.Equal([FirstDue.AddDays(5), FirstDue.AddDays(6), FirstDue.AddDays(7)], caughtUp.Select(s => s.Day));
        Loan swept = (await loans.FindAsync("missed", late.Id))!.Document;
        Assert.Equal(["penalty-20260219-1", "penalty-20260220-1", "penalty-20260221-1", "penalty-20260222-1"], swept.Charges!.Select(c => c.Id));
        Assert.Equal((FirstDue.AddDays(7), 7), (swept.LastSweptOn, swept.DaysPastDue));
        // Caught up: the next night sweeps that night only.
        Assert.Equal([FirstDue.AddDays(8)], (await sweep.CatchUpAsync(FirstDue.AddDays(8), CancellationToken.None)).Select(s => s.Day));
    }
}
