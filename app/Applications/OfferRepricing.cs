using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;

namespace JisuDai.App.Applications;

/// <summary>Prices an accepted offer's stored terms again at the payout's value date, with the one pricing function.</summary>
public sealed class OfferRepricing(ApplicationStore applications) : IOfferRepricing
{
    public async Task<PricedOffer> RepriceAsync(RepriceRequest request, CancellationToken cancellationToken)
    {
        LoanApplication application = await applications.GetAsync(request.CustomerId, request.ApplicationId, cancellationToken);
        PricedOffer offer = application.Offer ?? throw new InvalidOperationException($"Application {application.Id} has no offer to price again.");
        // Terms that priced once and no longer do mean the product changed meanwhile: that fails loudly, never quietly re-terms.
        LoanProduct product = application.ProductTerms();
        Outcome<PricedOffer> repriced = Offers.PriceAgain(product, offer, request.ValueDate);
        return repriced.Succeeded
            ? repriced.Value!
            : throw new InvalidOperationException($"The accepted offer of {application.Id} no longer prices under {product.Code} on {request.ValueDate:yyyy-MM-dd}: {string.Join(" ", repriced.Errors.Select(e => e.Message))}");
    }
}
