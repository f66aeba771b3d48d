using System.Security.Cryptography;
using System.Text;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Tests;

public sealed class DisclosureTests
{
    static readonly LoanProduct Product = BuiltInProducts.Express;
    static readonly DateOnly ValueDate = new(2026, 1, 15);

    static PricedOffer Offer(decimal amount = 20_000m, decimal rate = 0.15m) =>
        Offers.Price(Product, Offers.TermsFor(Product, amount, 12, rate), ValueDate).Value!;

    [Fact]
    public void The_key_facts_state_the_offers_figures_and_every_installment_of_its_schedule()
    {
        PricedOffer offer = Offer();
        Disclosure keyFacts = Disclosures.For(Product, offer, "app-1.cust-1", withDebitAgreement: false)[0];

        Assert.Equal(DisclosureKind.KeyFacts, keyFacts.Kind);
        Assert.Contains("借款金额 Amount borrowed: 20,000.00 yuan", keyFacts.Text);
        Assert.Contains("kept from the amount: 400.00 yuan", keyFacts.Text); // 2% origination fee
        Assert.Contains("实际到账 Paid to you: 19,600.00 yuan", keyFacts.Text);
        Assert.Contains("Annual interest rate: 15.00%", keyFacts.Text);
        Assert.Contains($"APR (all-in, on what is paid to you): {offer.Apr * 100:0.00}%", keyFacts.Text);
        Assert.Contains("fee 1.00% of the principal repaid early", keyFacts.Text);
        Assert.Contains("3 grace days, then penalty interest of 18.00% a year", keyFacts.Text);
        Assert.All(offer.Schedule.Installments, i => Assert.Contains($"  {i.Number}  {i.DueDate:yyyy-MM-dd}  ", keyFacts.Text));
    }

    [Fact]
    public void Each_document_is_named_by_the_sha256_of_its_text_and_the_same_offer_renders_the_same_digests()
    {
        IReadOnlyList<Disclosure> shown = Disclosures.For(Product, Offer(), "app-1.cust-1", withDebitAgreement: true);

        Assert.Equal([DisclosureKind.KeyFacts, DisclosureKind.Contract, DisclosureKind.DebitAgreement], shown.Select(d => d.Kind));
        Assert.All(shown, d => Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(d.Text))), d.Digest));
        Assert.Equal(shown.Select(d => d.Digest), Disclosures.For(Product, Offer(), "app-1.cust-1", withDebitAgreement: true).Select(d => d.Digest));
        // Another amount, another rate or another application is another document, so consent to one is not consent to the other.
        Assert.NotEqual(shown[0].Digest, Disclosures.For(Product, Offer(amount: 19_000m), "app-1.cust-1", false)[0].Digest);
        Assert.NotEqual(shown[1].Digest, Disclosures.For(Product, Offer(rate: 0.16m), "app-1.cust-1", false)[1].Digest);
        Assert.NotEqual(shown[1].Digest, Disclosures.For(Product, Offer(), "app-2.cust-1", false)[1].Digest);
        Assert.Equal(2, Disclosures.For(Product, Offer(), "app-1.cust-1", withDebitAgreement: false).Count);
    }
}
