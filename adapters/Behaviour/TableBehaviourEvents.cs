using System.Text.Json;
using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Behaviour;
using JisuDai.Risk.Behaviour;

namespace JisuDai.Adapters.Behaviour;

/// <summary>
/// Behaviour events in Table storage <c>behaviourevents</c>: a partition per customer, the row key the event's time in
/// ticks and its id, so a customer's events read back in time order from any moment with one range query, and an event
/// sent again lands on its own row. A batch is written in entity-group transactions (one partition, at most 100 rows
/// each), so it is all there or not at all.
/// </summary>
public sealed class TableBehaviourEvents(TableServiceClient tables) : IBehaviourEvents
{
    readonly OnceCreatedTable table = new(tables, "behaviourevents");

    public async Task AppendAsync(string customerId, IReadOnlyList<(string Id, BehaviourEvent Event)> events, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        foreach ((string Id, BehaviourEvent Event)[] chunk in events.DistinctBy(e => RowKey(e.Event.At, e.Id)).Chunk(100))
        {
            await client.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(customerId, RowKey(e.Event.At, e.Id))
            {
                ["Kind"] = e.Event.Kind, ["At"] = e.Event.At, ["Name"] = e.Event.Name, ["DurationMs"] = e.Event.DurationMs, ["Device"] = e.Event.Device,
                ["Address"] = e.Event.Address, ["Traits"] = e.Event.Traits is { } t ? JsonSerializer.Serialize(t) : null,
            })), cancellationToken);
        }
    }

    public async Task<IReadOnlyList<BehaviourEvent>> ListAsync(string customerId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        var found = new List<BehaviourEvent>();
        string from = $"{since.UtcTicks:D19}";
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {customerId} and RowKey ge {from}"), cancellationToken: cancellationToken))
        {
            found.Add(new BehaviourEvent(e.GetString("Kind"), e.GetDateTimeOffset("At")!.Value, e.GetString("Name"), e.GetInt64("DurationMs"), e.GetString("Device"),
                e.GetString("Address"), e.GetString("Traits") is { } traits ? JsonSerializer.Deserialize<DeviceTraits>(traits) : null));
        }

        return found;
    }

    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        DeleteWhereAsync(TableClient.CreateQueryFilter($"At lt {before}"), cancellationToken);

    public Task<int> DeleteCustomerAsync(string customerId, CancellationToken cancellationToken) =>
        DeleteWhereAsync(TableClient.CreateQueryFilter($"PartitionKey eq {customerId}"), cancellationToken);

    async Task<int> DeleteWhereAsync(string filter, CancellationToken cancellationToken) =>
        await TableRows.DeleteWhereAsync(await table.GetAsync(cancellationToken), filter, cancellationToken);

    static string RowKey(DateTimeOffset at, string id) => $"{at.UtcTicks:D19}-{id}";
}
