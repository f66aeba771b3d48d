using Azure.Storage.Blobs;
using JisuDai.Adapters.Storage;
using JisuDai.App.Staff;

namespace JisuDai.Adapters.Staff;

/// <summary>The lending halt in Blob storage, <c>settings/lending-halt.json</c> (absent: not halted).</summary>
public sealed class BlobLendingHalt(BlobServiceClient blobs) : ILendingHaltStore
{
    readonly BlobContainerClient container = blobs.GetBlobContainerClient("settings");
    volatile bool created;

    public async Task<LendingHalt> GetAsync(CancellationToken cancellationToken) =>
        (await BlobJson.ReadAsync<LendingHalt>(await BlobAsync(cancellationToken), DocumentJson.Options, cancellationToken)).Value ?? LendingHalt.None;

    public async Task SetAsync(LendingHalt halt, CancellationToken cancellationToken) =>
        await BlobJson.UpdateAsync<LendingHalt>(await BlobAsync(cancellationToken), DocumentJson.Options, _ => Task.FromResult(halt), cancellationToken);

    async Task<BlobClient> BlobAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        return container.GetBlobClient("lending-halt.json");
    }
}
