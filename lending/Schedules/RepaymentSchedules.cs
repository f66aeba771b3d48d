using JisuDai.Lending.Money;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Schedules;

/// <summary>
/// Builds repayment schedules. The rules, the same for every method:
/// <list type="bullet">
/// <item>Each period's interest is the outstanding principal × the annual rate × the period's share of a year
/// under the day-count convention, rounded to the fen once (<see cref="Yuan.Round"/>).</item>
/// <item>Equal installments use the nominal periodic rate (annual rate ÷ periods a year) to size the
/// installment, rounded to the fen; each installment's principal is the installment less its interest.</item>
/// <item>The last installment repays exactly the principal still outstanding, absorbing every rounding
/// difference, so the principal column always sums to the amount lent.</item>
/// <item>Grace periods at the start are interest-only.</item>
/// </list>
/// </summary>
public static class RepaymentSchedules
{
    /// <summary>The schedule for <paramref name="terms"/>, or the rules they break.</summary>
    public static Outcome<RepaymentSchedule> Build(ScheduleTerms terms)
    {
        IReadOnlyList<DomainError> errors = terms.Check();
        if (errors.Count > 0)
        {
            return Outcome<RepaymentSchedule>.Failure(errors);
        }

        IReadOnlyList<Installment> installments = terms.Method == RepaymentMethod.Bullet ? Bullet(terms) : Amortised(terms);
        return Outcome<RepaymentSchedule>.Success(new RepaymentSchedule(terms, installments, AnnualPercentageRate.Of(terms, installments)));
    }

    static IReadOnlyList<Installment> Bullet(ScheduleTerms terms)
    {
        DateOnly due = Periods.DueDate(terms.StartDate, terms.Frequency, terms.TermCount);
        long interest = Periods.InterestFen(Yuan.ToFen(terms.Principal), Periods.ScaleRate(terms.AnnualRate),
            terms.StartDate, due, terms.DayCount, terms.Frequency, terms.TermCount);
        return [new Installment(1, due, terms.Principal, Yuan.FromFen(interest), terms.Principal + Yuan.FromFen(interest), 0m)];
    }

    // In whole fen (long): the loop is the hot path of every schedule, and integer arithmetic gives the
    // same amounts as decimal under the one rounding rule, several times faster.
    static IReadOnlyList<Installment> Amortised(ScheduleTerms terms)
    {
        int repaying = terms.TermCount - terms.GracePeriods;
        long principalFen = Yuan.ToFen(terms.Principal), rate = Periods.ScaleRate(terms.AnnualRate);
        long level = terms.Method switch
        {
            RepaymentMethod.EqualInstallment => Yuan.ToFen(LevelInstallment(terms.Principal, terms.AnnualRate / RepaymentSchedule.PeriodsPerYear(terms.Frequency), repaying)),
            RepaymentMethod.EqualPrincipal => Yuan.ToFen(Yuan.Round(terms.Principal / repaying)),
            RepaymentMethod.InterestFirst => 0,
            _ => throw new ArgumentOutOfRangeException(nameof(terms), terms.Method, "A repayment method with no schedule rule."),
        };

        var installments = new List<Installment>(terms.TermCount);
        long outstanding = principalFen;
        DateOnly previous = terms.StartDate;
        for (int n = 1; n <= terms.TermCount; n++)
        {
            DateOnly due = Periods.DueDate(terms.StartDate, terms.Frequency, n);
            long interest = Periods.InterestFen(outstanding, rate, previous, due, terms.DayCount, terms.Frequency, 1);
            long principal = n == terms.TermCount ? outstanding
                : n <= terms.GracePeriods ? 0
                : terms.Method switch
                {
                    // A long ACT/365 month can cost more interest than the level installment: then no principal is due.
                    RepaymentMethod.EqualInstallment => Math.Clamp(level - interest, 0, outstanding),
                    RepaymentMethod.EqualPrincipal => Math.Min(level, outstanding),
                    RepaymentMethod.InterestFirst => 0,
                    _ => throw new ArgumentOutOfRangeException(nameof(terms), terms.Method, "A repayment method with no schedule rule."),
                };
            outstanding -= principal;
            installments.Add(new Installment(n, due, Yuan.FromFen(principal), Yuan.FromFen(interest), Yuan.FromFen(principal + interest), Yuan.FromFen(outstanding)));
            previous = due;
        }

        return installments;
    }

    /// <summary>P·r / (1 − (1 + r)^−n), rounded to the fen; P / n when the rate is zero.</summary>
    internal static decimal LevelInstallment(decimal principal, decimal periodicRate, int count)
    {
        if (periodicRate == 0m)
        {
            return Yuan.Round(principal / count);
        }

        // (1 + r)^−n by squaring the discount factor (about 2·log2 n multiplications rather than n): every
        // factor is below 1, so the result only shrinks towards 0 and never overflows.
        decimal discount = 1m / (1m + periodicRate), remaining = 1m;
        for (int power = count; power > 0; power >>= 1)
        {
            if ((power & 1) == 1)
            {
                remaining *= discount;
            }

            discount *= discount;
        }

        return Yuan.Round(principal * periodicRate / (1m - remaining));
    }
}
