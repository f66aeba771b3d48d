using System.Text.Json;
using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Events;
using JisuDai.Lending.Loans;

namespace JisuDai.Adapters.Events;

/// <summary>
/// The outbox: loan events waiting to be published, in Table storage <c>outbox</c> (partition = one of 16 shards by a
/// hash of the loan id, row = event id), so events of many loans are written a hundred to a transaction.
/// An event is first written in its loan document with the change that raised it, then copied here; copying is an
/// upsert by the event's id, so copying again (a retry, the sweep's catch-up) leaves one row. In Azure the publisher
/// sends each row to the Service Bus topic and deletes it; locally there is no publisher and the rows stay.
/// </summary>
public sealed class LoanEventOutbox(TableServiceClient tables) : ILoanEventOutbox
{
    readonly OnceCreatedTable table = new(tables, "outbox");

    /// <summary>Copies <paramref name="events"/> into the outbox.</summary>
    public async Task AddAsync(IEnumerable<LoanEventRecord> events, CancellationToken cancellationToken)
    {
        List<LoanEventRecord> list = events.ToList();
        if (list.Count == 0)
        {
            return;
        }

        TableClient client = await table.GetAsync(cancellationToken);
        foreach (IGrouping<string, LoanEventRecord> shard in list.DistinctBy(e => e.Id).GroupBy(e => ShardOf(e.LoanId)))
        {
            // A transaction holds up to 100 operations in one partition.
            foreach (LoanEventRecord[] chunk in shard.Chunk(100))
            {
                await client.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    new TableEntity(shard.Key, e.Id) { ["Type"] = e.Type.ToString(), ["Event"] = JsonSerializer.Serialize(e, DocumentJson.Options) })), cancellationToken);
            }
        }
    }

    /// <summary>Up to <paramref name="max"/> events waiting, oldest loan first.</summary>
    public async Task<IReadOnlyList<LoanEventRecord>> PendingAsync(int max, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        var found = new List<LoanEventRecord>();
        await foreach (TableEntity row in client.QueryAsync<TableEntity>(maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            found.Add(JsonSerializer.Deserialize<LoanEventRecord>(row.GetString("Event"), DocumentJson.Options)!);
            if (found.Count == max)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>Removes a published event.</summary>
    public async Task RemoveAsync(LoanEventRecord published, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await client.DeleteEntityAsync(ShardOf(published.LoanId), published.Id, Azure.ETag.All, cancellationToken);
    }

    /// <summary>The loan's outbox partition: a stable hash of its id, so every copy of an event lands on the same row.</summary>
    static string ShardOf(string loanId) =>
        (System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(loanId))[0] % 16).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
}
