using JisuDai.Lending.Documents;

namespace JisuDai.Lending.Loans;

/// <summary>The states a loan moves through.</summary>
public enum LoanStatus
{
    /// <summary>Approved and accepted, booked before its payout is asked for, not yet paid out: it takes no payments and accrues nothing.</summary>
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
    /// <summary>Booked, but its payout failed: no money went out and none is owed.</summary>
    Cancelled,
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
/// <param name="Repayments">Repayments received, in the order they were recorded. Each kind of ledger entry is kept in its own list; their sequence numbers give the ledger's one order (<see cref="LedgerSequence"/>).</param>
/// <param name="Charges">Penalty interest and late fees the overdue sweep assessed.</param>
/// <param name="DaysPastDue">Days past due as of <paramref name="LastSweptOn"/>.</param>
/// <param name="LastSweptOn">The last day the overdue sweep brought the loan up to date (it does each day once).</param>
/// <param name="WriteOff">The write-off, once an admin approved it.</param>
/// <param name="Restructurings">New terms agreed with the borrower, in order.</param>
/// <param name="Events">What happened to the loan, in order: written with the change that raised it, so the outbox copy can never miss one.</param>
/// <param name="EventsInOutbox">How many of <paramref name="Events"/>, from the first, are known to be in the outbox (the sweep copies the rest).</param>
/// <param name="Consent">What its borrower consented to when accepting the offer (the key facts, the contract, any debit agreement), copied from the application at booking.</param>
/// <param name="Refunds">Credit beyond what the paid-off loan owed, given back through the provider, in order.</param>
/// <param name="PaidOut">What its payout paid the borrower (the principal less the origination fee), as the provider confirmed it; null on loans booked before payouts went through a provider.</param>
/// <param name="ChargeReversals">Charges taken back because a payment recorded later was value-dated before them (<see cref="ValueDating"/>), in order.</param>
/// <param name="Product">The product's terms as the loan was booked under them (the version its application took); null on loans booked before, which were all Express version 1.</param>
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
    DateOnly? LastSweptOn = null,
    ApprovedWriteOff? WriteOff = null,
    IReadOnlyList<AgreedRestructuring>? Restructurings = null,
    IReadOnlyList<LoanEventRecord>? Events = null,
    int EventsInOutbox = 0,
    decimal? PaidOut = null,
    IReadOnlyList<RecordedRefund>? Refunds = null,
    Applications.AcceptanceConsent? Consent = null,
    IReadOnlyList<Ledger.ChargeReversed>? ChargeReversals = null,
    Products.LoanProduct? Product = null) : ICustomerDocument
{
    /// <summary>The terms the loan is serviced under: its own copy, or the built-in Express for one booked before it kept one.</summary>
    public Products.LoanProduct ProductTerms() => Product ?? Products.BuiltInProducts.Express;

    /// <summary>Events raised but not yet known to be in the outbox (a method, so it is never stored with the loan).</summary>
    public IEnumerable<LoanEventRecord> EventsNotInOutbox() => (Events ?? []).Skip(EventsInOutbox);

    /// <summary>This loan with <paramref name="type"/> raised on <paramref name="on"/> (its id is the loan's id and the event's number).</summary>
    public Loan Raise(LoanEventType type, DateOnly on, decimal amount, string? reference = null, int? daysPastDue = null)
    {
        IReadOnlyList<LoanEventRecord> events = Events ?? [];
        var raised = new LoanEventRecord($"{Id}-{events.Count + 1:D4}", type, Id, CustomerId, on, amount, reference, daysPastDue);
        return this with { Events = [.. events, raised] };
    }

    /// <summary>True once nothing more is owed on it or paid out on it: paid off, written off, or cancelled when its payout failed.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsClosed => Status is LoanStatus.PaidOff or LoanStatus.WrittenOff or LoanStatus.Cancelled;

    /// <summary>True once the money went out (not <see cref="LoanStatus.Approved"/>, waiting for its payout, nor <see cref="LoanStatus.Cancelled"/>, whose payout failed).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsPaidOut => Status is not (LoanStatus.Approved or LoanStatus.Cancelled);

    /// <summary>This loan moved by <paramref name="loanEvent"/> under <see cref="LoanLifecycle"/>, or why it cannot move.</summary>
    public Outcome<Loan> Move(LoanEvent loanEvent)
    {
        Outcome<LoanStatus> to = LoanLifecycle.Apply(Status, loanEvent);
        return to.Succeeded ? Outcome<Loan>.Success(this with { Status = to.Value }) : Outcome<Loan>.Failure(to.Errors);
    }
}

