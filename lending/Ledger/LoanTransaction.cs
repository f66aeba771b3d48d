using JisuDai.Lending.Repayments;

namespace JisuDai.Lending.Ledger;

/// <summary>
/// A money movement on a loan. Transactions are never changed or deleted: a mistaken payment is undone by a
/// <see cref="RepaymentReversed"/>, and every balance is derived by replaying them.
/// </summary>
/// <param name="Id">Unique within the loan; also the idempotency key (the payment reference for repayments).</param>
/// <param name="Date">The value date, in the lender's time zone.</param>
public abstract record LoanTransaction(string Id, DateOnly Date)
{
    /// <summary>
    /// Its place in the ledger: numbered from 1 in the order it was recorded (the disbursement is 0). The ledger replays in
    /// this order, so what is recorded later never changes how earlier transactions were applied. 0 on a transaction not
    /// recorded yet: <see cref="LoanLedger.Record"/> numbers it next.
    /// </summary>
    public int Sequence { get; init; }
}

/// <summary>
/// The loan paid out: the first transaction of every ledger, recorded when it is opened. The borrower
/// receives <see cref="NetAmount"/>; the origination fee is kept from the principal.
/// </summary>
public sealed record LoanDisbursed(string Id, DateOnly Date, decimal Principal, decimal OriginationFee) : LoanTransaction(Id, Date)
{
    /// <summary>What reaches the borrower.</summary>
    public decimal NetAmount => Principal - OriginationFee;
}

/// <summary>A payment from the borrower, allocated by the loan's waterfall.</summary>
/// <param name="Id">Its id: the payment reference in the repayments' namespace.</param>
/// <param name="Date">Its value date.</param>
/// <param name="Amount">Yuan received.</param>
/// <param name="PrepaymentFeeRate">
/// The prepayment fee charged on principal its excess repays early, as a fraction of that principal: the product's rate
/// when it was recorded (0 on repayments recorded before the fee was charged, so their history replays as it was).
/// </param>
public sealed record RepaymentReceived(string Id, DateOnly Date, decimal Amount, decimal PrepaymentFeeRate = 0m) : LoanTransaction(Id, Date);

/// <summary>Undoes a repayment: the ledger replays as if it had never been received.</summary>
public sealed record RepaymentReversed(string Id, DateOnly Date, string RepaymentId) : LoanTransaction(Id, Date);

/// <summary>A penalty or fee charged to one installment.</summary>
public sealed record ChargeAssessed(string Id, DateOnly Date, int Installment, Component Component, decimal Amount) : LoanTransaction(Id, Date);

/// <summary>
/// Takes back a charge the sweep assessed, because a payment recorded later was value-dated before it (what would still
/// have been charged with the payment in place is charged again after it, <see cref="Loans.ValueDating"/>). Appended,
/// never a change to the charge: the charge stays in the ledger with its reversal beside it.
/// What was still owed on the charge leaves the balances; what the borrower had already paid of it becomes credit.
/// </summary>
/// <param name="Id">Its id (<c>reversal-{chargeId}-{n}</c>).</param>
/// <param name="Date">The charge's date, so a position on any day shows the charge as it should have been.</param>
/// <param name="ChargeId">The charge it takes back.</param>
/// <param name="Amount">Yuan taken back: at most what is left of the charge after earlier reversals.</param>
public sealed record ChargeReversed(string Id, DateOnly Date, string ChargeId, decimal Amount) : LoanTransaction(Id, Date);

/// <summary>Pays the loan off: accepted only for exactly the payoff quote of its date.</summary>
public sealed record PayoffReceived(string Id, DateOnly Date, decimal Amount) : LoanTransaction(Id, Date);

/// <summary>
/// Writes the loan off as a loss: everything still owed on its date (<see cref="Amount"/>, exactly) leaves the
/// balances, and nothing more can be recorded.
/// </summary>
public sealed record WriteOffRecorded(string Id, DateOnly Date, decimal Amount) : LoanTransaction(Id, Date);

/// <summary>
/// Re-amortises the loan on its date under new terms (<see cref="Loans.Restructuring"/>): what is outstanding moves to a
/// new schedule whose installments follow on from the old ones' numbers; installments not yet due give way to it.
/// </summary>
public sealed record LoanRestructured(string Id, DateOnly Date, Loans.RestructuringRequest Terms) : LoanTransaction(Id, Date);

/// <summary>What a prepayment does to the installments still to come.</summary>
public enum PrepaymentMode
{
    /// <summary>Keep the installment amount; finish sooner.</summary>
    ReduceTerm,
    /// <summary>Keep the number of installments; pay less each time.</summary>
    ReduceInstallment,
}

/// <summary>
/// Money paid ahead of the schedule to reduce principal: it settles what is due, then the interest accrued to
/// its date, then principal with the prepayment fee on it; the installments still to come are re-amortised by
/// <paramref name="Mode"/>.
/// </summary>
/// <param name="Id">Its id: the payment reference in the repayments' namespace.</param>
/// <param name="Date">Its value date.</param>
/// <param name="Amount">Yuan received.</param>
/// <param name="Mode">What it does to the installments to come.</param>
/// <param name="PrepaymentFeeRate">The fee on the principal it repays early, as a fraction of it (the product's rate when it was recorded).</param>
public sealed record PrepaymentReceived(string Id, DateOnly Date, decimal Amount, PrepaymentMode Mode, decimal PrepaymentFeeRate = 0m) : LoanTransaction(Id, Date);

/// <summary>
/// Credit beyond what a paid-off loan owed, given back to the borrower through the provider: it leaves the loan's credit.
/// Recorded once the provider confirms the refund; at most the credit on its date.
/// </summary>
/// <param name="Id">Its id: the refund number in the refunds' namespace.</param>
/// <param name="Date">When the money went back.</param>
/// <param name="Amount">Yuan given back.</param>
public sealed record CreditRefunded(string Id, DateOnly Date, decimal Amount) : LoanTransaction(Id, Date);
