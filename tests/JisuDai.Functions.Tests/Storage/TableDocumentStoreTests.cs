using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Tests;

namespace JisuDai.Functions.Tests.Storage;

/// <summary>The document-store contract against Table storage on Azurite, one table.</summary>
public sealed class TableDocumentStoreTests(AzuriteFixture azurite) : DocumentStoreContract, IClassFixture<AzuriteFixture>
{
    protected override IDocumentStore<LoanApplication> NewStore() =>
        new TableDocumentStore<LoanApplication>(
            new TableServiceClient(azurite.Server.ConnectionString), $"applications{Guid.NewGuid():N}");

    protected override IDocumentStore<Loan> NewLoanStore() =>
        new TableDocumentStore<Loan>(new TableServiceClient(azurite.Server.ConnectionString), $"loans{Guid.NewGuid():N}");
}

/// <summary>The same contract with the documents spread over 16 tables, as loans are.</summary>
public sealed class SpreadTableDocumentStoreTests(AzuriteFixture azurite) : DocumentStoreContract, IClassFixture<AzuriteFixture>
{
    protected override IDocumentStore<LoanApplication> NewStore() =>
        new TableDocumentStore<LoanApplication>(
            new TableServiceClient(azurite.Server.ConnectionString), $"apps{Guid.NewGuid():N}", DocumentKinds.LoanTables);

    protected override IDocumentStore<Loan> NewLoanStore() =>
        new TableDocumentStore<Loan>(new TableServiceClient(azurite.Server.ConnectionString), $"ln{Guid.NewGuid():N}", DocumentKinds.LoanTables);

    [Fact]
    public async Task Customers_are_spread_over_the_tables_and_each_customers_documents_stay_in_one()
    {
        var service = new TableServiceClient(azurite.Server.ConnectionString);
        string stem = $"apps{Guid.NewGuid():N}";
        var store = new TableDocumentStore<LoanApplication>(service, stem, DocumentKinds.LoanTables);
        for (int i = 0; i < 200; i++)
        {
            await store.CreateAsync(new LoanApplication($"a-{i}", $"c-{i % 100}", "express-12", 1_000m, 12, ApplicationStatus.Submitted, DateTimeOffset.UnixEpoch));
        }

        var customersPerTable = new List<HashSet<string>>();
        for (int t = 0; t < DocumentKinds.LoanTables; t++)
        {
            var customers = new HashSet<string>();
            await foreach (TableEntity row in service.GetTableClient($"{stem}{t:00}").QueryAsync<TableEntity>())
            {
                // One partition a table, named by its number, so replaces of many customers' documents share transactions.
                Assert.Equal($"{t:00}", row.PartitionKey);
                customers.Add(row.RowKey.Split('|')[0]);
            }

            customersPerTable.Add(customers);
        }

        // 100 customers over 16 tables: every table used, none with more than a fair share and some slack, no customer in two.
        Assert.All(customersPerTable, c => Assert.InRange(c.Count, 1, 16));
        Assert.Equal(100, customersPerTable.Sum(c => c.Count));
        Assert.Equal(100, customersPerTable.SelectMany(c => c).Distinct().Count());
    }

    [Fact]
    public async Task Documents_in_the_table_from_before_the_spread_are_moved_into_it_once_and_never_over_a_newer_write()
    {
        var service = new TableServiceClient(azurite.Server.ConnectionString);
        string stem = $"apps{Guid.NewGuid():N}";
        var before = new TableDocumentStore<LoanApplication>(service, stem);
        for (int i = 0; i < 30; i++)
        {
            await before.CreateAsync(new LoanApplication($"a-{i}", $"c-{i}", "express-12", 1_000m + i, 12, ApplicationStatus.Submitted, DateTimeOffset.UnixEpoch));
        }

        var spread = new TableDocumentStore<LoanApplication>(service, stem, DocumentKinds.LoanTables);
        Versioned<LoanApplication> moved = (await spread.FindAsync("c-7", "a-7"))!;
        Assert.Equal(1_007m, moved.Document.Amount);
        var scanned = new List<string>();
        await foreach (Versioned<LoanApplication> v in spread.ScanAsync())
        {
            scanned.Add(v.Document.Id);
        }

        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"a-{i}").Order(), scanned.Order());
        Assert.Empty(service.QueryAsync(TableServiceClient.CreateQueryFilter($"TableName eq {stem}")).ToBlockingEnumerable());

        // A newer write, then the old table back as an interrupted or parallel move would leave it: the move skips the document.
        await spread.ReplaceAsync(moved.Document with { Amount = 2_000m }, moved.ETag);
        await new TableDocumentStore<LoanApplication>(service, stem).CreateAsync(moved.Document);
        var again = new TableDocumentStore<LoanApplication>(service, stem, DocumentKinds.LoanTables);
        Assert.Equal(2_000m, (await again.FindAsync("c-7", "a-7"))!.Document.Amount);
    }
}
