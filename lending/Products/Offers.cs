using System.Text.Json.Serialization;
using JisuDai.Lending.Money;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Products;

/// <summary>The terms an offer is made on; <see cref="Offers.Price"/> turns them into a <see cref="PricedOffer"/> at a value date.</summary>
/// <param name="Amount">Principal, in yuan.</param>
/// <param name="TermCount">Number of periods.</param>
/// <param name="AnnualRate">Nominal annual rate (from the decision's pricing or a reviewer).</param>
/// <param name="Method">Repayment method: the product's <see cref="LoanProduct.OfferMethod"/> for every offer the platform makes.</param>
/// <param name="GracePeriods">Interest-only periods at the start.</param>
public sealed record OfferTerms(decimal Amount, int TermCount, decimal AnnualRate, RepaymentMethod Method, int GracePeriods = 0);

/// <summary>
/// An offer as priced under its product at a value date: the terms, the fee kept back, what the borrower receives, the
/// all-in APR, the regular installment and the whole schedule. Made once when the offer is made (by the decision or a
/// reviewer) and stored on the application; booking prices the stored <see cref="Terms"/> again at the payout's value
/// date with the same <see cref="Offers.Price"/>, so no interest runs on money not yet lent.
/// </summary>
/// <param name="ProductCode">The product it is priced under.</param>
/// <param name="Amount">Principal, in yuan.</param>
/// <param name="TermMonths">Number of installments (months for a monthly product).</param>
/// <param name="AnnualRate">Nominal annual rate.</param>
/// <param name="Method">Repayment method. Offers stored before the method was recorded read as
/// <see cref="RepaymentMethod.EqualInstallment"/> (the enum's first value), the only method offers were made with then.</param>
/// <param name="GracePeriods">Interest-only periods at the start.</param>
/// <param name="ValueDate">The date it is priced from: interest runs from here.</param>
/// <param name="OriginationFee">The fee kept back from the principal, in yuan.</param>
/// <param name="NetDisbursement">What the borrower receives: the principal less the fee.</param>
/// <param name="Apr">All-in APR, fees included (held against the product's cap).</param>
/// <param name="Installment">The regular installment, in yuan.</param>
/// <param name="Schedule">Every installment as priced.</param>
/// <param name="ExpiresAt">When the offer lapses if not accepted (set when it is made to a borrower).</param>
public sealed record PricedOffer(
    string ProductCode,
    decimal Amount,
    int TermMonths,
    decimal AnnualRate,
    RepaymentMethod Method,
    int GracePeriods,
    DateOnly ValueDate,
    decimal OriginationFee,
    decimal NetDisbursement,
    decimal Apr,
    decimal Installment,
    RepaymentSchedule Schedule,
    DateTimeOffset? ExpiresAt = null)
{
    /// <summary>How far the APR may move between the offer shown and the one booked before the borrower is shown the new figures: 0.01 percentage point.</summary>
    public const decimal AprTolerance = 0.0001m;

    /// <summary>The terms it was priced from.</summary>
    [JsonIgnore]
    public OfferTerms Terms => new(Amount, TermMonths, AnnualRate, Method, GracePeriods);

    /// <summary>True when <paramref name="repriced"/> (the same terms at a later value date) costs the borrower the same, within <see cref="AprTolerance"/>.</summary>
    public bool SamePriceAs(PricedOffer repriced) => Math.Abs(repriced.Apr - Apr) <= AprTolerance;
}

/// <summary>Prices offers under a product: its bounds first, then the schedule, then the APR cap. The one place an offer is priced.</summary>
public static class Offers
{
    /// <summary>The terms the platform offers <paramref name="amount"/> over <paramref name="termCount"/> periods at <paramref name="annualRate"/> on: the product's offer method, no grace periods.</summary>
    public static OfferTerms TermsFor(LoanProduct product, decimal amount, int termCount, decimal annualRate) =>
        new(amount, termCount, annualRate, product.OfferMethod);

