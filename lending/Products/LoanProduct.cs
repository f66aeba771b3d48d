namespace JisuDai.Lending.Products;

/// <summary>
/// A loan product: what may be borrowed, for how long, at what price. Rates are annual fractions
/// (0.12 = 12%). The APR cap applies to the all-in APR of a priced offer, fees included (24% and 36% are
/// the common regulatory lines).
/// </summary>
/// <param name="Code">The product's code.</param>
/// <param name="MinAmount">Smallest principal, in yuan.</param>
/// <param name="MaxAmount">Largest principal, in yuan.</param>
/// <param name="MinTerm">Fewest installments.</param>
/// <param name="MaxTerm">Most installments.</param>
/// <param name="MinAnnualRate">Lowest nominal annual rate offered.</param>
/// <param name="MaxAnnualRate">Highest nominal annual rate offered.</param>
/// <param name="AprCap">Highest all-in APR allowed (for example 0.24).</param>
/// <param name="Methods">The repayment methods offered.</param>
/// <param name="Frequency">How often installments fall due.</param>
/// <param name="DayCount">How interest is counted.</param>
/// <param name="OriginationFeeRate">Fee taken from the principal at disbursement, as a fraction of it.</param>
/// <param name="MaxGracePeriods">Most interest-only periods allowed at the start.</param>
public sealed record LoanProduct(
    string Code,
    decimal MinAmount,
    decimal MaxAmount,
    int MinTerm,
    int MaxTerm,
    decimal MinAnnualRate,
    decimal MaxAnnualRate,
    decimal AprCap,
    IReadOnlyList<RepaymentMethod> Methods,
    PaymentFrequency Frequency,
    DayCountConvention DayCount,
    decimal OriginationFeeRate,
    int MaxGracePeriods);
