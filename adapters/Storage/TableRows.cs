using Azure.Data.Tables;

namespace JisuDai.Adapters.Storage;

/// <summary>Bulk work on table rows that the stores share.</summary>
public static class TableRows
{
    /// <summary>
    /// Deletes the rows <paramref name="filter"/> selects, whatever their version, 100 to a transaction; answers how
    /// many went. A query answers in partition and row order, so a partition's rows come together and are never all
    /// held at once.
    /// </summary>
    public static async Task<int> DeleteWhereAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        int deleted = 0;
        var batch = new List<TableEntity>();
        async Task FlushAsync()
        {
            if (batch.Count > 0)
            {
                await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, Azure.ETag.All)), cancellationToken);
                deleted += batch.Count;
                batch.Clear();
            }
        }

        await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (batch.Count == 100 || (batch.Count > 0 && batch[0].PartitionKey != e.PartitionKey))
            {
                await FlushAsync();
            }

            batch.Add(e);
        }

        await FlushAsync();
        return deleted;
    }
}
