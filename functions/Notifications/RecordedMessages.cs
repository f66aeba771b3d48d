using Azure;
using Azure.Data.Tables;
using System.Text.Json;
using JisuDai.Functions.Configuration;

namespace JisuDai.Functions.Notifications;

/// <summary>
/// The embedded default SMS channel: each message is recorded in the <c>recordedmessages</c> table instead
/// of being sent, keyed by its idempotency key so a redelivered request is recorded once.
/// </summary>
public sealed class RecordedMessages(StorageAccount storage)
{
    public const string TableName = "recordedmessages";
    const string Partition = "sms";

    readonly TableClient table = storage.Tables.GetTableClient(TableName);

    /// <summary>Records the message; false when one with the same idempotency key was recorded before.</summary>
    public async Task<bool> RecordAsync(NotificationRequest request, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await table.CreateIfNotExistsAsync(cancellationToken);
        var entity = new TableEntity(Partition, request.IdempotencyKey)
        {
            ["Recipient"] = request.Recipient,
            ["Template"] = request.Template,
            ["Parameters"] = JsonSerializer.Serialize(request.Parameters ?? new Dictionary<string, string>()),
            ["RecordedAt"] = at,
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }
}
