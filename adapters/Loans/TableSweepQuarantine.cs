using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Loans;

namespace JisuDai.Adapters.Loans;

/// <summary>Loans the sweep set aside, in Table storage <c>sweepquarantine</c>: one row per loan, its latest failure.</summary>
public sealed class TableSweepQuarantine(TableServiceClient tables) : ISweepQuarantine
{
    const string Partition = "loans";
    readonly OnceCreatedTable table = new(tables, "sweepquarantine");

    public async Task QuarantineAsync(SweepFailure failure, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await client.UpsertEntityAsync(new TableEntity(Partition, failure.LoanId)
        {
            ["CustomerId"] = failure.CustomerId, ["Day"] = failure.Day.ToString("yyyy-MM-dd"), ["Error"] = failure.Error, ["At"] = failure.At,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<SweepFailure>> ListAsync(CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        var failures = new List<SweepFailure>();
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            failures.Add(new SweepFailure(e.RowKey, e.GetString("CustomerId"), DateOnly.ParseExact(e.GetString("Day"), "yyyy-MM-dd"), e.GetString("Error"), e.GetDateTimeOffset("At")!.Value));
        }

        return failures;
    }
}
