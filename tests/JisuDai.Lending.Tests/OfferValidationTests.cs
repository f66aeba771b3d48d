using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Tests;

/// <summary>Invalid offers come back as domain errors naming the field and the rule; nothing throws.</summary>
public sealed class OfferValidationTests
{
    // The shipped product under a test code, so messages name what the test set up.
    static readonly LoanProduct Express = BuiltInProducts.Express with { Code = "express-12" };

    static readonly OfferTerms Valid = new(10_000m, 12, 0.12m, RepaymentMethod.EqualInstallment);

    static readonly DateOnly ValueDate = new(2026, 1, 15);

    static DomainError SingleError(OfferTerms terms)
    {
        Outcome<PricedOffer> outcome = Offers.Price(Express, terms, ValueDate);
        Assert.False(outcome.Succeeded);
        return Assert.Single(outcome.Errors);
    }

    [Fact]
    public void A_consistent_product_has_no_errors_and_inverted_bounds_are_named()
    {
        Assert.Empty(Express.Check());
        DomainError error = Assert.Single((Express with { MinTerm = 30 }).Check());
        Assert.Equal(("minTerm", "term-bounds"), (error.Field, error.Rule));
        DomainError method = Assert.Single((Express with { OfferMethod = RepaymentMethod.Bullet }).Check());
        Assert.Equal(("offerMethod", "offer-method-allowed"), (method.Field, method.Rule));
    }

    [Fact]
    public void A_valid_offer_is_priced_with_the_products_fee()
    {
        Outcome<PricedOffer> outcome = Offers.Price(Express, Valid, ValueDate);

        Assert.True(outcome.Succeeded);
        Assert.Equal((200m, 9_800m), (outcome.Value!.OriginationFee, outcome.Value.NetDisbursement));
        Assert.Equal((200m, 9_800m), (outcome.Value.Schedule.Terms.OriginationFee, outcome.Value.Schedule.NetDisbursed));
        Assert.Equal((outcome.Value.Schedule.Apr, outcome.Value.Schedule.RegularInstallment), (outcome.Value.Apr, outcome.Value.Installment));
        Assert.Equal(Valid, outcome.Value.Terms);
    }

    [Theory]
    [InlineData(2, "term-within-product")]
    [InlineData(36, "term-within-product")]
    public void A_term_outside_the_product_names_termCount(int term, string rule)
    {
        DomainError error = SingleError(Valid with { TermCount = term });
        Assert.Equal(("termCount", rule), (error.Field, error.Rule));
    }

    [Fact]
    public void A_negative_amount_names_amount()
    {
        DomainError error = SingleError(Valid with { Amount = -100m });
        Assert.Equal(("amount", "amount-within-product"), (error.Field, error.Rule));
    }

    [Fact]
    public void A_rate_whose_APR_with_fees_passes_the_cap_is_refused_though_the_nominal_rate_is_within_bounds()
    {
        // 23% nominal is within the product's 6%–24%, but with the 2% fee the APR is above the 24% cap.
        DomainError error = SingleError(Valid with { AnnualRate = 0.23m });
        Assert.Equal(("annualRate", "apr-within-cap"), (error.Field, error.Rule));
    }

    [Fact]
    public void A_rate_above_the_product_names_annualRate()
    {
        DomainError error = SingleError(Valid with { AnnualRate = 0.30m });
        Assert.Equal(("annualRate", "rate-within-product"), (error.Field, error.Rule));
    }

    [Fact]
    public void A_method_the_product_does_not_offer_or_an_unknown_one_names_method()
    {
        Assert.Equal(("method", "method-offered"), (SingleError(Valid with { Method = RepaymentMethod.Bullet }) is var e ? (e.Field, e.Rule) : default));
        Outcome<PricedOffer> unknown = Offers.Price(Express, Valid with { Method = (RepaymentMethod)42 }, ValueDate);
        Assert.Contains(unknown.Errors, e => e.Field == "method");
    }

    [Fact]
    public void Several_faults_are_all_reported()
    {
        Outcome<PricedOffer> outcome = Offers.Price(Express, Valid with { Amount = 1_000_000m, TermCount = 99, AnnualRate = 0.5m }, ValueDate);

        Assert.Equal(["amount", "annualRate", "termCount"], outcome.Errors.Select(e => e.Field).Order());
    }

    [Theory]
    [InlineData(0, 0.12, 12, 0, 0, "principal")]
    [InlineData(100.005, 0.12, 12, 0, 0, "principal")]
    [InlineData(1000, -0.01, 12, 0, 0, "annualRate")]
    [InlineData(1000, 0.12, 0, 0, 0, "termCount")]
    [InlineData(1000, 0.12, 601, 0, 0, "termCount")]
    [InlineData(1000, 0.12, 12, 12, 0, "gracePeriods")]
    [InlineData(1000, 0.12, 12, 0, 1000, "originationFee")]
    public void Terms_that_break_a_basic_rule_name_the_field(double principal, double rate, int term, int grace, double fee, string field)
    {
        Outcome<RepaymentSchedule> outcome = RepaymentSchedules.Build(new ScheduleTerms(
            (decimal)principal, (decimal)rate, term, RepaymentMethod.EqualInstallment, PaymentFrequency.Monthly,
            DayCountConvention.Thirty360, new DateOnly(2026, 1, 15), grace, (decimal)fee));

        Assert.Equal(field, Assert.Single(outcome.Errors).Field);
    }
}
