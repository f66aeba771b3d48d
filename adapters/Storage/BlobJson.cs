using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace JisuDai.Adapters.Storage;

/// <summary>
/// A small JSON document in a blob, changed only under its ETag: a change is applied to what is there now, and when
/// another writer got in first it is read again and applied again, so no concurrent change is lost.
/// </summary>
public static class BlobJson
{
    const int Attempts = 5;

    /// <summary>The document and its ETag, or (null, null) when the blob does not exist.</summary>
    public static async Task<(T? Value, ETag? ETag)> ReadAsync<T>(BlobClient blob, JsonSerializerOptions json, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return (JsonSerializer.Deserialize<T>(content.Value.Content.ToArray(), json), content.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null);
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current document (null when there is none) and writes the result under
    /// the ETag it read. When <paramref name="change"/> returns the same instance it was given, nothing is written.
    /// </summary>
    public static async Task<T> UpdateAsync<T>(BlobClient blob, JsonSerializerOptions json, Func<T?, Task<T>> change, CancellationToken cancellationToken)
        where T : class
    {
        for (int attempt = 1; ; attempt++)
        {
            (T? current, ETag? etag) = await ReadAsync<T>(blob, json, cancellationToken);
            T updated = await change(current);
            if (ReferenceEquals(updated, current))
            {
                return updated;
            }

            try
            {
                await blob.UploadAsync(
                    new BinaryData(JsonSerializer.SerializeToUtf8Bytes(updated, json)),
                    new BlobUploadOptions { Conditions = etag is { } tag ? new BlobRequestConditions { IfMatch = tag } : new BlobRequestConditions { IfNoneMatch = ETag.All } },
                    cancellationToken);
                return updated;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < Attempts)
            {
                // Another writer changed it since we read it: read again and apply the change to what is there now.
            }
        }
    }

    /// <summary>Writes bytes only if the blob does not exist yet; true when this call wrote them.</summary>
    public static async Task<bool> CreateOnceAsync(BlobClient blob, byte[] bytes, IDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(new BinaryData(bytes), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                Metadata = metadata,
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }
}
