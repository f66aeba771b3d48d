using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using JisuDai.Adapters.Storage;
using JisuDai.App.Staff;

namespace JisuDai.Adapters.Staff;

/// <summary>
/// The staff audit log in Blob storage. Entries are lines of JSON appended to append blobs in container
/// <c>auditlog</c> (<c>entries-000000.log</c>, a new blob every <c>entriesPerBlob</c> entries; an append blob takes
/// 50,000 appends). Each append is conditional on the blob's length being the one the entry was chained from, so two
/// writers can never both take a place. In Azure the container has a time-based retention policy allowing protected
/// appends only (infra/modules/storage.bicep): nothing can be changed or deleted, only added. The head (last sequence
/// and hash) is kept apart in <c>audit/head.json</c>, moved on under its ETag after each entry, and the day's head is
/// anchored once in container <c>auditanchors</c> (<c>{yyyy-MM-dd}.json</c>, written only where absent, under the same
/// policy), so a log rebuilt or cut since is found.
/// </summary>
public sealed class BlobAuditLog(BlobServiceClient blobs, TimeProvider clock, int entriesPerBlob = 50_000) : IAuditLog
{
    const string Prefix = "entries-";
    const int TailWindow = 64 * 1024; // an entry's line is far shorter: the last one is always inside it
    readonly BlobContainerClient entries = blobs.GetBlobContainerClient("auditlog");
    readonly BlobContainerClient heads = blobs.GetBlobContainerClient("audit");
    readonly BlobContainerClient anchors = blobs.GetBlobContainerClient("auditanchors");
    volatile bool created;

    public async Task<AuditEntry> AppendAsync(StaffAction action, CancellationToken cancellationToken)
    {
        await CreateAsync(cancellationToken);
        BlobClient headBlob = heads.GetBlobClient("head.json");
        while (true)
        {
            (AppendBlobClient blob, long length, AuditEntry? last) = await TailAsync(cancellationToken);
            (_, ETag? etag) = await BlobJson.ReadAsync<AuditHead>(headBlob, DocumentJson.Options, cancellationToken);
            AuditEntry entry = AuditEntry.After(last is null ? null : new AuditHead(last.Sequence, last.Hash), clock.GetUtcNow(), action);
            try
            {
                using var line = new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, DocumentJson.Options) + "\n"));
                await blob.AppendBlockAsync(line, new AppendBlobAppendBlockOptions { Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = length } }, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                continue; // another writer appended first: chain from theirs
            }

            await MoveHeadAsync(headBlob, new AuditHead(entry.Sequence, entry.Hash), etag, cancellationToken);
            return entry;
        }
    }

    public async IAsyncEnumerable<AuditEntry> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await CreateAsync(cancellationToken);
        foreach (string name in await NamesAsync(cancellationToken))
        {
            BinaryData content = (await entries.GetBlobClient(name).DownloadContentAsync(cancellationToken)).Value.Content;
            foreach (string line in content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return JsonSerializer.Deserialize<AuditEntry>(line, DocumentJson.Options)!;
            }
        }
    }

    public async Task<AuditHead?> HeadAsync(CancellationToken cancellationToken)
    {
        await CreateAsync(cancellationToken);
        return (await BlobJson.ReadAsync<AuditHead>(heads.GetBlobClient("head.json"), DocumentJson.Options, cancellationToken)).Value;
    }

    public async Task<AuditAnchor?> AnchorAsync(DateOnly day, CancellationToken cancellationToken)
    {
        await CreateAsync(cancellationToken);
        BlobClient blob = anchors.GetBlobClient($"{day:yyyy-MM-dd}.json");
        if ((await BlobJson.ReadAsync<AuditAnchor>(blob, DocumentJson.Options, cancellationToken)).Value is { } written)
        {
            return written;
        }

        (_, _, AuditEntry? last) = await TailAsync(cancellationToken);
        if (last is null)
        {
            return null;
        }

        var anchor = new AuditAnchor(day, last.Sequence, last.Hash, clock.GetUtcNow());
        try
        {
            await blob.UploadAsync(BinaryData.FromObjectAsJson(anchor, DocumentJson.Options), new BlobUploadOptions { Conditions = new() { IfNoneMatch = ETag.All } }, cancellationToken);
            return anchor;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return (await BlobJson.ReadAsync<AuditAnchor>(blob, DocumentJson.Options, cancellationToken)).Value; // anchored meanwhile
        }
    }

    public async Task<IReadOnlyList<AuditAnchor>> AnchorsAsync(CancellationToken cancellationToken)
    {
        await CreateAsync(cancellationToken);
        var found = new List<AuditAnchor>();
        await foreach (BlobItem item in anchors.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, cancellationToken))
        {
            if ((await BlobJson.ReadAsync<AuditAnchor>(anchors.GetBlobClient(item.Name), DocumentJson.Options, cancellationToken)).Value is { } anchor)
            {
                found.Add(anchor);
            }
        }

        return found.OrderBy(a => a.Day).ToList();
    }

    /// <summary>The blob the next entry goes to, its length, and the last entry written (in it, or in the blob before when it is new).</summary>
    async Task<(AppendBlobClient Blob, long Length, AuditEntry? Last)> TailAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            IReadOnlyList<string> names = await NamesAsync(cancellationToken);
            if (names.Count == 0)
            {
                await entries.GetAppendBlobClient(NameOf(0)).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                continue;
            }

            AppendBlobClient current = entries.GetAppendBlobClient(names[^1]);
            BlobProperties properties = (await current.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            AuditEntry? last = properties.ContentLength > 0 ? await LastAsync(current, properties.ContentLength, cancellationToken)
                : names.Count > 1 ? await LastAsync(entries.GetAppendBlobClient(names[^2]), null, cancellationToken)
                : null;
            if (properties.BlobCommittedBlockCount >= entriesPerBlob)
            {
                await entries.GetAppendBlobClient(NameOf(names.Count)).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                continue;
            }

            return (current, properties.ContentLength, last);
        }
    }

    static async Task<AuditEntry?> LastAsync(AppendBlobClient blob, long? length, CancellationToken cancellationToken)
    {
        long size = length ?? (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
        long from = Math.Max(0, size - TailWindow);
        BinaryData tail = (await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(from, size - from) }, cancellationToken)).Value.Content;
        string? line = tail.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return line is null ? null : JsonSerializer.Deserialize<AuditEntry>(line, DocumentJson.Options);
    }

    async Task<IReadOnlyList<string>> NamesAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (BlobItem item in entries.GetBlobsAsync(BlobTraits.None, BlobStates.None, Prefix, cancellationToken))
        {
            names.Add(item.Name);
        }

        return names.Order(StringComparer.Ordinal).ToList();
    }

    static string NameOf(int index) => $"{Prefix}{index.ToString("D6", CultureInfo.InvariantCulture)}.log";

    async Task CreateAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await entries.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await heads.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await anchors.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }
    }

    static async Task MoveHeadAsync(BlobClient headBlob, AuditHead head, ETag? etag, CancellationToken cancellationToken)
    {
        try
        {
            await headBlob.UploadAsync(BinaryData.FromObjectAsJson(head, DocumentJson.Options),
                new BlobUploadOptions { Conditions = etag is { } e ? new() { IfMatch = e } : new() { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another writer moved the head meanwhile; it is at least as far on, or the next append moves it past this.
        }
    }
}
