using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Loans;

namespace JisuDai.Adapters.Loans;

/// <summary>The overdue sweep's completion mark in Table storage <c>sweeps</c> (one row).</summary>
public sealed class TableSweepProgress(TableServiceClient tables) : ISweepProgress
{
    readonly OnceCreatedTable table = new(tables, "sweeps");

    public async Task<DateOnly?> LastCompletedAsync(CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        var row = await client.GetEntityIfExistsAsync<TableEntity>("overdue", "last-completed", cancellationToken: cancellationToken);
        return row.HasValue && DateOnly.TryParseExact(row.Value!.GetString("Day"), "yyyy-MM-dd", out DateOnly day) ? day : null;
    }

    public async Task MarkCompletedAsync(DateOnly day, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await client.UpsertEntityAsync(new TableEntity("overdue", "last-completed") { ["Day"] = day.ToString("yyyy-MM-dd") }, TableUpdateMode.Replace, cancellationToken);
    }
}
