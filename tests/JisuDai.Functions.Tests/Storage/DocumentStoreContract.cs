using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;

namespace JisuDai.Functions.Tests.Storage;

/// <summary>
/// What every document store must do, whatever holds the data. Each implementation's test class derives
/// from this and supplies a fresh, empty store.
/// </summary>
public abstract class DocumentStoreContract
{
    protected abstract IDocumentStore<LoanApplication> NewStore();

    /// <summary>A fresh, empty store of loans.</summary>
    protected abstract IDocumentStore<Loan> NewLoanStore();

    static LoanApplication Application(string customer, string id, decimal amount = 12_345.67m) =>
        new(id, customer, "express-12", amount, 12, ApplicationStatus.Submitted, new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.FromHours(8)));

    [Fact]
    public async Task A_created_document_reads_back_equal_to_the_fen()
    {
        IDocumentStore<LoanApplication> store = NewStore();
        LoanApplication application = Application("c-1", "a-1", 10_000.01m);

        Versioned<LoanApplication> created = await store.CreateAsync(application);
        Versioned<LoanApplication>? read = await store.FindAsync("c-1", "a-1");

        Assert.NotNull(read);
        Assert.Equal(application, read.Document);
        Assert.Equal(10_000.01m, read.Document.Amount);
        Assert.Equal(created.ETag, read.ETag);
    }

    [Fact]
    public virtual async Task A_missing_document_is_null_and_another_customers_document_is_not_visible()
    {
        IDocumentStore<LoanApplication> store = NewStore();
        await store.CreateAsync(Application("c-1", "a-1"));

        Assert.Null(await store.FindAsync("c-1", "a-2"));
        Assert.Null(await store.FindAsync("c-2", "a-1"));
    }

    [Fact]
    public async Task Creating_the_same_id_twice_fails_and_keeps_the_first()
    {
        IDocumentStore<LoanApplication> store = NewStore();
        await store.CreateAsync(Application("c-1", "a-1", 100m));

        await Assert.ThrowsAsync<DocumentAlreadyExistsException>(() => store.CreateAsync(Application("c-1", "a-1", 999m)));
        Assert.Equal(100m, (await store.FindAsync("c-1", "a-1"))!.Document.Amount);
    }

    [Fact]
    public async Task A_replace_with_the_current_etag_succeeds_and_changes_the_etag()
    {
        IDocumentStore<LoanApplication> store = NewStore();
        Versioned<LoanApplication> created = await store.CreateAsync(Application("c-1", "a-1"));

        Versioned<LoanApplication> replaced = await store.ReplaceAsync(created.Document with { Status = ApplicationStatus.Offered }, created.ETag);

        Assert.NotEqual(created.ETag, replaced.ETag);
        Versioned<LoanApplication> read = (await store.FindAsync("c-1", "a-1"))!;
        Assert.Equal(ApplicationStatus.Offered, read.Document.Status);
        Assert.Equal(replaced.ETag, read.ETag);
    }

    [Fact]
    public async Task A_replace_with_a_stale_etag_fails_and_changes_nothing()
    {
        IDocumentStore<LoanApplication> store = NewStore();
        Versioned<LoanApplication> created = await store.CreateAsync(Application("c-1", "a-1"));
        await store.ReplaceAsync(created.Document with { Status = ApplicationStatus.Offered }, created.ETag);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => store.ReplaceAsync(created.Document with { Status = ApplicationStatus.Declined }, created.ETag));
        Assert.Equal(ApplicationStatus.Offered, (await store.FindAsync("c-1", "a-1"))!.Document.Status);
    }

    [Fact]
    public async Task A_delete_at_the_read_version_removes_only_that_document_and_a_stale_one_removes_nothing()
    {
        IDocumentStore<LoanApplication> store = NewStore();
        Versioned<LoanApplication> created = await store.CreateAsync(Application("c-1", "a-1"));
        await store.CreateAsync(Application("c-1", "a-2"));
        await store.CreateAsync(Application("c-2", "a-1"));
        Versioned<LoanApplication> changed = await store.ReplaceAsync(created.Document with { Status = ApplicationStatus.Offered }, created.ETag);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.DeleteAsync("c-1", "a-1", created.ETag));
        Assert.Equal(ApplicationStatus.Offered, (await store.FindAsync("c-1", "a-1"))!.Document.Status);

        // Read back by listing: the local Cosmos server answers a read of a missing document with a 500.
        Assert.True(await store.DeleteAsync("c-1", "a-1", changed.ETag));
        Assert.False(await store.DeleteAsync("c-1", "a-1", changed.ETag));
        Assert.Equal(["a-2"], (await store.ListByCustomerAsync("c-1")).Select(a => a.Document.Id));
        Assert.NotNull(await store.FindAsync("c-2", "a-1"));
    }

    [Fact]
    public async Task Of_two_concurrent_replaces_from_one_read_exactly_one_wins()
    {
        IDocumentStore<LoanApplication> store = NewStore();
        Versioned<LoanApplication> created = await store.CreateAsync(Application("c-1", "a-1"));

        Task<Versioned<LoanApplication>>[] attempts =
        [
            store.ReplaceAsync(created.Document with { Status = ApplicationStatus.Offered }, created.ETag),
            store.ReplaceAsync(created.Document with { Status = ApplicationStatus.Declined }, created.ETag),
        ];
        var outcomes = new List<object>();
        foreach (Task<Versioned<LoanApplication>> attempt in attempts)
        {
            try
            {
                outcomes.Add(await attempt);
            }
            catch (ConcurrencyConflictException conflict)
            {
                outcomes.Add(conflict);
            }
        }

        Assert.Single(outcomes.OfType<ConcurrencyConflictException>());
        ApplicationStatus winner = Assert.Single(outcomes.OfType<Versioned<LoanApplication>>()).Document.Status;
        Assert.Equal(winner, (await store.FindAsync("c-1", "a-1"))!.Document.Status);
    }

    [Fact]
    public virtual async Task Replacing_a_missing_document_fails_as_not_found()
    {
        IDocumentStore<LoanApplication> store = NewStore();
        Versioned<LoanApplication> created = await store.CreateAsync(Application("c-1", "a-1"));

        await Assert.ThrowsAsync<DocumentNotFoundException>(() => store.ReplaceAsync(Application("c-1", "a-9"), created.ETag));
        Assert.Null(await store.FindAsync("c-1", "a-9"));
    }

    [Fact]
    public async Task Listing_returns_one_customers_documents_in_id_order()
    {
        IDocumentStore<LoanApplication> store = NewStore();
        foreach (string id in new[] { "a-3", "a-1", "a-2" })
        {
            await store.CreateAsync(Application("c-1", id));
        }

        await store.CreateAsync(Application("c-2", "a-4"));
        // Customers whose ids start with "c-1" are other customers (spread over 16 tables, c-18 shares c-1's).
        foreach (string other in new[] { "c-10", "c-18", "c-1_a", "c-1-b", "c-1.c" })
        {
            await store.CreateAsync(Application(other, "a-5"));
        }

        IReadOnlyList<Versioned<LoanApplication>> listed = await store.ListByCustomerAsync("c-1");

        Assert.Equal(["a-1", "a-2", "a-3"], listed.Select(v => v.Document.Id));
        Assert.All(listed, v => Assert.False(string.IsNullOrEmpty(v.ETag)));
        Assert.Empty(await store.ListByCustomerAsync("c-3"));
    }

    [Fact]
    public async Task A_scan_returns_every_document_of_every_customer_once_with_an_etag_a_replace_accepts()
    {
        IDocumentStore<LoanApplication> store = NewStore();
        for (int i = 0; i < 25; i++)
        {
            await store.CreateAsync(Application($"c-{i % 7}", $"a-{i}"));
        }

        var scanned = new List<Versioned<LoanApplication>>();
        await foreach (Versioned<LoanApplication> v in store.ScanAsync())
        {
            scanned.Add(v);
        }

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"a-{i}").Order(), scanned.Select(v => v.Document.Id).Order());
        Versioned<LoanApplication> one = scanned.First(v => v.Document.Id == "a-3");
        await store.ReplaceAsync(one.Document, one.ETag);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.ReplaceAsync(one.Document, one.ETag));
    }

    [Fact]
    public async Task Many_replaced_at_once_each_get_a_version_a_later_replace_accepts_and_one_changed_meanwhile_is_reported_not_overwritten()
    {
        IDocumentStore<LoanApplication> store = NewStore();
        var read = new List<Versioned<LoanApplication>>();
        for (int i = 0; i < 360; i++)
        {
            // Three customers with 120 documents each: more than one transaction's worth in a partition.
            read.Add(await store.CreateAsync(Application($"c-{i % 3}", $"a-{i:000}", 100m)));
        }

        Versioned<LoanApplication> changedMeanwhile = await store.ReplaceAsync(read[200].Document with { Amount = 555m }, read[200].ETag);
        IReadOnlyList<Versioned<LoanApplication>?> replaced = await store.ReplaceManyAsync(read.Select(v => v with { Document = v.Document with { Amount = 200m } }).ToList());

        Assert.Equal(360, replaced.Count);
        Assert.Null(replaced[200]);
        Assert.Equal(359, replaced.Count(r => r is not null));
        Assert.Equal(555m, (await store.FindAsync("c-2", "a-200"))!.Document.Amount);
        for (int i = 0; i < 360; i += 37)
        {
            if (i == 200)
            {
                continue;
            }

            Versioned<LoanApplication> stored = (await store.FindAsync($"c-{i % 3}", $"a-{i:000}"))!;
            Assert.Equal((200m, replaced[i]!.ETag), (stored.Document.Amount, stored.ETag));
            await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.ReplaceAsync(stored.Document, read[i].ETag));
        }

        Assert.Empty(await store.ReplaceManyAsync([]));
        await Assert.ThrowsAsync<DocumentNotFoundException>(() => store.ReplaceManyAsync([new Versioned<LoanApplication>(Application("c-9", "a-missing"), changedMeanwhile.ETag)]));
    }

    [Fact]
    public async Task A_scan_stopped_partway_fails_rather_than_ending_as_if_it_had_read_everything()
    {
        IDocumentStore<LoanApplication> store = NewStore();
        for (int i = 0; i < 25; i++)
        {
            await store.CreateAsync(Application($"c-{i}", $"a-{i}"));
        }

        // A sweep that took a stopped scan for a finished one would mark the day done with loans never swept.
        using var stop = new CancellationTokenSource();
        int read = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Versioned<LoanApplication> _ in store.ScanAsync(stop.Token))
            {
                if (++read == 3)
                {
                    stop.Cancel();
                }
            }
        });
        Assert.InRange(read, 3, 24);
    }

    [Theory]
    [InlineData("a/1")]
    [InlineData("a#1")]
    [InlineData("")]
    public async Task An_invalid_id_is_refused_before_anything_is_written(string id)
    {
        IDocumentStore<LoanApplication> store = NewStore();

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => store.CreateAsync(Application("c-1", id)));
        Assert.Equal("id", error.ParamName);
        Assert.Empty(await store.ListByCustomerAsync("c-1"));
    }

    [Fact]
    public async Task A_large_document_round_trips_whole()
    {
        IDocumentStore<LoanApplication> store = NewStore();
        LoanApplication large = Application("c-1", "a-1") with { ProductCode = new string('p', 70_000) };

        await store.CreateAsync(large);

        Assert.Equal(large, (await store.FindAsync("c-1", "a-1"))!.Document);
    }

    [Fact]
    public async Task A_loan_with_five_thousand_repayments_is_stored_read_and_replaced_whole()
    {
        IDocumentStore<Loan> store = NewLoanStore();
        LoanProduct product = BuiltInProducts.Express;
        var disbursed = new DateOnly(2026, 1, 15);
        RepaymentSchedule schedule = Offers.Price(product, Offers.TermsFor(product, 12_000m, 12, 0.18m), disbursed).Value!.Schedule;
        RecordedRepayment[] repayments = Enumerable.Range(0, 5_000)
            .Select(i => new RecordedRepayment($"4200{i:000000000000000000000000}", disbursed.AddDays(i % 300), 1.23m + i % 100, new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.Zero).AddMinutes(i)))
            .ToArray();
        var loan = new Loan("loan-1.c-big", "c-big", "app-1.c-big", 12_000m, LoanStatus.Active, disbursed, product.Code, schedule, "po1", repayments);
        foreach (RecordedRepayment r in repayments)
        {
            loan = loan.Raise(LoanEventType.RepaymentReceived, r.PaidOn, r.Amount, r.Reference);
        }

        Versioned<Loan> created = await store.CreateAsync(loan);
        Loan read = (await store.FindAsync("c-big", loan.Id))!.Document;
        Assert.Equal(repayments, read.Repayments);
        Assert.Equal(loan.Events, read.Events);

        Loan more = read with { Repayments = [.. read.Repayments!, new RecordedRepayment("4200-last", disbursed.AddDays(301), 9.99m, DateTimeOffset.UnixEpoch)] };
        await store.ReplaceAsync(more, created.ETag);
        Assert.Equal(5_001, (await store.FindAsync("c-big", loan.Id))!.Document.Repayments!.Count);
        Assert.Single(await store.ListByCustomerAsync("c-big"));
    }
}
