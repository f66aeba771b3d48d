using Azure.Storage.Blobs;
using JisuDai.Adapters.Storage;
using JisuDai.App.Loans;

namespace JisuDai.Adapters.Loans;

/// <summary>Write-off proposals in Blob storage, <c>writeoffs/{yyyy-MM}.json</c>, changed under the blob's ETag.</summary>
public sealed class BlobWriteOffProposals(BlobServiceClient blobs) : IWriteOffProposalStore
{
    readonly BlobContainerClient container = blobs.GetBlobContainerClient("writeoffs");
    volatile bool created;

    public async Task<WriteOffProposal?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await BlobJson.ReadAsync<WriteOffProposal>(await BlobAsync(id, cancellationToken), DocumentJson.Options, cancellationToken)).Value;

    public async Task<WriteOffProposal> ChangeAsync(string id, Func<WriteOffProposal?, WriteOffProposal> change, CancellationToken cancellationToken) =>
        await BlobJson.UpdateAsync<WriteOffProposal>(await BlobAsync(id, cancellationToken), DocumentJson.Options, current => Task.FromResult(change(current)), cancellationToken);

    async Task<BlobClient> BlobAsync(string id, CancellationToken cancellationToken)
    {
        if (!created)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        return container.GetBlobClient($"{id}.json");
    }
}
