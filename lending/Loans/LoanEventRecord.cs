namespace JisuDai.Lending.Loans;

/// <summary>The domain events a loan raises for other systems (accounting, collections, the data warehouse).</summary>
public enum LoanEventType
{
    /// <summary>The money went out and the loan was booked.</summary>
    LoanDisbursed,
    /// <summary>A repayment or prepayment was recorded.</summary>
    RepaymentReceived,
    /// <summary>The loan fell past due (raised once per spell, on the day it started).</summary>
    LoanOverdue,
    /// <summary>Everything past due was paid; the loan is current again.</summary>
    LoanCured,
    /// <summary>The loan was re-amortised over new terms.</summary>
    LoanRestructured,
    /// <summary>Nothing more is owed.</summary>
    LoanPaidOff,
    /// <summary>What was owed was written off as a loss.</summary>
    LoanWrittenOff,
    /// <summary>What was due was asked of the borrower's account under their debit agreement (the reference is the debit's order).</summary>
    DebitRequested,
    /// <summary>The borrower's bank refused a debit (the reference is the debit's order and the provider's reason).</summary>
    DebitFailed,
    /// <summary>Charges the sweep assessed were taken back because a payment recorded later was value-dated before them (the amount is what the borrower no longer owes, net of what was charged again; the reference is the payment's).</summary>
    ChargesReversed,
    /// <summary>Credit beyond what the paid-off loan owed went back to the borrower (the reference is the refund number).</summary>
    CreditRefunded,
}

/// <summary>
/// One event, as written in the loan document with the change that raised it and copied from there to the outbox.
/// The id (loan id and number) is stable, so every copy of an event is the same event.
/// </summary>
/// <param name="Id">The loan's id and the event's number, as <c>{loanId}-0003</c>.</param>
/// <param name="Type">What happened.</param>
/// <param name="LoanId">The loan.</param>
/// <param name="CustomerId">Its borrower.</param>
/// <param name="On">The business date, in the lender's time zone.</param>
/// <param name="Amount">The money it concerns: principal paid out, the repayment, what was written off; otherwise what is owed.</param>
/// <param name="Reference">The payment reference, for a repayment.</param>
/// <param name="DaysPastDue">Days past due, for LoanOverdue and LoanWrittenOff.</param>
public sealed record LoanEventRecord(string Id, LoanEventType Type, string LoanId, string CustomerId, DateOnly On, decimal Amount,
    string? Reference = null, int? DaysPastDue = null);
