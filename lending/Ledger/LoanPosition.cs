using JisuDai.Lending.Repayments;

namespace JisuDai.Lending.Ledger;

/// <summary>How one repayment was applied.</summary>
/// <param name="TransactionId">The repayment.</param>
/// <param name="Lines">What it settled, the prepayment fee among them as a fee line.</param>
/// <param name="ToCredit">What it left as credit, applied as later installments fall due.</param>
/// <param name="PrepaymentFee">The prepayment fee it paid on principal repaid early: charged and paid at once, never owed, so no charge stands for it.</param>
public sealed record AppliedRepayment(string TransactionId, IReadOnlyList<AllocationLine> Lines, decimal ToCredit, decimal PrepaymentFee = 0m);

/// <summary>A loan's state on a date, derived from its schedule and transactions.</summary>
/// <param name="Date">The date it describes.</param>
/// <param name="Balances">What is still owed on each installment.</param>
/// <param name="Credit">Money received ahead of time, applied as installments fall due.</param>
/// <param name="PaidOff">True once a payoff was received.</param>
/// <param name="Applied">How each repayment (not reversed) was allocated, in replay order.</param>
/// <param name="WrittenOff">What a write-off took off the balances (0 when the loan was not written off).</param>
/// <param name="ChargesReversed">Penalties and fees taken back by <see cref="ChargeReversed"/> entries.</param>
/// <param name="ChargesReversedToCredit">The part of <paramref name="ChargesReversed"/> the borrower had already paid, which became credit.</param>
public sealed record LoanPosition(
    DateOnly Date,
    IReadOnlyList<InstallmentBalance> Balances,
    decimal Credit,
    bool PaidOff,
    IReadOnlyList<AppliedRepayment> Applied,
    decimal WrittenOff = 0m,
    decimal ChargesReversed = 0m,
    decimal ChargesReversedToCredit = 0m)
{
    /// <summary>Everything still owed on every installment, due or not.</summary>
    public decimal Outstanding => Balances.Sum(b => b.Total);

    /// <summary>True when nothing more is owed: paid off by a payoff, repaid installment by installment, or written off.</summary>
    public bool Settled => PaidOff || Outstanding == 0m;

    /// <summary>Principal not yet repaid.</summary>
    public decimal PrincipalOutstanding => Balances.Sum(b => b.Principal);

}
