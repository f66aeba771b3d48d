using JisuDai.Lending.Products;

namespace JisuDai.Lending.Schedules;

/// <summary>
/// The all-in APR: the internal rate of return of the borrower's actual cash flows (the net amount received
/// at the start, every installment after), per payment period, times the periods in a year. Each cash
/// flow's time is counted in whole payment periods (the unit-period method), so a fee-free loan's APR equals
/// its nominal rate and every fee shows up in it. This is the figure held against a product's APR cap.
/// </summary>
public static class AnnualPercentageRate
{
    /// <summary>The APR as a fraction, to six decimals.</summary>
    public static decimal Of(ScheduleTerms terms, IReadOnlyList<Installment> installments)
    {
        double received = (double)(terms.Principal - terms.OriginationFee);
        (double Amount, int Period)[] payments = terms.Method == RepaymentMethod.Bullet
            ? [((double)installments[0].Total, terms.TermCount)]
            : installments.Select(i => ((double)i.Total, i.Number)).ToArray();

        // Net present value (received less discounted payments) rises with the rate: negative below the IRR,
        // positive above it. Bisect between the two.
        double Npv(double rate) => received - payments.Sum(p => p.Amount / Math.Pow(1 + rate, p.Period));
        double low = -0.99, high = 1.0;
        while (Npv(high) < 0 && high < 1e6)
        {
            high *= 2;
        }

        for (int i = 0; i < 200 && high - low > 1e-13; i++)
        {
            double middle = (low + high) / 2;
            if (Npv(middle) < 0)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return Math.Round((decimal)((low + high) / 2 * RepaymentSchedule.PeriodsPerYear(terms.Frequency)), 6, MidpointRounding.AwayFromZero);
    }
}
