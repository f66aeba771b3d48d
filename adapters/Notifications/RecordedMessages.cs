using Azure.Data.Tables;
using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Storage;
using JisuDai.App.Notifications;

namespace JisuDai.Adapters.Notifications;

/// <summary>One message the local sink took.</summary>
public sealed record RecordedMessage(string IdempotencyKey, string To, string Text, DateTimeOffset At);

/// <summary>
/// The embedded default SMS and email channel, used when no Communication Services resource (or, for email, no sender
/// address) is configured: each message is recorded in the <c>recordedmessages</c> table (phone or address masked)
/// instead of being sent, and <c>GET /api/dev/messages</c> shows them, so a developer can watch a loan's notifications
/// and the on-call alerts.
/// </summary>
public sealed class RecordedMessages(StorageAccount storage, TimeProvider clock) : ISmsSender, IEmailSender, App.Privacy.IPurgeable
{
    public const string TableName = "recordedmessages";
    const string Partition = "sms";

    readonly OnceCreatedTable tables = new(storage.Tables, TableName);

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        string id = await RecordAsync(message.IdempotencyKey, PhoneMask.Mask(message.To), message.Text, cancellationToken);
        return new SmsSendResult(true, id, null);
    }

    public async Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        string id = await RecordAsync(message.IdempotencyKey, EmailAddress.Mask(message.To), message.Text, cancellationToken);
        return new EmailSendResult(true, id, null);
    }

    async Task<string> RecordAsync(string idempotencyKey, string maskedTo, string text, CancellationToken cancellationToken)
    {
        TableClient table = await tables.GetAsync(cancellationToken);
        DateTimeOffset at = clock.GetUtcNow();
        // Newest first when listed: row keys sort ascending, so use the time remaining until the year 10000.
        string rowKey = $"{DateTimeOffset.MaxValue.Ticks - at.Ticks:D19}-{idempotencyKey}";
        await table.UpsertEntityAsync(new TableEntity(Partition, rowKey)
        {
            ["IdempotencyKey"] = idempotencyKey,
            ["To"] = maskedTo,
            ["Text"] = text,
            ["At"] = at,
        }, TableUpdateMode.Replace, cancellationToken);
        return $"local-{rowKey}";
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
