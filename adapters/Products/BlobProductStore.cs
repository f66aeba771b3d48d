using Azure.Storage.Blobs;
using JisuDai.Adapters.Storage;
using JisuDai.App.Products;
using JisuDai.Lending.Products;

namespace JisuDai.Adapters.Products;

/// <summary>
/// Product publications in Blob storage: container <c>products</c>, one document <c>catalogue.json</c> holding every
/// version of every product in the order published, only ever appended to, under its ETag (a few hundred versions are
/// a few hundred kilobytes).
/// </summary>
public sealed class BlobProductStore(BlobServiceClient blobs) : IProductStore
{
    public const string Container = "products";

    readonly BlobContainerClient container = blobs.GetBlobContainerClient(Container);
    volatile bool created;

    public async Task<IReadOnlyList<ProductPublication>> ListAsync(CancellationToken cancellationToken) =>
        (await BlobJson.ReadAsync<Catalogue>(await BlobAsync(cancellationToken), DocumentJson.Options, cancellationToken)).Value?.Items ?? [];

    public async Task<ProductPublication> PublishAsync(ProductPublication publication, CancellationToken cancellationToken)
    {
        Catalogue updated = await BlobJson.UpdateAsync<Catalogue>(await BlobAsync(cancellationToken), DocumentJson.Options, current =>
        {
            IReadOnlyList<ProductPublication> items = current?.Items ?? [];
            if (publication.RequestId is not null && items.Any(p => p.RequestId == publication.RequestId))
            {
                return Task.FromResult(current!);
            }

            int next = ProductsInForce.NextVersion(items, publication.Product.Code);
            return publication.Product.Version == next
                ? Task.FromResult(new Catalogue([.. items, publication]))
                : throw new ProductVersionTakenException($"Product {publication.Product.Code} version {publication.Product.Version} was published meanwhile (the next version is {next}); propose again against it.");
        }, cancellationToken);
        return updated.Items.First(p => p.RequestId == publication.RequestId && p.Product.Code == publication.Product.Code);
    }

    async Task<BlobClient> BlobAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        return container.GetBlobClient("catalogue.json");
    }

    sealed record Catalogue(IReadOnlyList<ProductPublication> Items);
}
