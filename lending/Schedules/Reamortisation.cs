using JisuDai.Lending.Money;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Schedules;

/// <summary>
/// Recomputes the installments still to come after principal was prepaid on <c>from</c>: interest of the
/// first runs from the prepayment date (by day count), later ones by the schedule's rules, and the last
/// clears the balance. Reduce-term keeps the installment (or, for equal principal, the principal part) and
/// ends sooner; reduce-installment keeps the due dates and lowers the amount.
/// </summary>
public static class Reamortisation
{
    /// <summary>The new installments, numbered from the first one still to come.</summary>
    public static IReadOnlyList<Installment> Remaining(ScheduleTerms terms, IReadOnlyList<Installment> ahead, DateOnly from, decimal balance, bool reduceTerm)
    {
        if (ahead.Count == 0 || balance <= 0)
        {
            return [];
        }

        decimal periodic = terms.AnnualRate / RepaymentSchedule.PeriodsPerYear(terms.Frequency);
        decimal level = terms.Method switch
        {
            RepaymentMethod.EqualInstallment => reduceTerm ? ahead[0].Total : RepaymentSchedules.LevelInstallment(balance, periodic, ahead.Count),
            RepaymentMethod.EqualPrincipal => reduceTerm ? ahead[0].Principal : Yuan.Round(balance / ahead.Count),
            _ => 0m,
        };

        var installments = new List<Installment>(ahead.Count);
        DateOnly previous = from;
        decimal outstanding = balance;
        foreach (Installment old in ahead)
        {
            // The first period runs from the prepayment date, a part period counted in days; the rest are whole periods.
            decimal interest = installments.Count == 0
                ? Periods.Accrued(outstanding, terms.AnnualRate, previous, old.DueDate, terms.DayCount)
                : Periods.Interest(outstanding, terms.AnnualRate, previous, old.DueDate, terms.DayCount, terms.Frequency, 1);
            bool last = old.Number == ahead[^1].Number;
            decimal principal = last ? outstanding : terms.Method switch
            {
                RepaymentMethod.EqualInstallment => Math.Clamp(level - interest, 0m, outstanding),
                RepaymentMethod.EqualPrincipal => Math.Min(level, outstanding),
                _ => 0m,
            };
            outstanding -= principal;
            installments.Add(new Installment(old.Number, old.DueDate, principal, interest, principal + interest, outstanding));
            previous = old.DueDate;
            if (outstanding == 0)
            {
                break; // reduce-term: the loan ends here
            }
        }

        return installments;
    }
}
