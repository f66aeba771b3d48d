using JisuDai.Lending.Products;

namespace JisuDai.App.Products;

/// <summary>Where product publications are kept: every version of every product, added to and never changed.</summary>
public interface IProductStore
{
    /// <summary>Every publication, in the order published.</summary>
    Task<IReadOnlyList<ProductPublication>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="publication"/> when its version is the next of its product (<see cref="ProductsInForce.NextVersion"/>),
    /// or answers the one already published by the same staff request; refused with <see cref="ProductVersionTakenException"/>
    /// when another publication took the version meanwhile.
    /// </summary>
    Task<ProductPublication> PublishAsync(ProductPublication publication, CancellationToken cancellationToken);
}

/// <summary>A version was published by someone else since it was proposed.</summary>
public sealed class ProductVersionTakenException(string message) : Exception(message);
