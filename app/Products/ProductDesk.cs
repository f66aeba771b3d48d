using System.Text;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Lending;
using JisuDai.Lending.Products;

namespace JisuDai.App.Products;

/// <summary>A product as a borrower's app shows it: the terms in force and since when.</summary>
public sealed record OfferedProduct(LoanProduct Product, DateTimeOffset EffectiveFrom, string? Description);

/// <summary>A product document that passed validation, and the version it would become.</summary>
public sealed record ValidProduct(bool Valid, string Code, int Version, int NextVersion);

/// <summary>
/// The product catalogue's desk: what is offered, every version of a product, and publishing a version (four eyes: one
/// admin proposes a document, another approves it). A document is validated when proposed and again when approved, and
/// must name the version it becomes, so two changes proposed against the same version cannot both be published.
/// </summary>
public sealed class ProductDesk(IProductStore store, LoanProducts products, IAuditLog audit, TimeProvider clock)
{
    /// <summary>The products new applications may take now.</summary>
    public async Task<IReadOnlyList<OfferedProduct>> OfferedAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ProductPublication> published = await products.PublicationsAsync(cancellationToken);
        IReadOnlyDictionary<string, LoanProduct> offered = ProductsInForce.At(published, clock.GetUtcNow());
        return offered.Values.OrderBy(p => p.Code, StringComparer.Ordinal)
            .Select(p => published.First(x => x.Product.Code == p.Code && x.Product.Version == p.Version))
            .Select(p => new OfferedProduct(p.Product, p.EffectiveFrom, p.Description))
            .ToList();
    }

    /// <summary>Every published version of <paramref name="code"/>, newest first.</summary>
    public async Task<Result<IReadOnlyList<ProductPublication>>> VersionsAsync(string code, CancellationToken cancellationToken)
    {
        var versions = (await products.PublicationsAsync(cancellationToken)).Where(p => p.Product.Code == code).OrderByDescending(p => p.Product.Version).ToList();
        return versions.Count == 0 ? Result<IReadOnlyList<ProductPublication>>.NotFound($"There is no product {code}.") : Result<IReadOnlyList<ProductPublication>>.Ok(versions);
    }

    public async Task<Result<ValidProduct>> ValidateAsync(byte[] document, CancellationToken cancellationToken)
    {
        Outcome<ProductDraft> draft = ProductDocument.Parse(document);
        if (!draft.Succeeded)
        {
            return Result<ValidProduct>.Invalid(draft.Errors);
        }

        LoanProduct product = draft.Value!.Product;
        return Result<ValidProduct>.Ok(new ValidProduct(true, product.Code, product.Version, ProductsInForce.NextVersion(await store.ListAsync(cancellationToken), product.Code)));
    }

    /// <summary><paramref name="maker"/> proposes publishing <paramref name="document"/>: validated now, published when a second admin approves.</summary>
    public async Task<Result<StaffRequest>> ProposeAsync(Caller maker, byte[] document, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        Outcome<ProductDraft> draft = ProductDocument.Parse(document);
        if (!draft.Succeeded)
        {
            return Result<StaffRequest>.Invalid(draft.Errors);
        }

        LoanProduct product = draft.Value!.Product;
        int next = ProductsInForce.NextVersion(await store.ListAsync(cancellationToken), product.Code);
        return product.Version != next
            ? Result<StaffRequest>.Conflict($"Product {product.Code} would be published as version {next}; the document says version {product.Version}. Propose it as version {next}, against the newest version as it stands.")
            : await fourEyes.ProposeAsync(maker, StaffPower.ProductPublication, product.Code, Encoding.UTF8.GetString(document), cancellationToken);
    }

    /// <summary>
    /// Publishes an approved proposal: in force from its effectiveFrom, or from now when that is past or not given.
    /// Refused when the version was taken since; carrying out the same approval again answers the same publication.
    /// </summary>
    public async Task<Result<object>> PublishAsync(StaffRequest request, Caller approver, CancellationToken cancellationToken)
    {
        Outcome<ProductDraft> parsed = ProductDocument.Parse(Encoding.UTF8.GetBytes(request.Payload));
        if (!parsed.Succeeded)
        {
            return Result<object>.Invalid(parsed.Errors);
        }

        ProductDraft draft = parsed.Value!;
        DateTimeOffset now = clock.GetUtcNow();
        DateTimeOffset effectiveFrom = draft.EffectiveFrom is { } from && from > now ? from : now;
        await audit.AppendAsync(StaffAction.By(approver, "publish product", draft.Product.Code,
            $"version {draft.Product.Version}{(draft.Offered ? "" : " (withdrawn)")}, effective {effectiveFrom:O}, proposed by {request.ProposedBy}"), cancellationToken);
        try
        {
            ProductPublication published = await store.PublishAsync(
                new ProductPublication(draft.Product, effectiveFrom, draft.Offered, draft.Description, now, request.ProposedBy, approver.Subject, request.Id), cancellationToken);
            products.Invalidate();
            return Result<object>.Ok(published);
        }
        catch (ProductVersionTakenException e)
        {
            return Result<object>.Conflict(e.Message);
        }
    }
}

/// <summary>Publishing a product version: proposed by an admin, approved by another.</summary>
public sealed class ProductPublicationPower(ProductDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.ProductPublication;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken) =>
        desk.PublishAsync(request, approver, cancellationToken);
}
