using Azure;
using Azure.Data.Tables;
using JisuDai.Functions.Configuration;
using JisuDai.Functions.Storage;

namespace JisuDai.Functions.Notifications;

/// <summary>Where a notification stands.</summary>
public enum SendStatus { Pending, Held, Sending, Sent, Skipped, Retrying, Failed }

/// <summary>The record of one notification, by idempotency key: status, attempts, provider id, timestamps, last error.</summary>
public sealed record SendRecord(
    string IdempotencyKey, SendStatus Status, int Attempts, string? ProviderMessageId, string? LastError,
    string Template, string RecipientMasked, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? HeldUntil)
{
    /// <summary>A message already sent or deliberately skipped is never sent again.</summary>
    public bool Settled => Status is SendStatus.Sent or SendStatus.Skipped;
}

/// <summary>Send records in Table storage (<c>sendrecords</c>), updated under ETag concurrency.</summary>
public sealed class SendRecords(StorageAccount storage)
{
    public const string TableName = "sendrecords";
    const string Partition = "sms";

    readonly OnceCreatedTable tables = new(storage.Tables, TableName);

    public async Task<(SendRecord? Record, ETag ETag)> FindAsync(string key, CancellationToken cancellationToken)
    {
        TableClient table = await tables.GetAsync(cancellationToken);
        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, key, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return (null, default);
        }

        TableEntity e = found.Value!;
        return (new SendRecord(key, Enum.Parse<SendStatus>(e.GetString("Status")), e.GetInt32("Attempts") ?? 0, e.GetString("ProviderMessageId"),
            e.GetString("LastError"), e.GetString("Template"), e.GetString("RecipientMasked"), e.GetDateTimeOffset("CreatedAt")!.Value,
            e.GetDateTimeOffset("UpdatedAt")!.Value, e.GetDateTimeOffset("HeldUntil")), e.ETag);
    }

    /// <summary>Writes the record: creates it when <paramref name="etag"/> is default, else replaces only that version.</summary>
    public async Task<ETag> SaveAsync(SendRecord record, ETag etag, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition, record.IdempotencyKey)
        {
            ["Status"] = record.Status.ToString(),
            ["Attempts"] = record.Attempts,
            ["ProviderMessageId"] = record.ProviderMessageId,
            ["LastError"] = record.LastError,
            ["Template"] = record.Template,
            ["RecipientMasked"] = record.RecipientMasked,
            ["CreatedAt"] = record.CreatedAt,
            ["UpdatedAt"] = record.UpdatedAt,
            ["HeldUntil"] = record.HeldUntil,
        };
        TableClient table = await tables.GetAsync(cancellationToken);
        Response response = etag == default
            ? await table.AddEntityAsync(entity, cancellationToken)
            : await table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken);
        return response.Headers.ETag!.Value;
    }
}
