using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Staff;

namespace JisuDai.Adapters.Staff;

/// <summary>Staff alerts in Table storage <c>staffalerts</c>, one row per alert id.</summary>
public sealed class TableStaffAlerts(TableServiceClient tables) : IStaffAlerts
{
    const string Partition = "alerts";
    readonly OnceCreatedTable table = new(tables, "staffalerts");

    public async Task RaiseAsync(StaffAlert alert, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await client.UpsertEntityAsync(new TableEntity(Partition, alert.Id)
        {
            ["Kind"] = alert.Kind, ["Target"] = alert.Target, ["Detail"] = alert.Detail, ["At"] = alert.At,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<StaffAlert>> ListAsync(CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        var alerts = new List<StaffAlert>();
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            alerts.Add(new StaffAlert(e.RowKey, e.GetString("Kind"), e.GetString("Target"), e.GetString("Detail"), e.GetDateTimeOffset("At")!.Value));
        }

        return alerts.OrderByDescending(a => a.At).ToList();
    }
}
