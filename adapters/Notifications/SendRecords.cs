using Azure;
using Azure.Data.Tables;
using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Storage;
using JisuDai.App.Notifications;
using JisuDai.Lending.Documents;

namespace JisuDai.Adapters.Notifications;

/// <summary>Send records in Table storage (<c>sendrecords</c>), updated under ETag concurrency.</summary>
public sealed class SendRecords(StorageAccount storage) : ISendRecords
{
    public const string TableName = "sendrecords";
    const string Partition = "sms";

    readonly OnceCreatedTable tables = new(storage.Tables, TableName);

    public async Task<(SendRecord? Record, string? ETag)> FindAsync(string key, CancellationToken cancellationToken)
    {
        TableClient table = await tables.GetAsync(cancellationToken);
        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, key, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return (null, null);
        }

        TableEntity e = found.Value!;
        return (new SendRecord(key, Enum.Parse<SendStatus>(e.GetString("Status")), e.GetInt32("Attempts") ?? 0, e.GetString("ProviderMessageId"),
            e.GetString("LastError"), e.GetString("Template"), e.GetString("RecipientMasked"), e.GetDateTimeOffset("CreatedAt")!.Value,
            e.GetDateTimeOffset("UpdatedAt")!.Value, e.GetDateTimeOffset("HeldUntil")), e.ETag.ToString());
    }

    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        await TableRows.DeleteWhereAsync(await tables.GetAsync(cancellationToken), TableClient.CreateQueryFilter($"UpdatedAt lt {before}"), cancellationToken);

    public async Task<string> SaveAsync(SendRecord record, string? etag, CancellationToken cancellationToken)
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
        try
        {
            Response response = etag is null
                ? await table.AddEntityAsync(entity, cancellationToken)
                : await table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag!.Value.ToString();
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw new ConcurrencyConflictException("Send record", Partition, record.IdempotencyKey, e);
        }
    }
}
