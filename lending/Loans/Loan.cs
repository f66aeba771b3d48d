using JisuDai.Lending.Documents;

namespace JisuDai.Lending.Loans;

/// <summary>The states a loan moves through.</summary>
public enum LoanStatus
{
    /// <summary>Approved and accepted, not yet paid out.</summary>
    Approved,
    /// <summary>Paid out and being repaid on schedule.</summary>
    Active,
    /// <summary>At least one installment is past due.</summary>
    Overdue,
    /// <summary>Repaid in full.</summary>
    PaidOff,
    /// <summary>Written off as a loss.</summary>
    WrittenOff,
    /// <summary>Re-amortised over new terms.</summary>
    Restructured,
}

/// <summary>A booked loan. Balances are derived from its ledger, not stored here.</summary>
/// <param name="Id">The loan id.</param>
/// <param name="CustomerId">The borrower.</param>
/// <param name="ApplicationId">The application it came from.</param>
/// <param name="Principal">The principal paid out, in yuan.</param>
/// <param name="Status">The loan's state.</param>
/// <param name="DisbursedOn">The day the money went out, in the lender's time zone.</param>
/// <param name="ProductCode">The product it was lent under.</param>
/// <param name="Schedule">The repayment schedule agreed at booking.</param>
/// <param name="PayoutTransferId">The transfer that paid it out.</param>
/// <param name="Repayments">Repayments received, in the order they were recorded; the ledger is replayed from them.</param>
/// <param name="Charges">Penalty interest and late fees the overdue sweep assessed.</param>
/// <param name="DaysPastDue">Days past due as of <paramref name="LastSweptOn"/>.</param>
/// <param name="LastSweptOn">The last day the overdue sweep brought the loan up to date (it does each day once).</param>
public sealed record Loan(
    string Id,
    string CustomerId,
    string ApplicationId,
    decimal Principal,
    LoanStatus Status,
    DateOnly DisbursedOn,
    string ProductCode = "",
    Schedules.RepaymentSchedule? Schedule = null,
    string? PayoutTransferId = null,
    IReadOnlyList<RecordedRepayment>? Repayments = null,
    IReadOnlyList<Ledger.ChargeAssessed>? Charges = null,
    int DaysPastDue = 0,
    DateOnly? LastSweptOn = null) : ICustomerDocument;

/// <summary>A repayment as recorded on a loan.</summary>
/// <param name="Reference">The payment reference (unique per loan: a repayment posted twice is recorded once).</param>
/// <param name="PaidOn">The value date, in the lender's time zone.</param>
/// <param name="Amount">The amount, in yuan.</param>
/// <param name="RecordedAt">When it was recorded.</param>
/// <param name="Prepayment">Null for a repayment; for a prepayment, whether it shortens the term or lowers the installments.</param>
public sealed record RecordedRepayment(string Reference, DateOnly PaidOn, decimal Amount, DateTimeOffset RecordedAt, Ledger.PrepaymentMode? Prepayment = null)
{
    /// <summary>The ledger transaction this records.</summary>
    public Ledger.LoanTransaction ToTransaction() => Prepayment is { } mode
        ? new Ledger.PrepaymentReceived(Reference, PaidOn, Amount, mode)
        : new Ledger.RepaymentReceived(Reference, PaidOn, Amount);
}
