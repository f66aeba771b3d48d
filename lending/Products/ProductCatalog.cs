using JisuDai.Lending.Delinquency;

namespace JisuDai.Lending.Products;

/// <summary>The products offered out of the box; a lender replaces them with its own.</summary>
public static class ProductCatalog
{
    /// <summary>
    /// Express (极速贷): 500 to 50,000 yuan over 3 to 24 months, offered as equal installments (equal principal allowed), 6% to 24% a
    /// year, all-in APR capped at 24%, 2% origination fee, 1% prepayment fee, the default delinquency policy.
    /// </summary>
    public static LoanProduct Express { get; } = new(
        Code: "express",
        MinAmount: 500m, MaxAmount: 50_000m,
        MinTerm: 3, MaxTerm: 24,
        MinAnnualRate: 0.06m, MaxAnnualRate: 0.24m,
        AprCap: 0.24m,
        Methods: [RepaymentMethod.EqualInstallment, RepaymentMethod.EqualPrincipal],
        OfferMethod: RepaymentMethod.EqualInstallment,
        Frequency: PaymentFrequency.Monthly,
        DayCount: DayCountConvention.Thirty360,
        OriginationFeeRate: 0.02m,
        MaxGracePeriods: 0,
        PrepaymentFeeRate: 0.01m,
        Delinquency: DelinquencyPolicy.Default);

    /// <summary>Every product, by code.</summary>
    public static IReadOnlyDictionary<string, LoanProduct> All { get; } = new Dictionary<string, LoanProduct> { [Express.Code] = Express };
}
