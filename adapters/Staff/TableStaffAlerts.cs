using Azure;
using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Staff;

namespace JisuDai.Adapters.Staff;

/// <summary>Staff alerts in Table storage <c>staffalerts</c>, one row per alert id, changed only under its ETag.</summary>
public sealed class TableStaffAlerts(TableServiceClient tables) : IStaffAlerts
{
    const string Partition = "alerts";
    const int Attempts = 5;
    readonly OnceCreatedTable table = new(tables, "staffalerts");

    public async Task<StaffAlert?> RaiseAsync(StaffAlert alert, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        StaffAlert opening = alert with { LastAt = null, ResolvedAt = null, ResolvedBy = null, Resolution = null, NotifiedAt = null };
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                NullableResponse<TableEntity> found = await client.GetEntityIfExistsAsync<TableEntity>(Partition, alert.Id, cancellationToken: cancellationToken);
                if (!found.HasValue)
                {
                    await client.AddEntityAsync(Entity(opening), cancellationToken);
                    return opening;
                }

                StaffAlert current = Read(found.Value!);
                StaffAlert next = current.Open ? current with { Detail = alert.Detail, LastAt = alert.At } : opening;
                await client.UpdateEntityAsync(Entity(next), found.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                return next.NotifiedAt is null ? next : null;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < Attempts)
            {
                // Raised at the same moment elsewhere: read it again and apply this raising to what is there now.
            }
        }
    }

    public async Task<StaffAlert?> ResolveAsync(string id, string by, string resolution, DateTimeOffset at, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        for (int attempt = 1; ; attempt++)
        {
            NullableResponse<TableEntity> found = await client.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
            if (!found.HasValue)
            {
                return null;
            }

            StaffAlert current = Read(found.Value!);
            if (!current.Open)
            {
                return current;
            }

            StaffAlert resolved = current with { ResolvedAt = at, ResolvedBy = by, Resolution = resolution };
            try
            {
                await client.UpdateEntityAsync(Entity(resolved), found.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                return resolved;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < Attempts)
            {
                // Raised again meanwhile: resolve what is there now.
            }
        }
    }

    public async Task MarkNotifiedAsync(string id, DateTimeOffset openedAt, DateTimeOffset at, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        for (int attempt = 1; ; attempt++)
        {
            NullableResponse<TableEntity> found = await client.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
            // Only the opening that was told: one resolved and opened again since is told again.
            if (!found.HasValue || Read(found.Value!) is not { } current || current.At != openedAt || current.NotifiedAt is not null)
            {
                return;
            }

            try
            {
                await client.UpdateEntityAsync(Entity(current with { NotifiedAt = at }), found.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < Attempts)
            {
                // Raised again meanwhile: mark what is there now.
            }
        }
    }

    public async Task<IReadOnlyList<StaffAlert>> ListAsync(CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        var alerts = new List<StaffAlert>();
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            alerts.Add(Read(e));
        }

        return alerts.OrderByDescending(a => a.LastAt ?? a.At).ToList();
    }

    static TableEntity Entity(StaffAlert alert) => new(Partition, alert.Id)
    {
        ["Kind"] = alert.Kind, ["Target"] = alert.Target, ["Detail"] = alert.Detail, ["At"] = alert.At,
        ["LastAt"] = alert.LastAt, ["ResolvedAt"] = alert.ResolvedAt, ["ResolvedBy"] = alert.ResolvedBy, ["Resolution"] = alert.Resolution,
        ["NotifiedAt"] = alert.NotifiedAt,
    };

    static StaffAlert Read(TableEntity e) => new(e.RowKey, e.GetString("Kind"), e.GetString("Target"), e.GetString("Detail"), e.GetDateTimeOffset("At")!.Value,
        e.GetDateTimeOffset("LastAt"), e.GetDateTimeOffset("ResolvedAt"), e.GetString("ResolvedBy"), e.GetString("Resolution"), e.GetDateTimeOffset("NotifiedAt"));
}
