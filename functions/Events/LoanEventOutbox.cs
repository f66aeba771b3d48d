using System.Text.Json;
using Azure.Data.Tables;
using JisuDai.Functions.Storage;
using JisuDai.Lending.Loans;

namespace JisuDai.Functions.Events;

/// <summary>
/// The outbox: loan events waiting to be published, in Table storage <c>outbox</c> (partition = loan, row = event id).
/// An event is first written in its loan document with the change that raised it, then copied here; copying is an
/// upsert by the event's id, so copying again (a retry, the sweep's catch-up) leaves one row. In Azure the publisher
/// sends each row to the Service Bus topic and deletes it; locally there is no publisher and the rows stay.
/// </summary>
public sealed class LoanEventOutbox(TableServiceClient tables)
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
        foreach (IGrouping<string, LoanEventRecord> loan in list.GroupBy(e => e.LoanId))
        {
            // One loan's events share a partition: one transaction of up to 100 upserts.
            foreach (LoanEventRecord[] chunk in loan.Chunk(100))
            {
                await client.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    new TableEntity(e.LoanId, e.Id) { ["Type"] = e.Type.ToString(), ["Event"] = JsonSerializer.Serialize(e, DocumentJson.Options) })), cancellationToken);
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
        await client.DeleteEntityAsync(published.LoanId, published.Id, Azure.ETag.All, cancellationToken);
    }
}
