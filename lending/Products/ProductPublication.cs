namespace JisuDai.Lending.Products;

/// <summary>
/// One published version of a product: its terms, from when they apply to new applications, and who published them.
/// Publications are never changed or removed; a product is changed by publishing its next version, and withdrawn by
/// publishing one that is not <see cref="Offered"/>.
/// </summary>
/// <param name="Product">The terms, with their <see cref="LoanProduct.Version"/>.</param>
/// <param name="EffectiveFrom">When new applications start taking these terms.</param>
/// <param name="Offered">False for a version that withdraws the product: no new application may take it.</param>
/// <param name="Description">What changed, for staff.</param>
/// <param name="PublishedAt">When the version was published.</param>
/// <param name="ProposedBy">Who proposed it ("built-in" for the first start's products).</param>
/// <param name="ApprovedBy">Who approved it.</param>
/// <param name="RequestId">The staff request that published it, so carrying out one approval twice publishes once.</param>
public sealed record ProductPublication(
    LoanProduct Product,
    DateTimeOffset EffectiveFrom,
    bool Offered,
    string? Description,
    DateTimeOffset PublishedAt,
    string ProposedBy,
    string ApprovedBy,
    string? RequestId = null);

/// <summary>Which versions are in force, and which version a record names.</summary>
public static class ProductsInForce
{
    /// <summary>
    /// The products new applications may take at <paramref name="now"/>, by code: for each code, its highest version
    /// whose effective time has come, left out when that version withdraws the product.
    /// </summary>
    public static IReadOnlyDictionary<string, LoanProduct> At(IEnumerable<ProductPublication> publications, DateTimeOffset now)
    {
        var inForce = new Dictionary<string, ProductPublication>(StringComparer.Ordinal);
        foreach (ProductPublication publication in publications)
        {
            if (publication.EffectiveFrom <= now
                && (!inForce.TryGetValue(publication.Product.Code, out ProductPublication? held) || held.Product.Version < publication.Product.Version))
            {
                inForce[publication.Product.Code] = publication;
            }
        }

        return inForce.Values.Where(p => p.Offered).ToDictionary(p => p.Product.Code, p => p.Product, StringComparer.Ordinal);
    }

    /// <summary>Version <paramref name="version"/> of <paramref name="code"/>, whether or not it is in force; null when never published.</summary>
    public static LoanProduct? Find(IEnumerable<ProductPublication> publications, string code, int version) =>
        publications.FirstOrDefault(p => p.Product.Code == code && p.Product.Version == version)?.Product;

    /// <summary>The version publishing <paramref name="code"/> again would get: one more than its highest, 1 for a new product.</summary>
    public static int NextVersion(IEnumerable<ProductPublication> publications, string code) =>
        publications.Where(p => p.Product.Code == code).Select(p => p.Product.Version).DefaultIfEmpty(0).Max() + 1;
}
