namespace JisuDai.Lending.Loans;

/// <summary>What happens to a loan.</summary>
public enum LoanEvent
{
    /// <summary>The money went out.</summary>
    Disbursed,
    /// <summary>An installment went unpaid past its due date.</summary>
    FellOverdue,
    /// <summary>Everything overdue was paid.</summary>
    Cured,
    /// <summary>The loan was repaid in full.</summary>
    PaidOff,
    /// <summary>The loan was written off as a loss.</summary>
    WrittenOff,
    /// <summary>The loan was re-amortised over new terms.</summary>
    Restructured,
    /// <summary>The payout of a loan booked before it failed: no money went out.</summary>
    PayoutFailed,
}

/// <summary>The loan state machine: only the transitions listed here are legal.</summary>
public static class LoanLifecycle
{
    static readonly Dictionary<(LoanStatus, LoanEvent), LoanStatus> Transitions = new()
    {
        [(LoanStatus.Approved, LoanEvent.Disbursed)] = LoanStatus.Active,
        [(LoanStatus.Approved, LoanEvent.PayoutFailed)] = LoanStatus.Cancelled,
        [(LoanStatus.Active, LoanEvent.FellOverdue)] = LoanStatus.Overdue,
        [(LoanStatus.Restructured, LoanEvent.FellOverdue)] = LoanStatus.Overdue,
        [(LoanStatus.Overdue, LoanEvent.Cured)] = LoanStatus.Active,
        [(LoanStatus.Active, LoanEvent.PaidOff)] = LoanStatus.PaidOff,
        [(LoanStatus.Overdue, LoanEvent.PaidOff)] = LoanStatus.PaidOff,
        [(LoanStatus.Restructured, LoanEvent.PaidOff)] = LoanStatus.PaidOff,
        [(LoanStatus.Overdue, LoanEvent.WrittenOff)] = LoanStatus.WrittenOff,
        [(LoanStatus.Active, LoanEvent.Restructured)] = LoanStatus.Restructured,
        [(LoanStatus.Overdue, LoanEvent.Restructured)] = LoanStatus.Restructured,
    };

    /// <summary>The status after <paramref name="loanEvent"/>, or an error when the transition is not legal.</summary>
    public static Outcome<LoanStatus> Apply(LoanStatus from, LoanEvent loanEvent) =>
        Transitions.TryGetValue((from, loanEvent), out LoanStatus to)
            ? Outcome<LoanStatus>.Success(to)
            : Outcome<LoanStatus>.Failure([new DomainError("status", "transition-legal", $"A {from} loan cannot be {loanEvent}.")]);

    /// <summary>Every legal transition, for documentation and tests.</summary>
    public static IReadOnlyDictionary<(LoanStatus From, LoanEvent Event), LoanStatus> All => Transitions;
}
