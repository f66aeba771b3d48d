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
    const double Tolerance = 1e-12;

    /// <summary>The APR as a fraction, to six decimals.</summary>
    public static decimal Of(ScheduleTerms terms, IReadOnlyList<Installment> installments)
    {
        double received = (double)(terms.Principal - terms.OriginationFee);
        double[] payments = new double[terms.Method == RepaymentMethod.Bullet ? terms.TermCount : installments.Count];
        if (terms.Method == RepaymentMethod.Bullet)
        {
            payments[^1] = (double)installments[0].Total;
        }
        else
        {
            for (int i = 0; i < installments.Count; i++)
            {
                payments[i] = (double)installments[i].Total;
            }
        }

        double periodic = Newton(received, payments, (double)terms.AnnualRate / RepaymentSchedule.PeriodsPerYear(terms.Frequency))
            ?? Bisection(received, payments);
        return Math.Round((decimal)(periodic * RepaymentSchedule.PeriodsPerYear(terms.Frequency)), 6, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// Net present value at <paramref name="rate"/> (received less the payments, payment k discounted k
    /// periods) and its derivative, in one pass with a running discount factor instead of a power per flow.
    /// It rises with the rate: negative below the IRR, positive above it.
    /// </summary>
    static (double Value, double Slope) Npv(double received, double[] payments, double rate)
    {
        double v = 1 / (1 + rate), discount = 1, value = received, slope = 0;
        for (int k = 0; k < payments.Length; k++)
        {
            discount *= v;
            value -= payments[k] * discount;
            slope += payments[k] * (k + 1) * discount * v;
        }

        return (value, slope);
    }

    /// <summary>Newton's method from the nominal rate, which is close; null when it does not settle.</summary>
    static double? Newton(double received, double[] payments, double guess)
    {
        double rate = guess;
        for (int i = 0; i < 50; i++)
        {
            (double value, double slope) = Npv(received, payments, rate);
            if (slope <= 0 || double.IsNaN(value))
            {
                return null;
            }

            double next = rate - value / slope;
            if (next <= -0.99 || double.IsNaN(next))
            {
                return null;
            }

            if (Math.Abs(next - rate) < Tolerance)
            {
                return next;
            }

            rate = next;
        }

        return null;
    }

    static double Bisection(double received, double[] payments)
    {
        double low = -0.99, high = 1.0;
        while (Npv(received, payments, high).Value < 0 && high < 1e6)
        {
            high *= 2;
        }

        while (high - low > Tolerance)
        {
            double middle = (low + high) / 2;
            if (Npv(received, payments, middle).Value < 0)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return (low + high) / 2;
    }
}
