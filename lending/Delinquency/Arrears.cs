using JisuDai.Lending.Ledger;
using JisuDai.Lending.Money;
using JisuDai.Lending.Repayments;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Delinquency;

/// <summary>A loan's delinquency on a day.</summary>
/// <param name="DaysPastDue">Days since the oldest installment still unpaid fell due (0 when none is).</param>
/// <param name="Bucket">Its bucket under the policy.</param>
/// <param name="OverduePrincipal">Principal fallen due and unpaid.</param>
/// <param name="ProposeWriteOff">True beyond the policy's write-off threshold.</param>
public sealed record DelinquencyStatus(int DaysPastDue, DelinquencyBucket Bucket, decimal OverduePrincipal, bool ProposeWriteOff);

/// <summary>One day's penalty on one installment.</summary>
public sealed record PenaltyCharge(int Installment, decimal Amount);

/// <summary>Days past due, buckets and penalty accrual, from a loan's position.</summary>
public static class Arrears
{
    /// <summary>The loan's delinquency at the end of the position's date.</summary>
    public static DelinquencyStatus Assess(LoanPosition position, DelinquencyPolicy policy)
    {
        var overdue = position.Balances.Where(b => b.DueDate < position.Date && b.Total > 0).ToList();
        int days = overdue.Count == 0 ? 0 : position.Date.DayNumber - overdue[0].DueDate.DayNumber;
        return new DelinquencyStatus(days, policy.BucketFor(days), overdue.Sum(b => b.Principal), days > policy.WriteOffAfterDays);
    }

    /// <summary>
    /// The penalty for one day on each installment's overdue principal, once its grace days are over:
    /// principal × penalty rate ÷ 365, rounded to the fen per installment and day (so the overdue sweep can
    /// charge each day once, by transaction id). Installments due on or after the position's date are not
    /// overdue yet.
    /// </summary>
    public static IReadOnlyList<PenaltyCharge> DailyPenalty(LoanPosition position, DelinquencyPolicy policy) =>
        position.PaidOff
            ? []
            : PastGrace(position, policy)
                .Where(b => b.Principal > 0)
                .Select(b => new PenaltyCharge(b.Number, Yuan.Round(b.Principal * policy.PenaltyAnnualRate / 365m)))
                .Where(c => c.Amount > 0)
                .ToList();

    /// <summary>
    /// The late fees due: one per installment still unpaid after the grace days. Charging is idempotent by
    /// transaction id (<c>late-fee-{installment}</c>), so the sweep may ask every day.
    /// </summary>
    public static IReadOnlyList<PenaltyCharge> LateFees(LoanPosition position, DelinquencyPolicy policy) =>
        position.PaidOff || policy.LateFee == 0
            ? []
            : PastGrace(position, policy).Select(b => new PenaltyCharge(b.Number, policy.LateFee)).ToList();

    static IEnumerable<Repayments.InstallmentBalance> PastGrace(LoanPosition position, DelinquencyPolicy policy) =>
        position.Balances.Where(b => b.Total > 0 && position.Date.DayNumber - b.DueDate.DayNumber > policy.GraceDays);
}
