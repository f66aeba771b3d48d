using JisuDai.Lending.Money;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Products;

/// <summary>What a borrower asks for under a product.</summary>
/// <param name="Amount">Principal, in yuan.</param>
/// <param name="TermCount">Number of periods.</param>
/// <param name="AnnualRate">Nominal annual rate offered (from the decision's pricing).</param>
/// <param name="Method">Repayment method.</param>
/// <param name="StartDate">Disbursement date.</param>
/// <param name="GracePeriods">Interest-only periods at the start.</param>
public sealed record OfferRequest(decimal Amount, int TermCount, decimal AnnualRate, RepaymentMethod Method, DateOnly StartDate, int GracePeriods = 0);

/// <summary>Prices offers under a product: its bounds first, then the schedule, then the APR cap.</summary>
public static class Offers
{
    /// <summary>The schedule of a valid offer, or every product rule it breaks.</summary>
    public static Outcome<RepaymentSchedule> Price(LoanProduct product, OfferRequest request)
    {
        var errors = new List<DomainError>();
        if (request.Amount < product.MinAmount || request.Amount > product.MaxAmount)
        {
            errors.Add(new("amount", "amount-within-product", $"{product.Code} lends from {product.MinAmount} to {product.MaxAmount} yuan; asked {request.Amount}."));
        }

        if (request.TermCount < product.MinTerm || request.TermCount > product.MaxTerm)
        {
            errors.Add(new("termCount", "term-within-product", $"{product.Code} runs from {product.MinTerm} to {product.MaxTerm} periods; asked {request.TermCount}."));
        }

        if (request.AnnualRate < product.MinAnnualRate || request.AnnualRate > product.MaxAnnualRate)
        {
            errors.Add(new("annualRate", "rate-within-product", $"{product.Code} prices from {product.MinAnnualRate:P2} to {product.MaxAnnualRate:P2} a year; asked {request.AnnualRate:P2}."));
        }

        if (!product.Methods.Contains(request.Method))
        {
            errors.Add(new("method", "method-offered", $"{product.Code} offers {string.Join(", ", product.Methods)}; asked {request.Method}."));
        }

        if (request.GracePeriods > product.MaxGracePeriods)
        {
            errors.Add(new("gracePeriods", "grace-within-product", $"{product.Code} allows at most {product.MaxGracePeriods} grace periods; asked {request.GracePeriods}."));
        }

        decimal fee = Yuan.Round(Math.Max(request.Amount, 0m) * product.OriginationFeeRate);
        Outcome<RepaymentSchedule> schedule = RepaymentSchedules.Build(new ScheduleTerms(
            request.Amount, request.AnnualRate, request.TermCount, request.Method, product.Frequency, product.DayCount,
            request.StartDate, request.GracePeriods, fee));
        // The schedule calls the amount "principal"; an offer's caller knows it as "amount".
        errors.AddRange(schedule.Errors
            .Select(e => e.Field == "principal" ? e with { Field = "amount" } : e)
            .Where(e => !errors.Any(known => known.Field == e.Field)));
        if (errors.Count > 0)
        {
            return Outcome<RepaymentSchedule>.Failure(errors);
        }

        if (schedule.Value!.Apr > product.AprCap)
        {
            return Outcome<RepaymentSchedule>.Failure([new("annualRate", "apr-within-cap",
                $"The all-in APR would be {schedule.Value.Apr:P2}, above {product.Code}'s cap of {product.AprCap:P2}; lower the rate or the fee.")]);
        }

        return schedule;
    }
}