    /// <summary>
    /// <paramref name="terms"/> with the rate lowered as little as needed (to 0.01%) for the all-in APR at
    /// <paramref name="valueDate"/> to be within the product's cap; the same terms when they fit already; null when even
    /// the product's floor rate does not fit (or the terms break another rule). Lowering only ever makes it cheaper.
    /// </summary>
    public static OfferTerms? WithinAprCap(LoanProduct product, OfferTerms terms, DateOnly valueDate)
    {
        bool Fits(decimal rate) => Price(product, terms with { AnnualRate = rate }, valueDate).Succeeded;
        if (Fits(terms.AnnualRate))
        {
            return terms;
        }

        if (terms.AnnualRate <= product.MinAnnualRate || !Fits(product.MinAnnualRate))
        {
            return null;
        }

        decimal low = product.MinAnnualRate, high = terms.AnnualRate;
        while (high - low > 0.0001m)
        {
            decimal mid = Math.Round((low + high) / 2, 6);
            (low, high) = Fits(mid) ? (mid, high) : (low, mid);
        }

        return terms with { AnnualRate = Math.Max(product.MinAnnualRate, Math.Floor(low * 10000) / 10000) };
    }

    /// <summary>
    /// <paramref name="offer"/>'s terms priced again at a later <paramref name="valueDate"/> (its expiry kept). Where the
    /// terms' APR at that date would pass the cap (a schedule's cash flows shift with its dates), the rate is lowered just
    /// enough to fit (<see cref="WithinAprCap"/>), so the borrower only ever pays less than agreed; terms that break
    /// another rule are refused.
    /// </summary>
    public static Outcome<PricedOffer> PriceAgain(LoanProduct product, PricedOffer offer, DateOnly valueDate)
    {
        Outcome<PricedOffer> priced = Price(product, WithinAprCap(product, offer.Terms, valueDate) ?? offer.Terms, valueDate);
        return priced.Succeeded ? Outcome<PricedOffer>.Success(priced.Value! with { ExpiresAt = offer.ExpiresAt }) : priced;
    }

    /// <summary>The offer priced at <paramref name="valueDate"/>, or every product rule its terms break.</summary>
    public static Outcome<PricedOffer> Price(LoanProduct product, OfferTerms terms, DateOnly valueDate)
    {
        var errors = new List<DomainError>();
        if (terms.Amount < product.MinAmount || terms.Amount > product.MaxAmount)
        {
            errors.Add(new("amount", "amount-within-product", $"{product.Code} lends from {product.MinAmount} to {product.MaxAmount} yuan; asked {terms.Amount}."));
        }

        if (terms.TermCount < product.MinTerm || terms.TermCount > product.MaxTerm)
        {
            errors.Add(new("termCount", "term-within-product", $"{product.Code} runs from {product.MinTerm} to {product.MaxTerm} periods; asked {terms.TermCount}."));
        }

        if (terms.AnnualRate < product.MinAnnualRate || terms.AnnualRate > product.MaxAnnualRate)
        {
            errors.Add(new("annualRate", "rate-within-product", $"{product.Code} prices from {product.MinAnnualRate:P2} to {product.MaxAnnualRate:P2} a year; asked {terms.AnnualRate:P2}."));
        }

        if (!product.Methods.Contains(terms.Method))
        {
            errors.Add(new("method", "method-offered", $"{product.Code} offers {string.Join(", ", product.Methods)}; asked {terms.Method}."));
        }

        if (terms.GracePeriods > product.MaxGracePeriods)
        {
            errors.Add(new("gracePeriods", "grace-within-product", $"{product.Code} allows at most {product.MaxGracePeriods} grace periods; asked {terms.GracePeriods}."));
        }

        decimal fee = Yuan.Round(Math.Max(terms.Amount, 0m) * product.OriginationFeeRate);
        Outcome<RepaymentSchedule> schedule = RepaymentSchedules.Build(new ScheduleTerms(
            terms.Amount, terms.AnnualRate, terms.TermCount, terms.Method, product.Frequency, product.DayCount,
            valueDate, terms.GracePeriods, fee));
        // The schedule calls the amount "principal"; an offer's caller knows it as "amount".
        errors.AddRange(schedule.Errors
            .Select(e => e.Field == "principal" ? e with { Field = "amount" } : e)
            .Where(e => !errors.Any(known => known.Field == e.Field)));
        if (errors.Count > 0)
        {
            return Outcome<PricedOffer>.Failure(errors);
        }

        RepaymentSchedule priced = schedule.Value!;
        if (priced.Apr > product.AprCap)
        {
            return Outcome<PricedOffer>.Failure([new("annualRate", "apr-within-cap",
                $"The all-in APR would be {priced.Apr:P2}, above {product.Code}'s cap of {product.AprCap:P2}; lower the rate or the fee.")]);
        }

        return Outcome<PricedOffer>.Success(new PricedOffer(product.Code, terms.Amount, terms.TermCount, terms.AnnualRate, terms.Method, terms.GracePeriods,
            valueDate, fee, priced.NetDisbursed, priced.Apr, priced.RegularInstallment, priced));
    }
}
