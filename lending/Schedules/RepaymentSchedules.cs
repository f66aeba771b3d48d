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
        decimal interest = Yuan.Round(Periods.Interest(
            terms.Principal, terms.AnnualRate, terms.StartDate, due, terms.DayCount, terms.Frequency, terms.TermCount));
        return [new Installment(1, due, terms.Principal, interest, terms.Principal + interest, 0m)];
    }

    static IReadOnlyList<Installment> Amortised(ScheduleTerms terms)
    {
        int repaying = terms.TermCount - terms.GracePeriods;
        decimal level = terms.Method switch
        {
            RepaymentMethod.EqualInstallment => LevelInstallment(terms.Principal, terms.AnnualRate / RepaymentSchedule.PeriodsPerYear(terms.Frequency), repaying),
            RepaymentMethod.EqualPrincipal => Yuan.Round(terms.Principal / repaying),
            _ => 0m,
        };

        var installments = new List<Installment>(terms.TermCount);
        decimal outstanding = terms.Principal;
        DateOnly previous = terms.StartDate;
        for (int n = 1; n <= terms.TermCount; n++)
        {
            DateOnly due = Periods.DueDate(terms.StartDate, terms.Frequency, n);
            decimal interest = Yuan.Round(Periods.Interest(
                outstanding, terms.AnnualRate, previous, due, terms.DayCount, terms.Frequency, 1));
            decimal principal = n == terms.TermCount ? outstanding
                : n <= terms.GracePeriods ? 0m
                : terms.Method switch
                {
                    // A long ACT/365 month can cost more interest than the level installment: then no principal is due.
                    RepaymentMethod.EqualInstallment => Math.Clamp(level - interest, 0m, outstanding),
                    RepaymentMethod.EqualPrincipal => Math.Min(level, outstanding),
                    _ => 0m,
                };
            outstanding -= principal;
            installments.Add(new Installment(n, due, principal, interest, principal + interest, outstanding));
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

        // (1 + r)^−n as a product of discount factors: it can only shrink (towards 0), never overflow.
        decimal discount = 1m / (1m + periodicRate), remaining = 1m;
        for (int i = 0; i < count; i++)
        {
            remaining *= discount;
        }

        return Yuan.Round(principal * periodicRate / (1m - remaining));
    }
}
