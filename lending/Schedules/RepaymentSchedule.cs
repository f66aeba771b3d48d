using JisuDai.Lending.Products;

namespace JisuDai.Lending.Schedules;

/// <summary>One installment of a schedule.</summary>
/// <param name="Number">1-based position.</param>
/// <param name="DueDate">The day it falls due.</param>
/// <param name="Principal">Principal repaid, in yuan.</param>
/// <param name="Interest">Interest for the period, in yuan.</param>
/// <param name="Total">What the borrower pays: principal plus interest.</param>
/// <param name="OutstandingAfter">Principal still owed once it is paid.</param>
public sealed record Installment(int Number, DateOnly DueDate, decimal Principal, decimal Interest, decimal Total, decimal OutstandingAfter);

/// <summary>A priced repayment schedule with its totals and all-in APR.</summary>
/// <param name="Terms">What it was computed from.</param>
/// <param name="Installments">The installments in due order.</param>
/// <param name="Apr">All-in annual percentage rate as a fraction, from the actual cash flows (fees included).</param>
public sealed record RepaymentSchedule(ScheduleTerms Terms, IReadOnlyList<Installment> Installments, decimal Apr)
{
    /// <summary>Interest over the whole loan.</summary>
    public decimal TotalInterest => Installments.Sum(i => i.Interest);

    /// <summary>Everything the borrower repays.</summary>
    public decimal TotalRepayable => Installments.Sum(i => i.Total);

    /// <summary>What reaches the borrower: principal less the origination fee.</summary>
    public decimal NetDisbursed => Terms.Principal - Terms.OriginationFee;

    /// <summary>The installment amount of an equal-installment schedule (its first regular installment).</summary>
    public decimal RegularInstallment => Installments[Math.Min(Terms.GracePeriods, Installments.Count - 1)].Total;

    /// <summary>Two schedules are equal when their terms, APR and every installment are: the offer shown and the loan booked are compared this way.</summary>
    public bool Equals(RepaymentSchedule? other) =>
        other is not null && Terms == other.Terms && Apr == other.Apr && Installments.SequenceEqual(other.Installments);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Terms, Apr, Installments.Count);

    internal static int PeriodsPerYear(PaymentFrequency frequency) => frequency switch
    {
        PaymentFrequency.Monthly => 12,
        PaymentFrequency.BiWeekly => 26,
        PaymentFrequency.Weekly => 52,
        _ => throw new ArgumentOutOfRangeException(nameof(frequency)),
    };
}
