using Azure;
using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Staff;

namespace JisuDai.Adapters.Staff;

/// <summary>
/// The day's counts in Table storage <c>dailytally</c>: one partition per day, a row per counter (its total in fen) and
/// a row per holder counted under a measure. A count is one entity-group transaction (the holder's row inserted, each
/// counter replaced under its ETag or inserted), so every counter moves together or none does, a holder is counted
/// once, and writers at once retry on the ETag instead of passing a cap.
/// </summary>
public sealed class TableDailyTally(TableServiceClient tables) : IDailyTally
{
    readonly OnceCreatedTable table = new(tables, "dailytally");

    public async Task<TallyResult> TryCountAsync(DateOnly day, string measure, string holder, decimal amount, IReadOnlyList<TallyLimit> limits, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        string partition = day.ToString("yyyy-MM-dd");
        string holderRow = $"{measure}|by|{holder}";
        long fen = (long)(amount * 100m);
        while (true)
        {
            if ((await client.GetEntityIfExistsAsync<TableEntity>(partition, holderRow, cancellationToken: cancellationToken)).HasValue)
            {
                return new TallyResult(true);
            }

            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, new TableEntity(partition, holderRow) { ["Fen"] = fen }) };
            foreach (TallyLimit limit in limits)
            {
                NullableResponse<TableEntity> row = await client.GetEntityIfExistsAsync<TableEntity>(partition, limit.Counter, cancellationToken: cancellationToken);
                long total = row.HasValue ? row.Value!.GetInt64("Fen") ?? 0 : 0;
                if (total + fen > (long)(limit.Max * 100m))
                {
                    return new TallyResult(false, limit.Counter);
                }

                var counter = new TableEntity(partition, limit.Counter) { ["Fen"] = total + fen };
                actions.Add(row.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, counter, row.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, counter));
            }

            try
            {
                await client.SubmitTransactionAsync(actions, cancellationToken);
                return new TallyResult(true);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // Another count landed first (or this holder was counted meanwhile): read again.
            }
        }
    }

    public async Task<IReadOnlyDictionary<string, decimal>> ReadAsync(DateOnly day, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        string partition = day.ToString("yyyy-MM-dd");
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(x => x.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            if (!e.RowKey.Contains("|by|", StringComparison.Ordinal))
            {
                totals[e.RowKey] = (e.GetInt64("Fen") ?? 0) / 100m;
            }
        }

        return totals;
    }
}
