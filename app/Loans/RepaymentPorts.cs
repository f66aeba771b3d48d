using JisuDai.Lending.Loans;
using JisuDai.Lending.Schedules;
namespace JisuDai.App.Loans;

/// <summary>
/// When the repayment lifecycle's steps happen: a loan's business days mapped onto the clock. In production a day is a
/// day and reminders go out at <see cref="RemindAt"/> in the lender's time zone; tests shorten <see cref="DayLength"/> so a
/// month passes in seconds.
/// </summary>
/// <param name="AnchorDate">A business day (the disbursement day).</param>
/// <param name="AnchorUtc">The instant that day starts in the lender's time zone.</param>
/// <param name="DayLength">How long a business day lasts (one day, except in tests).</param>
/// <param name="RemindAt">The time of day reminders go out, as a share of <see cref="DayLength"/> (09:00 is 9/24 of it).</param>
public sealed record RepaymentCalendar(DateOnly AnchorDate, DateTime AnchorUtc, TimeSpan DayLength, TimeSpan RemindAt)
{
    /// <summary>The business day an instant falls on.</summary>
    public DateOnly DayOf(DateTime utc) => AnchorDate.AddDays((int)Math.Floor((utc - AnchorUtc) / DayLength));

    /// <summary>When reminders go out on <paramref name="day"/>.</summary>
    public DateTime ReminderTimeOf(DateOnly day) =>
        AnchorUtc + (day.DayNumber - AnchorDate.DayNumber) * DayLength + RemindAt / TimeSpan.FromDays(1) * DayLength;
}

/// <summary>The loan a repayment lifecycle follows, and which installment it is on.</summary>
/// <param name="CustomerId">The borrower.</param>
/// <param name="LoanId">The loan.</param>
/// <param name="ApplicationId">The application it came from (notices are addressed through it).</param>
/// <param name="Installment">The installment being followed, from 1.</param>
/// <param name="Calendar">When each day's steps happen.</param>
public sealed record RepaymentInput(string CustomerId, string LoanId, string ApplicationId, int Installment, RepaymentCalendar Calendar);

/// <summary>A step of following one installment.</summary>
public enum FollowUpStage
{
    /// <summary>A reminder a few days before the due date.</summary>
    Upcoming,
    /// <summary>A reminder on the due date.</summary>
    DueToday,
    /// <summary>A collection reminder, some days past due.</summary>
    Overdue,
    /// <summary>Handed to the collections queue.</summary>
    Collections,
}

/// <summary>A step to take on a day for an installment.</summary>
/// <param name="Loan">The loan and installment.</param>
/// <param name="Stage">The step.</param>
/// <param name="Day">The business day it is taken on.</param>
/// <param name="DaysPastDue">Days past the installment's due date (negative before it).</param>
public sealed record FollowUpStep(RepaymentInput Loan, FollowUpStage Stage, DateOnly Day, int DaysPastDue);

/// <summary>Where an installment stands on a day.</summary>
/// <param name="Number">The installment: the one asked for, or the next one the schedule has (a restructuring renumbers).</param>
/// <param name="Exists">False when the schedule has no installment from the one asked for on (a prepayment shortened it).</param>
/// <param name="DueDate">The installment's due date.</param>
/// <param name="Settled">True when nothing is owed on it.</param>
/// <param name="LoanClosed">True when the loan is paid off or written off: the lifecycle ends.</param>
/// <param name="Amount">What is owed on it.</param>
public sealed record InstallmentState(int Number, bool Exists, DateOnly DueDate, bool Settled, bool LoanClosed, decimal Amount);

/// <summary>How a repayment lifecycle ended.</summary>
/// <param name="Reason">closed (paid off or written off) or schedule-ended.</param>
/// <param name="LastInstallment">The installment it was on.</param>
public sealed record RepaymentOutcome(string Reason, int LastInstallment);

/// <summary>Reads installments and takes the follow-up steps: reminders and the hand-over to collections.</summary>
public interface IInstallmentFollowUp
{
    /// <summary>Where the installment stands at the end of <paramref name="day"/>.</summary>
    Task<InstallmentState> CheckAsync(RepaymentInput loan, DateOnly day, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the step unless the installment is settled by then, and returns where it stands. Each step is taken once
    /// per loan, installment and stage (a retry sends no second reminder).
    /// </summary>
    Task<InstallmentState> TakeAsync(FollowUpStep step, CancellationToken cancellationToken);
}

/// <summary>Starts a loan's repayment lifecycle.</summary>
public interface IRepaymentStarter
{
    /// <summary>Starts following loan <paramref name="loanId"/>; starting it again does nothing.</summary>
    Task StartAsync(string customerId, string loanId, string applicationId, CancellationToken cancellationToken);
}
