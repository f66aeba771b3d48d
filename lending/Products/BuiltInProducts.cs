using JisuDai.Lending.Delinquency;

namespace JisuDai.Lending.Products;

/// <summary>
/// The products built in: published as version 1 on the first start (the catalogue is data from then on: see
/// <see cref="ProductPublication"/>), and the terms of applications and loans stored before they carried their own.
/// </summary>
public static class BuiltInProducts
{
    /// <summary>
    /// Express (极速贷): 500 to 50,000 yuan over 3 to 24 months, offered as equal installments (equal principal allowed), 6% to 24% a
    /// year, all-in APR capped at 24%, 2% origination fee, 1% prepayment fee, the default delinquency policy, payments value-dated up to 30 days back.
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
        Delinquency: DelinquencyPolicy.Default,
        MaxBackdatedDays: 30);

    /// <summary>Every built-in product.</summary>
    public static IReadOnlyList<LoanProduct> All { get; } = [Express];
}
