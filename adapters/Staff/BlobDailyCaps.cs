using Azure.Storage.Blobs;
using JisuDai.Adapters.Storage;
using JisuDai.App.Staff;

namespace JisuDai.Adapters.Staff;

/// <summary>The daily caps in Blob storage, <c>settings/daily-caps.json</c> (absent: no caps).</summary>
public sealed class BlobDailyCaps(BlobServiceClient blobs) : IDailyCapStore
{
    readonly BlobContainerClient container = blobs.GetBlobContainerClient("settings");
    volatile bool created;

    public async Task<DailyCaps> GetAsync(CancellationToken cancellationToken) =>
        (await BlobJson.ReadAsync<DailyCaps>(await BlobAsync(cancellationToken), DocumentJson.Options, cancellationToken)).Value ?? DailyCaps.None;

    public async Task SetAsync(DailyCaps caps, CancellationToken cancellationToken) =>
        await BlobJson.UpdateAsync<DailyCaps>(await BlobAsync(cancellationToken), DocumentJson.Options, _ => Task.FromResult(caps), cancellationToken);

    async Task<BlobClient> BlobAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        return container.GetBlobClient("daily-caps.json");
    }
}
