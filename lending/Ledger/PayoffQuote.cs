namespace JisuDai.Lending.Ledger;

/// <summary>What it costs to close a loan on a date.</summary>
/// <param name="Date">The payoff date.</param>
/// <param name="Due">Everything fallen due and unpaid: penalties, fees, interest and principal.</param>
/// <param name="PrincipalNotYetDue">Principal of the installments still to come.</param>
/// <param name="AccruedInterest">Interest on that principal from the last due date (or disbursement) to the
/// payoff date, by the schedule's day count, never more than the period's scheduled interest.</param>
/// <param name="PrepaymentFee">The product's prepayment fee on the principal repaid early.</param>
/// <param name="Credit">Money already received and not yet applied, which counts towards the payoff.</param>
public sealed record PayoffQuote(DateOnly Date, decimal Due, decimal PrincipalNotYetDue, decimal AccruedInterest, decimal PrepaymentFee, decimal Credit)
{
    /// <summary>Everything owed to close the loan, before credit.</summary>
    public decimal Owed => Due + PrincipalNotYetDue + AccruedInterest + PrepaymentFee;

    /// <summary>The amount to pay; zero when the credit already covers everything.</summary>
    public decimal Total => Math.Max(0m, Owed - Credit);

    /// <summary>Credit beyond what is owed: returned to the borrower at payoff, never kept.</summary>
    public decimal Refund => Math.Max(0m, Credit - Owed);
}
