using Azure;
using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Applications;

namespace JisuDai.Adapters.Applications;

/// <summary>
/// The intake log in Table storage <c>intakelog</c>: a partition per minute of submission (UTC, sortable), a row per
/// application. The sweep reads the old minutes only, and forgets a minute's rows in entity-group transactions of up to
/// a hundred, so the table holds little more than the last few minutes.
/// </summary>
public sealed class TableIntakeLog(TableServiceClient tables) : IIntakeLog
{
    const int Batch = 100;
    readonly OnceCreatedTable table = new(tables, "intakelog");

    public async Task RecordAsync(IntakeEntry entry, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await client.UpsertEntityAsync(new TableEntity(Minute(entry.SubmittedAt), entry.ApplicationId)
        {
            ["CustomerId"] = entry.CustomerId, ["SubmittedAt"] = entry.SubmittedAt,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<IntakeEntry>> ListBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        var entries = new List<IntakeEntry>();
        // Whole minutes before the one `before` falls in, then that minute's earlier rows.
        string filter = TableClient.CreateQueryFilter($"PartitionKey le {Minute(before)} and SubmittedAt lt {before}");
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            entries.Add(new IntakeEntry(e.GetString("CustomerId"), e.RowKey, e.GetDateTimeOffset("SubmittedAt")!.Value));
            if (entries.Count == max)
            {
                break;
            }
        }

        return entries.OrderBy(e => e.SubmittedAt).ThenBy(e => e.ApplicationId, StringComparer.Ordinal).ToList();
    }

    public async Task ForgetAsync(IReadOnlyList<IntakeEntry> entries, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        foreach (IGrouping<string, IntakeEntry> minute in entries.GroupBy(e => Minute(e.SubmittedAt)))
        {
            foreach (IntakeEntry[] chunk in minute.DistinctBy(e => e.ApplicationId).Chunk(Batch))
            {
                try
                {
                    await client.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(minute.Key, e.ApplicationId), ETag.All)), cancellationToken);
                }
                catch (TableTransactionFailedException e) when (e.Status == 404)
                {
                    // One was forgotten already (two sweeps at once): forget the rest one by one.
                    foreach (IntakeEntry entry in chunk)
                    {
                        await client.DeleteEntityAsync(minute.Key, entry.ApplicationId, ETag.All, cancellationToken);
                    }
                }
            }
        }
    }

    static string Minute(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture);
}
