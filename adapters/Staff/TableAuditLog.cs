using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using JisuDai.Adapters.Storage;
using JisuDai.App.Staff;

namespace JisuDai.Adapters.Staff;

/// <summary>
/// The staff audit log: entries in Table storage <c>auditlog</c> (one row per entry, keyed by its zero-padded sequence,
/// added only where absent, so two writers can never both take a place), and the head in Blob storage
/// <c>audit/head.json</c>, moved on under its ETag after each entry. A crash between the two leaves an entry past the
/// head, which the next append adopts (it follows the head's hash) before adding its own.
/// </summary>
public sealed class TableAuditLog(TableServiceClient tables, BlobServiceClient blobs, TimeProvider clock) : IAuditLog
{
    const string Partition = "log";
    readonly OnceCreatedTable table = new(tables, "auditlog");
    readonly BlobContainerClient container = blobs.GetBlobContainerClient("audit");

    public async Task<AuditEntry> AppendAsync(StaffAction action, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        BlobClient headBlob = container.GetBlobClient("head.json");
        while (true)
        {
            (AuditHead? head, ETag? etag) = await BlobJson.ReadAsync<AuditHead>(headBlob, DocumentJson.Options, cancellationToken);
            AuditEntry entry = AuditEntry.After(head, clock.GetUtcNow(), action);
            try
            {
                await client.AddEntityAsync(Row(entry), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Someone took this place: adopt their entry as the head if it follows ours, then try the next place.
                AuditEntry taken = Read((await client.GetEntityAsync<TableEntity>(Partition, Key(entry.Sequence), cancellationToken: cancellationToken)).Value);
                if (taken.PreviousHash == (head?.Hash ?? AuditEntry.Genesis))
                {
                    await MoveHeadAsync(headBlob, new AuditHead(taken.Sequence, taken.Hash), etag, cancellationToken);
                }

                continue;
            }

            await MoveHeadAsync(headBlob, new AuditHead(entry.Sequence, entry.Hash), etag, cancellationToken);
            return entry;
        }
    }

    public async IAsyncEnumerable<AuditEntry> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await foreach (TableEntity row in client.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            yield return Read(row);
        }
    }

    public async Task<AuditHead?> HeadAsync(CancellationToken cancellationToken)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return (await BlobJson.ReadAsync<AuditHead>(container.GetBlobClient("head.json"), DocumentJson.Options, cancellationToken)).Value;
    }

    static async Task MoveHeadAsync(BlobClient headBlob, AuditHead head, ETag? etag, CancellationToken cancellationToken)
    {
        try
        {
            await headBlob.UploadAsync(BinaryData.FromObjectAsJson(head, DocumentJson.Options),
                new Azure.Storage.Blobs.Models.BlobUploadOptions { Conditions = etag is { } e ? new() { IfMatch = e } : new() { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another writer moved the head first; it is at least as far on.
        }
    }

    static string Key(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    static TableEntity Row(AuditEntry entry) => new(Partition, Key(entry.Sequence))
    {
        // As text, to the tick: the hash covers the time exactly as written.
        ["At"] = entry.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), ["Action"] = JsonSerializer.Serialize(entry.Action, DocumentJson.Options), ["PreviousHash"] = entry.PreviousHash, ["Hash"] = entry.Hash,
    };

    static AuditEntry Read(TableEntity row) => new(long.Parse(row.RowKey, CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(row.GetString("At"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        JsonSerializer.Deserialize<StaffAction>(row.GetString("Action"), DocumentJson.Options)!, row.GetString("PreviousHash"), row.GetString("Hash"));
}
