using Azure.Storage.Blobs;

namespace JisuDai.Adapters.Storage;

/// <summary>One setting kept as a JSON blob in container <c>settings</c>, replaced whole; <paramref name="absent"/> until first set.</summary>
public abstract class BlobSetting<T>(BlobServiceClient blobs, string blobName, T absent) where T : class
{
    readonly BlobContainerClient container = blobs.GetBlobContainerClient("settings");
    volatile bool created;

    public async Task<T> GetAsync(CancellationToken cancellationToken) =>
        (await BlobJson.ReadAsync<T>(await BlobAsync(cancellationToken), DocumentJson.Options, cancellationToken)).Value ?? absent;

    public async Task SetAsync(T value, CancellationToken cancellationToken) =>
        await BlobJson.UpdateAsync<T>(await BlobAsync(cancellationToken), DocumentJson.Options, _ => Task.FromResult(value), cancellationToken);

    async Task<BlobClient> BlobAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        return container.GetBlobClient(blobName);
    }
}