/// <summary>A restructuring as recorded on a loan.</summary>
/// <param name="Reference">Its reference, unique per loan (recording it twice records it once).</param>
/// <param name="Terms">The new terms, from its date.</param>
/// <param name="AgreedBy">The member of staff who proposed it.</param>
/// <param name="ApprovedBy">The second member of staff who approved it (four eyes; empty on restructurings recorded before that).</param>
/// <param name="Sequence">Its place in the loan's ledger (<see cref="Ledger.LoanTransaction.Sequence"/>; 0 until numbered).</param>
public sealed record AgreedRestructuring(string Reference, RestructuringRequest Terms, string AgreedBy, string? ApprovedBy = null, int Sequence = 0)
{
    /// <summary>The ledger transaction this records.</summary>
    public Ledger.LoanTransaction ToTransaction() => new Ledger.LoanRestructured(Ledger.TransactionIds.Restructuring(Reference), Terms.Date, Terms) { Sequence = Sequence };
}

/// <summary>A write-off an admin approved.</summary>
/// <param name="ProposalId">The monthly proposal it was on.</param>
/// <param name="ApprovedBy">The admin who approved it.</param>
/// <param name="On">The write-off date.</param>
/// <param name="Amount">Everything owed that day, taken off the balances.</param>
/// <param name="DaysPastDue">Days past due that day.</param>
/// <param name="Sequence">Its place in the loan's ledger (<see cref="Ledger.LoanTransaction.Sequence"/>; 0 until numbered).</param>
public sealed record ApprovedWriteOff(string ProposalId, string ApprovedBy, DateOnly On, decimal Amount, int DaysPastDue, int Sequence = 0)
{
    /// <summary>The ledger transaction this records.</summary>
    public Ledger.LoanTransaction ToTransaction() => new Ledger.WriteOffRecorded($"write-off-{ProposalId}", On, Amount) { Sequence = Sequence };
}

/// <summary>A repayment as recorded on a loan.</summary>
/// <param name="Reference">The payment reference (unique per loan: a repayment posted twice is recorded once).</param>
/// <param name="PaidOn">The value date, in the lender's time zone.</param>
/// <param name="Amount">The amount, in yuan.</param>
/// <param name="RecordedAt">When it was recorded.</param>
/// <param name="Prepayment">Null for a repayment; for a prepayment, whether it shortens the term or lowers the installments.</param>
/// <param name="PrepaymentFeeRate">The product's prepayment fee rate when it was recorded, charged on principal it repays early (0 on repayments recorded before the fee was charged).</param>
/// <param name="Sequence">Its place in the loan's ledger (<see cref="Ledger.LoanTransaction.Sequence"/>; 0 until numbered).</param>
public sealed record RecordedRepayment(string Reference, DateOnly PaidOn, decimal Amount, DateTimeOffset RecordedAt, Ledger.PrepaymentMode? Prepayment = null,
    decimal PrepaymentFeeRate = 0m, int Sequence = 0)
{
    /// <summary>The ledger transaction this records.</summary>
    public Ledger.LoanTransaction ToTransaction() => Prepayment is { } mode
        ? new Ledger.PrepaymentReceived(TransactionId, PaidOn, Amount, mode, PrepaymentFeeRate) { Sequence = Sequence }
        : new Ledger.RepaymentReceived(TransactionId, PaidOn, Amount, PrepaymentFeeRate) { Sequence = Sequence };

    /// <summary>Its ledger transaction's id: the reference in the repayments' namespace, so it never collides with an id the platform makes.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string TransactionId => Ledger.TransactionIds.Repayment(Reference);
}

/// <summary>Credit given back to the borrower, as recorded on a loan once the provider confirmed it.</summary>
/// <param name="RefundNo">Our refund number (unique per loan: a refund confirmed twice is recorded once).</param>
/// <param name="On">The day the money went back, in the lender's time zone.</param>
/// <param name="Amount">Yuan given back.</param>
/// <param name="PaymentId">The payment it was given back against.</param>
/// <param name="Sequence">Its place in the loan's ledger (<see cref="Ledger.LoanTransaction.Sequence"/>; 0 until numbered).</param>
public sealed record RecordedRefund(string RefundNo, DateOnly On, decimal Amount, string PaymentId, int Sequence = 0)
{
    /// <summary>The ledger transaction this records.</summary>
    public Ledger.LoanTransaction ToTransaction() => new Ledger.CreditRefunded(Ledger.TransactionIds.Refund(RefundNo), On, Amount) { Sequence = Sequence };
}
