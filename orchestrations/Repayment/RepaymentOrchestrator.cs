using JisuDai.App.Loans;
using JisuDai.Lending.Schedules;
using Microsoft.DurableTask;

namespace JisuDai.Orchestrations.Repayment;

/// <summary>
/// The repayment lifecycle of one loan, from disbursement to payoff or write-off, one installment per generation:
/// a reminder 3 days before the due date and one on it; then, while the installment stays unpaid, collection reminders
/// on days 1, 3, 7 and 15 past due and the hand-over to the collections queue on day 16. A payment wakes it (the
/// <see cref="LoanChangedEvent"/>); once the installment is settled it continues as new on the next one, so a 36-installment
/// loan keeps a history of one installment's steps. It ends when the loan is paid off or written off.
/// Money is not moved here: repayments are recorded by the HTTP API and penalties by the overdue sweep; this follows up.
/// </summary>
public sealed class RepaymentOrchestrator : TaskOrchestrator<RepaymentInput, RepaymentOutcome?>
{
    /// <summary>Raised when a payment, prepayment or write-off is recorded on the loan.</summary>
    public const string LoanChangedEvent = "LoanChanged";

    /// <summary>The steps for an installment, by days from its due date.</summary>
    public static IReadOnlyList<(int Days, FollowUpStage Stage)> Steps { get; } =
    [
        (-3, FollowUpStage.Upcoming), (0, FollowUpStage.DueToday),
        (1, FollowUpStage.Overdue), (3, FollowUpStage.Overdue), (7, FollowUpStage.Overdue), (15, FollowUpStage.Overdue),
        (16, FollowUpStage.Collections),
    ];

    /// <summary>The instance id of a loan's repayment lifecycle.</summary>
    public static string InstanceIdOf(string loanId) => $"repayment-{loanId}";

    static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30)));

    /// <inheritdoc />
    public override async Task<RepaymentOutcome?> RunAsync(TaskOrchestrationContext context, RepaymentInput input)
    {
        RepaymentCalendar calendar = input.Calendar;
        InstallmentState state = await Check(context, input);
        if (state.LoanClosed || !state.Exists)
        {
            return new RepaymentOutcome(state.LoanClosed ? "closed" : "schedule-ended", input.Installment);
        }

        input = input with { Installment = state.Number }; // a restructuring numbered the installments on

        if (!state.Settled)
        {
            foreach ((int days, FollowUpStage stage) in Steps)
            {
                DateOnly day = state.DueDate.AddDays(days);
                if (day < calendar.DayOf(context.CurrentUtcDateTime) && stage != FollowUpStage.Collections)
                {
                    // A reminder whose day has passed (the lifecycle reached this installment late) is not sent late;
                    // the hand-over to collections is never skipped.
                    continue;
                }

                // Wait for the step's time; a payment before it may settle the installment and make the step moot.
                while (await WaitForPayment(context, calendar.ReminderTimeOf(day)))
                {
                    state = await Check(context, input);
                    if (state.LoanClosed || state.Settled)
                    {
                        break;
                    }
                }

                if (!state.LoanClosed && !state.Settled)
                {
                    state = await context.CallActivityAsync<InstallmentState>(nameof(FollowUpInstallmentActivity), new FollowUpStep(input, stage, day, days), Retry);
                }

                if (state.LoanClosed || state.Settled)
                {
                    break;
                }
            }
        }

        if (state.LoanClosed)
        {
            return new RepaymentOutcome("closed", input.Installment);
        }

        // Settled, or handed to collections: follow the next installment in a fresh generation. Payments that arrived
        // meanwhile stay queued for it.
        context.ContinueAsNew(input with { Installment = input.Installment + 1 }, preserveUnprocessedEvents: true);
        return null;
    }

    static Task<InstallmentState> Check(TaskOrchestrationContext context, RepaymentInput input) =>
        context.CallActivityAsync<InstallmentState>(nameof(CheckInstallmentActivity),
            new InstallmentOnDay(input, input.Calendar.DayOf(context.CurrentUtcDateTime)), Retry);

    /// <summary>True when a payment was recorded before <paramref name="until"/>; false when the time came first.</summary>
    static async Task<bool> WaitForPayment(TaskOrchestrationContext context, DateTime until)
    {
        if (until <= context.CurrentUtcDateTime)
        {
            return false;
        }

        using var cancelTimer = new CancellationTokenSource();
        Task<bool> payment = context.WaitForExternalEvent<bool>(LoanChangedEvent);
        Task timer = context.CreateTimer(until, cancelTimer.Token);
        if (await Task.WhenAny(payment, timer) == payment)
        {
            cancelTimer.Cancel();
            return true;
        }

        return false;
    }
}
