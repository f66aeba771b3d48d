using System.Collections.Concurrent;
using JisuDai.Lending.Products;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Products;

/// <summary>
/// The product catalogue as the use cases read it: the products new applications may take now, and any version by
/// number. With nothing published, the built-in products are published as version 1 on first use, so lending needs no
/// configuration. The publication list is read again at most every 30 s, so a publication made elsewhere applies
/// within that; versions never change, so one read is kept for good.
/// </summary>
public sealed class LoanProducts(IProductStore store, TimeProvider clock, ILogger<LoanProducts> logger)
{
    static readonly TimeSpan ListFor = TimeSpan.FromSeconds(30);
    readonly ConcurrentDictionary<(string Code, int Version), LoanProduct> versions = new();
    (IReadOnlyList<ProductPublication> Items, DateTimeOffset ReadAt)? publications;

    /// <summary>Every publication, in the order published.</summary>
    public async Task<IReadOnlyList<ProductPublication>> PublicationsAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = clock.GetUtcNow();
        if (publications is { } cached && now - cached.ReadAt < ListFor && now >= cached.ReadAt)
        {
            return cached.Items;
        }

        IReadOnlyList<ProductPublication> items = await store.ListAsync(cancellationToken);
        if (items.Count == 0)
        {
            foreach (LoanProduct product in BuiltInProducts.All)
            {
                await store.PublishAsync(new ProductPublication(product, DateTimeOffset.UnixEpoch, true, "The built-in product.", now, "built-in", "built-in", $"built-in-{product.Code}"), cancellationToken);
            }

            logger.LogInformation("No product was published; published the built-in products ({Codes}) as version 1.", string.Join(", ", BuiltInProducts.All.Select(p => p.Code)));
            items = await store.ListAsync(cancellationToken);
        }

        publications = (items, now);
        return items;
    }

    /// <summary>The products new applications may take now, by code.</summary>
    public async Task<IReadOnlyDictionary<string, LoanProduct>> OfferedAsync(CancellationToken cancellationToken) =>
        ProductsInForce.At(await PublicationsAsync(cancellationToken), clock.GetUtcNow());

    /// <summary>Version <paramref name="version"/> of <paramref name="code"/>, or null when it was never published.</summary>
    public async Task<LoanProduct?> VersionAsync(string code, int version, CancellationToken cancellationToken)
    {
        if (versions.TryGetValue((code, version), out LoanProduct? known))
        {
            return known;
        }

        LoanProduct? found = ProductsInForce.Find(await PublicationsAsync(cancellationToken), code, version);
        if (found is null && publications is not null)
        {
            // Published elsewhere in the last 30 s: read the list again once.
            publications = null;
            found = ProductsInForce.Find(await PublicationsAsync(cancellationToken), code, version);
        }

        return found is null ? null : versions[(code, version)] = found;
    }

    /// <summary>Forgets the cached publication list, after a publication in this process.</summary>
    public void Invalidate() => publications = null;
}
