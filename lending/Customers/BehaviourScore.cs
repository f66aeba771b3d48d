using JisuDai.Lending.Delinquency;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Customers;

/// <summary>What a customer's repayment history comes to.</summary>
/// <param name="Score">300 (written off) to 900; 700 and above is a good payer. Null for a customer with nothing fallen due yet.</param>
/// <param name="InstallmentsDue">Installments fallen due across the customer's loans.</param>
/// <param name="PaidOnTime">Of those, the ones paid in full by their due date.</param>
/// <param name="WorstDaysPastDue">The most days past due any loan reached (as the sweep recorded, or today).</param>
/// <param name="CurrentDaysPastDue">Days past due today, the worst loan.</param>
/// <param name="LoansPaidOff">Loans repaid in full.</param>
/// <param name="LoansWrittenOff">Loans written off.</param>
public sealed record BehaviourHistory(double? Score, int InstallmentsDue, int PaidOnTime, int WorstDaysPastDue, int CurrentDaysPastDue, int LoansPaidOff, int LoansWrittenOff);

/// <summary>
/// The internal behaviour score, derived from the customer's own loans each time it is asked for (like balances from
/// the ledger), so every repayment and every day past due counts the moment it is recorded and no stored score can
/// drift from the loans. On-time installments raise it; lateness, arrears and write-offs lower it.
/// </summary>
public static class BehaviourScore
{
    /// <summary>The lowest score, reserved for customers with a loan written off.</summary>
    public const int Floor = 300;

    /// <summary>The highest score.</summary>
    public const int Ceiling = 900;

    /// <summary>The customer's history and score on <paramref name="on"/>.</summary>
    public static BehaviourHistory Of(IEnumerable<Loan> loans, DateOnly on)
    {
        int due = 0, onTime = 0, worst = 0, current = 0, paidOff = 0, writtenOff = 0;
        // A loan not paid out (pending, or cancelled when its payout failed) lent nothing, so it says nothing of the borrower.
        foreach (Loan loan in loans.Where(l => l.Schedule is not null && l.IsPaidOut && l.DisbursedOn <= on))
        {
            LoanProduct product = loan.ProductTerms();
            LoanLedger ledger = LoanSweep.LedgerOf(loan, product);
            foreach (DateOnly dueDate in loan.Schedule!.Installments.Select(i => i.DueDate).Where(d => d <= on).Distinct())
            {
                // Paid on time: nothing owed on that date's installments at the end of their due date.
                due++;
                onTime += ledger.PositionOn(dueDate).Balances.Where(b => b.DueDate == dueDate).All(b => b.Total == 0) ? 1 : 0;
            }

            int today = loan.Status is LoanStatus.PaidOff or LoanStatus.WrittenOff ? 0 : Arrears.Assess(ledger.PositionOn(on), product.Delinquency).DaysPastDue;
            current = Math.Max(current, today);
            worst = Math.Max(worst, Math.Max(today, loan.DaysPastDue));
            paidOff += loan.Status == LoanStatus.PaidOff ? 1 : 0;
            writtenOff += loan.Status == LoanStatus.WrittenOff ? 1 : 0;
        }

        return new BehaviourHistory(Score(due, onTime, worst, current, paidOff, writtenOff), due, onTime, worst, current, paidOff, writtenOff);
    }

    /// <summary>
    /// 500, plus up to 300 for the share of installments paid on time (shrunk towards none by two, so a short history
    /// earns less than a long one), plus 25 per loan paid off (at most 100), less 5 per day of the worst lateness (at most
    /// 300) and 100 while anything is past due. A write-off sets the floor.
    /// </summary>
    static double? Score(int due, int onTime, int worst, int current, int paidOff, int writtenOff)
    {
        if (writtenOff > 0)
        {
            return Floor;
        }

        if (due == 0 && paidOff == 0)
        {
            return null;
        }

        double score = 500 + 300.0 * onTime / (due + 2) + Math.Min(100, 25 * paidOff) - Math.Min(300, 5 * worst) - (current > 0 ? 100 : 0);
        return Math.Round(Math.Clamp(score, Floor, Ceiling));
    }
}
