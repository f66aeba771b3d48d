using JisuDai.Lending.Products;

namespace JisuDai.Lending.Schedules;

/// <summary>What a schedule is computed from.</summary>
/// <param name="Principal">The amount lent, in yuan (at most two decimals).</param>
/// <param name="AnnualRate">Nominal annual interest rate as a fraction (0.12 = 12%).</param>
/// <param name="TermCount">Number of periods until maturity (for <see cref="RepaymentMethod.Bullet"/>, the one
/// payment falls at the end of the last).</param>
/// <param name="Method">How principal and interest are spread.</param>
/// <param name="Frequency">How often installments fall due.</param>
/// <param name="DayCount">How interest is counted.</param>
/// <param name="StartDate">Disbursement date, in the lender's time zone (Asia/Shanghai).</param>
/// <param name="GracePeriods">Interest-only periods at the start; principal is repaid over the rest.</param>
/// <param name="OriginationFee">Fee taken from the principal at disbursement, in yuan (it counts in the APR).</param>
public sealed record ScheduleTerms(
    decimal Principal,
    decimal AnnualRate,
    int TermCount,
    RepaymentMethod Method,
    PaymentFrequency Frequency,
    DayCountConvention DayCount,
    DateOnly StartDate,
    int GracePeriods = 0,
    decimal OriginationFee = 0m)
{
    /// <summary>The largest principal accepted at all: one trillion yuan keeps every product of money and rate exact.</summary>
    public const decimal MaxPrincipal = 1_000_000_000_000m;

    /// <summary>The longest term accepted: 50 years of monthly installments.</summary>
    public const int MaxTermCount = 600;

    /// <summary>The highest nominal rate accepted at all (products set their own, lower, bounds).</summary>
    public const decimal MaxAnnualRate = 10m;

    /// <summary>Every rule these terms break on their own, before any product is consulted.</summary>
    public IReadOnlyList<DomainError> Check()
    {
        var errors = new List<DomainError>();
        if (Principal is <= 0 or > MaxPrincipal)
        {
            errors.Add(new("principal", "principal-in-range", $"The principal must be more than 0 and at most {MaxPrincipal} yuan; got {Principal}."));
        }
        else if (decimal.Round(Principal, 2) != Principal)
        {
            errors.Add(new("principal", "principal-in-fen", $"The principal must be whole fen (at most two decimals); got {Principal}."));
        }

        if (AnnualRate is < 0 or > MaxAnnualRate)
        {
            errors.Add(new("annualRate", "rate-in-range", $"The annual rate must be from 0 to {MaxAnnualRate} (1000%); got {AnnualRate}."));
        }
        else if (decimal.Round(AnnualRate, 8) != AnnualRate)
        {
            errors.Add(new("annualRate", "rate-precision", $"The annual rate may have at most eight decimals (0.000001%); got {AnnualRate}."));
        }

        if (TermCount is < 1 or > MaxTermCount)
        {
            errors.Add(new("termCount", "term-in-range", $"The term must be from 1 to {MaxTermCount} periods; got {TermCount}."));
        }

        if (!Enum.IsDefined(Method))
        {
            errors.Add(new("method", "method-known", $"Unknown repayment method {(int)Method}."));
        }

        if (!Enum.IsDefined(Frequency))
        {
            errors.Add(new("frequency", "frequency-known", $"Unknown payment frequency {(int)Frequency}."));
        }

        if (!Enum.IsDefined(DayCount))
        {
            errors.Add(new("dayCount", "day-count-known", $"Unknown day-count convention {(int)DayCount}."));
        }

        if (GracePeriods < 0 || (TermCount >= 1 && GracePeriods >= TermCount))
        {
            errors.Add(new("gracePeriods", "grace-shorter-than-term", $"Grace periods must be from 0 to the term less one; got {GracePeriods}."));
        }
        else if (GracePeriods > 0 && Method is RepaymentMethod.Bullet or RepaymentMethod.InterestFirst)
        {
            errors.Add(new("gracePeriods", "grace-needs-amortisation", $"{Method} repays no principal before maturity, so grace periods do not apply."));
        }

        if (OriginationFee < 0 || (Principal > 0 && OriginationFee >= Principal))
        {
            errors.Add(new("originationFee", "fee-below-principal", $"The origination fee must be from 0 to less than the principal; got {OriginationFee}."));
        }
        else if (decimal.Round(OriginationFee, 2) != OriginationFee)
        {
            errors.Add(new("originationFee", "fee-in-fen", $"The origination fee must be whole fen; got {OriginationFee}."));
        }

        return errors;
    }
}
