using JisuDai.Lending.Delinquency;
using JisuDai.Lending.Schedules;
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
/// <param name="Methods">The repayment methods the product allows (a restructuring may move a loan to one of them).</param>
/// <param name="OfferMethod">The method every offer the platform makes uses, one of <paramref name="Methods"/>: chosen here, never by position.</param>
/// <param name="Frequency">How often installments fall due.</param>
/// <param name="DayCount">How interest is counted.</param>
/// <param name="OriginationFeeRate">Fee taken from the principal at disbursement, as a fraction of it.</param>
/// <param name="MaxGracePeriods">Most interest-only periods allowed at the start.</param>
/// <param name="PrepaymentFeeRate">Fee on principal repaid early at payoff, as a fraction of it.</param>
/// <param name="Delinquency">Buckets, grace days, penalty interest and late fee.</param>
/// <param name="MaxBackdatedDays">How many days before it is recorded a payment's value date may be (0 to 90): a staff-recorded payment dated further back is refused, and a provider's value date further back counts from this many days back (<see cref="Loans.ValueDating"/>). Terms stored before it was kept read as 30.</param>
/// <remarks>
/// A product is data: each change is published as a new <see cref="Version"/> (<see cref="ProductPublication"/>), and
/// every application and loan keeps a copy of the version it was made under, so a later version never changes its terms.
/// </remarks>
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
    RepaymentMethod OfferMethod,
    PaymentFrequency Frequency,
    DayCountConvention DayCount,
    decimal OriginationFeeRate,
    int MaxGracePeriods,
    decimal PrepaymentFeeRate,
    Delinquency.DelinquencyPolicy Delinquency,
    int MaxBackdatedDays = 30)
{
    /// <summary>Which publication of the product these terms are: numbered from 1 per code (the built-in products are 1).</summary>
    public int Version { get; init; } = 1;

    /// <summary>True when <paramref name="code"/> has a product code's form: 1 to 32 lowercase letters, digits or '-', starting with a letter.</summary>
    public static bool IsCode(string? code) =>
        code is { Length: >= 1 and <= 32 } && char.IsAsciiLetterLower(code[0]) && code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>Every rule the product itself breaks (bounds out of order, rates out of range).</summary>
    public IReadOnlyList<DomainError> Check()
    {
        var errors = new List<DomainError>();
        if (!IsCode(Code))
        {
            errors.Add(new("code", "code-form", "A product's code is 1 to 32 lowercase letters, digits or '-', starting with a letter."));
        }

        if (MinAmount <= 0 || MaxAmount < MinAmount)
        {
            errors.Add(new("minAmount", "amount-bounds", "Amounts need 0 < minAmount ≤ maxAmount."));
        }

        if (MinTerm < 1 || MaxTerm < MinTerm || MaxTerm > Schedules.ScheduleTerms.MaxTermCount)
        {
            errors.Add(new("minTerm", "term-bounds", $"Terms need 1 ≤ minTerm ≤ maxTerm ≤ {Schedules.ScheduleTerms.MaxTermCount}."));
        }

        if (MinAnnualRate < 0 || MaxAnnualRate < MinAnnualRate || MaxAnnualRate > Schedules.ScheduleTerms.MaxAnnualRate)
        {
            errors.Add(new("minAnnualRate", "rate-bounds", "Rates need 0 ≤ minAnnualRate ≤ maxAnnualRate ≤ 10."));
        }

        if (AprCap <= 0)
        {
            errors.Add(new("aprCap", "apr-cap-positive", "The APR cap must be more than 0 (0.24 is 24%)."));
        }

        if (Methods.Count == 0)
        {
            errors.Add(new("methods", "methods-required", "A product offers at least one repayment method."));
        }
        else if (!Methods.Contains(OfferMethod))
        {
            errors.Add(new("offerMethod", "offer-method-allowed", $"The offer method {OfferMethod} must be one of the product's methods ({string.Join(", ", Methods)})."));
        }

        if (OriginationFeeRate is < 0 or >= 1 || PrepaymentFeeRate is < 0 or >= 1)
        {
            errors.Add(new("originationFeeRate", "fee-rate-range", "Fee rates must be from 0 to less than 1."));
        }

        if (MaxGracePeriods < 0 || MaxGracePeriods >= MaxTerm)
        {
            errors.Add(new("maxGracePeriods", "grace-bounds", "Grace periods must be from 0 to less than the longest term."));
        }

        if (MaxBackdatedDays is < 0 or > 90)
        {
            errors.Add(new("maxBackdatedDays", "backdating-bounds", "maxBackdatedDays must be from 0 to 90 days."));
        }

        errors.AddRange(Delinquency.Check().Select(e => e with { Field = $"delinquency.{e.Field}" }));
        return errors;
    }
}
