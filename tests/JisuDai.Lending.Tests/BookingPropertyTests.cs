using System.Text.Json;
using System.Text.Json.Serialization;
using CsCheck;
using JisuDai.Lending.Delinquency;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Tests;

/// <summary>
/// The loan booked from an offer is the offer's stored terms priced at the payout's value date, for every product shape
/// (frequency, day count, offer method, fee) and every valid offer: <c>booked == Price(storedTerms, valueDate)</c>, with
/// the rate lowered to the APR cap where the later date's cash flows would pass it (never above what was agreed).
/// </summary>
public sealed class BookingPropertyTests
{
    // The shape of stored documents (camelCase, enums by name), as the stores write applications.
    static readonly JsonSerializerOptions Stored = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    static readonly Gen<LoanProduct> Products =
        from frequency in Gen.Enum<PaymentFrequency>()
        from dayCount in Gen.Enum<DayCountConvention>()
        from method in Gen.Enum<RepaymentMethod>()
        from feeBasisPoints in Gen.Int[0, 300]
        select BuiltInProducts.Express with
        {
            Code = $"p-{frequency}-{dayCount}-{method}",
            Methods = [method, RepaymentMethod.EqualInstallment],
            OfferMethod = method,
            Frequency = frequency,
            DayCount = dayCount,
            OriginationFeeRate = feeBasisPoints / 10_000m,
            MaxAnnualRate = 0.20m,
            AprCap = 0.36m,
            Delinquency = DelinquencyPolicy.Default,
        };

    static readonly Gen<(LoanProduct Product, PricedOffer Offer, DateOnly PaidOutOn)> Offered =
        from product in Products
        from yuan in Gen.Int[500, 50_000]
        from term in Gen.Int[product.MinTerm, product.MaxTerm]
        from basisPoints in Gen.Int[600, 2_000]
        from offeredDay in Gen.Int[0, 1_500]
        from daysToPayout in Gen.Int[0, 40]
        let offeredOn = new DateOnly(2025, 1, 1).AddDays(offeredDay)
        let offer = Offers.Price(product, Offers.TermsFor(product, yuan, term, basisPoints / 10_000m), offeredOn)
        where offer.Succeeded
        select (product, offer.Value! with { ExpiresAt = offeredOn.ToDateTime(TimeOnly.MinValue).AddDays(3) }, offeredOn.AddDays(daysToPayout));

    [Fact]
    public void The_booked_schedule_is_the_stored_terms_priced_at_the_payout_date() =>
        Offered.Sample(sample =>
        {
            (LoanProduct product, PricedOffer offer, DateOnly paidOutOn) = sample;
            // The offer as it comes back from the application document.
            PricedOffer stored = JsonSerializer.Deserialize<PricedOffer>(JsonSerializer.Serialize(offer, Stored), Stored)!;
            Loan booked = LoanBookings.Book("loan-1", "c-1", "app-1", product, stored, paidOutOn, "tr-1").Value!;
            Outcome<PricedOffer> asAgreed = Offers.Price(product, offer.Terms, paidOutOn);
            RepaymentSchedule expected = asAgreed.Succeeded
                ? asAgreed.Value!.Schedule
                : Offers.Price(product, Offers.WithinAprCap(product, offer.Terms, paidOutOn)!, paidOutOn).Value!.Schedule;

            return stored == offer
                && (asAgreed.Succeeded || (asAgreed.Errors.Single().Rule == "apr-within-cap" && booked.Schedule!.Terms.AnnualRate < offer.AnnualRate))
                && booked.Schedule!.Apr <= product.AprCap
                && booked.Schedule == expected
                && booked.Schedule!.Terms.StartDate == paidOutOn
                && booked.Schedule.Terms.Method == product.OfferMethod
                && booked.Principal == offer.Amount
                && booked.DisbursedOn == paidOutOn
                && (paidOutOn != offer.ValueDate || booked.Schedule == offer.Schedule);
        }, iter: 500);

    [Fact]
    public void A_stored_offer_whose_terms_no_longer_price_is_refused_not_rebooked_on_other_terms()
    {
        LoanProduct product = BuiltInProducts.Express;
        PricedOffer offer = Offers.Price(product, Offers.TermsFor(product, 20_000m, 12, 0.18m), new DateOnly(2026, 3, 1)).Value!;

        Outcome<Loan> booked = LoanBookings.Book("loan-1", "c-1", "app-1", product with { MaxAmount = 10_000m }, offer, new DateOnly(2026, 3, 2), "tr-1");

        Assert.False(booked.Succeeded);
        Assert.Equal("amount", Assert.Single(booked.Errors).Field);
    }
}
