using Azure.Data.Tables;
using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Storage;
using JisuDai.App.Notifications;

namespace JisuDai.Adapters.Notifications;

/// <summary>One message the local sink took.</summary>
public sealed record RecordedMessage(string IdempotencyKey, string To, string Text, DateTimeOffset At);

/// <summary>
/// The embedded default SMS channel, used when no SMS connection is configured: each message is recorded in
/// the <c>recordedmessages</c> table (phone masked) instead of being sent, and <c>GET /api/dev/messages</c>
/// shows them, so a developer can watch a loan's notifications.
/// </summary>
public sealed class RecordedMessages(StorageAccount storage, TimeProvider clock) : ISmsSender, App.Privacy.IPurgeable
{
    public const string TableName = "recordedmessages";
    const string Partition = "sms";

    readonly OnceCreatedTable tables = new(storage.Tables, TableName);

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        TableClient table = await tables.GetAsync(cancellationToken);
        DateTimeOffset at = clock.GetUtcNow();
        // Newest first when listed: row keys sort ascending, so use the time remaining until the year 10000.
        string rowKey = $"{DateTimeOffset.MaxValue.Ticks - at.Ticks:D19}-{message.IdempotencyKey}";
        await table.UpsertEntityAsync(new TableEntity(Partition, rowKey)
        {
            ["IdempotencyKey"] = message.IdempotencyKey,
            ["To"] = PhoneMask.Mask(message.To),
            ["Text"] = message.Text,
            ["At"] = at,
        }, TableUpdateMode.Replace, cancellationToken);
        return new SmsSendResult(true, $"local-{rowKey}", null);
    }

    /// <summary>Deletes the messages recorded before <paramref name="before"/> (they hold sign-in codes); answers how many went.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        await TableRows.DeleteWhereAsync(await tables.GetAsync(cancellationToken), TableClient.CreateQueryFilter($"At lt {before}"), cancellationToken);

    /// <summary>The most recent messages, newest first.</summary>
    public async Task<IReadOnlyList<RecordedMessage>> LatestAsync(int count, CancellationToken cancellationToken)
    {
        TableClient table = await tables.GetAsync(cancellationToken);
        var messages = new List<RecordedMessage>();
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(maxPerPage: count, cancellationToken: cancellationToken))
        {
            messages.Add(new RecordedMessage(e.GetString("IdempotencyKey"), e.GetString("To"), e.GetString("Text"), e.GetDateTimeOffset("At")!.Value));
            if (messages.Count == count)
            {
                break;
            }
        }

        return messages;
    }
}
