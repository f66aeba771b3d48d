using DurableTask.Core;
using DurableTask.Core.History;
using static JisuDai.Orchestrations.Tests.Repayment.RepaymentScript;
using JisuDai.App.Loans;
using JisuDai.App.Risk;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Schedules;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Orchestrations.Tests.Harness;

namespace JisuDai.Orchestrations.Tests.Repayment;

/// <summary>
/// Each branch of <see cref="RepaymentOrchestrator"/> that a borrower notices, run on DurableTask.Core's executor with
/// activities answering from a scripted loan, the wake-up event and a virtual clock: which reminders go out, when (in
/// UTC, from the calendar: 09:00 in Shanghai is 01:00 UTC), when the installment goes to collections, when the lifecycle
/// moves on to the next installment and how it ends.
/// </summary>
public sealed class RepaymentOrchestratorTests
{
    static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Reminders_go_out_three_days_before_and_on_the_due_date_at_nine_in_Shanghai()
    {
        HistoryRecorder run = ScriptedLoan.ThreeMonths().Recorder().Start(Input());

        Assert.Equal(["Check(1@2025-03-03)"], Steps(run.Calls));
        Assert.Equal(new InstallmentOnDay(Input(), Disbursed), run.Calls[0].Input<InstallmentOnDay>());
        Assert.True(run.IsRunning);

        run.AdvanceTo(Utc(3, 31) - Minute);
        Assert.Single(run.Calls);

        run.AdvanceTo(Utc(3, 31));
        Assert.Equal(["Check(1@2025-03-03)", "Upcoming(1@2025-03-31,-3)"], Steps(run.Calls));
        Assert.Equal(new FollowUpStep(Input(), FollowUpStage.Upcoming, Day(3, 31), -3), run.Calls[^1].Input<FollowUpStep>());
        Assert.Equal(Utc(3, 31), run.Calls[^1].At);
        Assert.Equal(Utc(4, 3), Assert.Single(run.PendingTimers).FireAt);

        run.AdvanceTo(Utc(4, 3) - Minute);
        Assert.Equal(2, run.Calls.Count);

        run.AdvanceTo(Utc(4, 3));
        Assert.Equal(["Check(1@2025-03-03)", "Upcoming(1@2025-03-31,-3)", "DueToday(1@2025-04-03,0)"], Steps(run.Calls));
        Assert.Equal(new FollowUpStep(Input(), FollowUpStage.DueToday, Due1, 0), run.Calls[^1].Input<FollowUpStep>());
        Assert.Equal(Utc(4, 3), run.Calls[^1].At);

        // Unpaid: the first collection reminder is next, the day after, at the same time of day.
        Assert.Equal(Utc(4, 4), Assert.Single(run.PendingTimers).FireAt);
        Assert.True(run.IsRunning);
        Assert.Empty(run.EarlierGenerations);
    }

    [Fact]
    public void Installment_paid_before_its_due_date_continues_as_new_on_the_next_installment()
    {
        ScriptedLoan loan = ScriptedLoan.ThreeMonths();
        HistoryRecorder run = loan.Recorder().Start(Input()).AdvanceTo(Utc(3, 31));

        // Paid at 00:30 on 2 April in Shanghai (still 1 April in UTC).
        loan.Pay(1);
        run.AdvanceTo(Utc(4, 1, 16, 30)).RaiseEvent(RepaymentOrchestrator.LoanChangedEvent, true);

        Assert.Equal(["Check(1@2025-03-03)", "Upcoming(1@2025-03-31,-3)", "Check(1@2025-04-02)", "Check(2@2025-04-02)"], Steps(run.Calls));
        Assert.Equal(new InstallmentOnDay(Input(2), Day(4, 2)), run.Calls[^1].Input<InstallmentOnDay>());

        IReadOnlyList<HistoryEvent> first = Assert.Single(run.EarlierGenerations);
        Assert.Equal(OrchestrationStatus.ContinuedAsNew, first.OfType<ExecutionCompletedEvent>().Single().OrchestrationStatus);
        Assert.Equal(Input(2), Generation(run));
        Assert.True(run.IsRunning);

        // No due-date reminder for the paid installment; the next one's first reminder is three days before its due date.
        run.AdvanceTo(Utc(4, 30) - Minute);
        Assert.Equal(4, run.Calls.Count);
        run.AdvanceTo(Utc(4, 30));
        Assert.Equal("Upcoming(2@2025-04-30,-3)", Step(run.Calls[^1]));
        Assert.Equal(new FollowUpStep(Input(2), FollowUpStage.Upcoming, Day(4, 30), -3), run.Calls[^1].Input<FollowUpStep>());
        Assert.Equal(Utc(4, 30), run.Calls[^1].At);
    }

    [Fact]
    public void Payment_that_leaves_the_installment_owing_does_not_move_or_repeat_the_due_date_reminder()
    {
        ScriptedLoan loan = ScriptedLoan.ThreeMonths();
        HistoryRecorder run = loan.Recorder().Start(Input())
            .AdvanceTo(Utc(4, 2, 3))
            .RaiseEvent(RepaymentOrchestrator.LoanChangedEvent, true);

        Assert.Equal(["Check(1@2025-03-03)", "Upcoming(1@2025-03-31,-3)", "Check(1@2025-04-02)"], Steps(run.Calls));
        Assert.NotEmpty(run.PendingTimers);
        Assert.All(run.PendingTimers, t => Assert.Equal(Utc(4, 3), t.FireAt));

        run.AdvanceTo(Utc(4, 3, 12));

        Assert.Equal(["Check(1@2025-03-03)", "Upcoming(1@2025-03-31,-3)", "Check(1@2025-04-02)", "DueToday(1@2025-04-03,0)"], Steps(run.Calls));
        Assert.Equal(Utc(4, 3), run.Calls[^1].At);
        Assert.Empty(run.EarlierGenerations);
    }

    [Fact]
    public void Unpaid_installment_gets_collection_reminders_on_days_1_3_7_15_and_goes_to_collections_on_day_16()
    {
        HistoryRecorder run = ScriptedLoan.ThreeMonths().Recorder().Start(Input()).AdvanceTo(Utc(4, 19) - Minute);

        Assert.Equal(6, FollowUps(run.Calls).Count);
        Assert.Empty(run.EarlierGenerations);

        run.AdvanceTo(Utc(4, 19));

        Assert.Equal(
            [
                (FollowUpStage.Upcoming, Day(3, 31), -3, Utc(3, 31)),
                (FollowUpStage.DueToday, Day(4, 3), 0, Utc(4, 3)),
                (FollowUpStage.Overdue, Day(4, 4), 1, Utc(4, 4)),
                (FollowUpStage.Overdue, Day(4, 6), 3, Utc(4, 6)),
                (FollowUpStage.Overdue, Day(4, 10), 7, Utc(4, 10)),
                (FollowUpStage.Overdue, Day(4, 18), 15, Utc(4, 18)),
                (FollowUpStage.Collections, Day(4, 19), 16, Utc(4, 19)),
            ],
            FollowUps(run.Calls).Select(c =>
            {
                FollowUpStep step = c.Input<FollowUpStep>();
                return (step.Stage, step.Day, step.DaysPastDue, c.At);
            }));
        Assert.All(FollowUps(run.Calls), c => Assert.Equal(Input(), c.Input<FollowUpStep>().Loan));

        // Handed over, the lifecycle follows the next installment; collections chase the overdue one.
        Assert.Single(run.EarlierGenerations);
        Assert.Equal(Input(2), Generation(run));
        Assert.Equal("Check(2@2025-04-19)", Step(run.Calls[^1]));
        Assert.True(run.IsRunning);

        run.AdvanceTo(Utc(4, 30));
        Assert.Equal("Upcoming(2@2025-04-30,-3)", Step(run.Calls[^1]));
    }

    [Fact]
    public void Paying_an_overdue_installment_stops_its_collection_reminders()
    {
        ScriptedLoan loan = ScriptedLoan.ThreeMonths();
        HistoryRecorder run = loan.Recorder().Start(Input()).AdvanceTo(Utc(4, 6));
        Assert.Equal("Overdue(1@2025-04-06,3)", Step(run.Calls[^1]));

        loan.Pay(1);
        run.AdvanceTo(Utc(4, 8, 6)).RaiseEvent(RepaymentOrchestrator.LoanChangedEvent, true);

        Assert.Equal(["Check(1@2025-04-08)", "Check(2@2025-04-08)"], Steps(run.Calls.Skip(5)));
        Assert.Equal(Input(2), Generation(run));

        run.AdvanceTo(Utc(4, 30));
        Assert.Equal(["Check(1@2025-04-08)", "Check(2@2025-04-08)", "Upcoming(2@2025-04-30,-3)"], Steps(run.Calls.Skip(5)));
    }

    [Fact]
    public void Payment_whose_wake_up_was_lost_is_seen_at_the_next_step()
    {
        ScriptedLoan loan = ScriptedLoan.ThreeMonths();
        HistoryRecorder run = loan.Recorder().Start(Input()).AdvanceTo(Utc(4, 2));

        loan.Pay(1); // recorded, but the LoanChanged event never arrives
        run.AdvanceTo(Utc(4, 3));

        // The due-date step finds it settled (the activity sends nothing then) and the lifecycle moves on at once.
        Assert.Equal(["Check(1@2025-03-03)", "Upcoming(1@2025-03-31,-3)", "DueToday(1@2025-04-03,0)", "Check(2@2025-04-03)"], Steps(run.Calls));
        Assert.Equal(Input(2), Generation(run));
        Assert.Single(run.EarlierGenerations);

        run.AdvanceTo(Utc(4, 30));
        Assert.Equal(["Upcoming(2@2025-04-30,-3)"], Steps(run.Calls.Skip(4)));
    }

    [Fact]
    public void Loan_paid_off_early_ends_the_lifecycle_as_closed()
    {
        ScriptedLoan loan = ScriptedLoan.ThreeMonths();
        HistoryRecorder run = loan.Recorder().Start(Input()).AdvanceTo(Utc(4, 1));
        loan.Pay(1);
        run.RaiseEvent(RepaymentOrchestrator.LoanChangedEvent, true);
        Assert.Equal(Input(2), Generation(run));

        loan.Pay(2, 3).Close();
        run.AdvanceTo(Utc(4, 20, 8)).RaiseEvent(RepaymentOrchestrator.LoanChangedEvent, true);

        Assert.Equal(["Check(1@2025-03-03)", "Upcoming(1@2025-03-31,-3)", "Check(1@2025-04-01)", "Check(2@2025-04-01)", "Check(2@2025-04-20)"], Steps(run.Calls));
        Assert.False(run.IsRunning);
        Assert.Equal(OrchestrationStatus.Completed, run.Completed!.OrchestrationStatus);
        Assert.Equal(new RepaymentOutcome("closed", 2), run.Output<RepaymentOutcome>());
        Assert.Single(run.EarlierGenerations);
    }

    [Fact]
    public void Loan_written_off_in_collections_ends_the_lifecycle_as_closed()
    {
        ScriptedLoan loan = ScriptedLoan.ThreeMonths();
        HistoryRecorder run = loan.Recorder().Start(Input()).AdvanceTo(Utc(4, 10));
        Assert.Equal("Overdue(1@2025-04-10,7)", Step(run.Calls[^1]));

        loan.Close();
        run.AdvanceTo(Utc(4, 12, 2)).RaiseEvent(RepaymentOrchestrator.LoanChangedEvent, true);

        Assert.Equal("Check(1@2025-04-12)", Step(run.Calls[^1]));
        Assert.Equal(5, FollowUps(run.Calls).Count);
        Assert.Equal(new RepaymentOutcome("closed", 1), run.Output<RepaymentOutcome>());
        Assert.Empty(run.EarlierGenerations);
    }

    [Fact]
    public void Loan_closed_without_a_wake_up_ends_at_the_next_step()
    {
        ScriptedLoan loan = ScriptedLoan.ThreeMonths();
        HistoryRecorder run = loan.Recorder().Start(Input()).AdvanceTo(Utc(4, 3, 5));

        loan.Close();
        run.AdvanceTo(Utc(4, 4));

        Assert.Equal("Overdue(1@2025-04-04,1)", Step(run.Calls[^1]));
        Assert.Equal(new RepaymentOutcome("closed", 1), run.Output<RepaymentOutcome>());
        Assert.Empty(run.EarlierGenerations);
    }

    [Fact]
    public void Lifecycle_of_a_loan_already_closed_ends_at_once()
    {
        HistoryRecorder run = ScriptedLoan.ThreeMonths().Close().Recorder().Start(Input());

        Assert.Equal(["Check(1@2025-03-03)"], Steps(run.Calls));
        Assert.Empty(run.PendingTimers);
        Assert.Equal(new RepaymentOutcome("closed", 1), run.Output<RepaymentOutcome>());
    }

    [Fact]
    public void Prepayment_that_shortens_the_schedule_ends_it_after_the_new_last_installment()
    {
        ScriptedLoan loan = ScriptedLoan.ThreeMonths().Pay(1);
        HistoryRecorder run = loan.Recorder(Utc(4, 20)).Start(Input(2));

        // A prepayment pays installment 2 and leaves the loan ending there.
        loan.Reschedule((1, Due1), (2, Due2)).Pay(2);
        run.AdvanceTo(Utc(4, 25)).RaiseEvent(RepaymentOrchestrator.LoanChangedEvent, true);

        Assert.Equal(["Check(2@2025-04-20)", "Check(2@2025-04-25)", "Check(3@2025-04-25)"], Steps(run.Calls));
        Assert.Single(run.EarlierGenerations);
        Assert.Equal(new RepaymentOutcome("schedule-ended", 3), run.Output<RepaymentOutcome>());
    }

    [Fact]
    public void Restructured_schedule_numbers_the_installments_on()
    {
        // Installments 2 and 3 were replaced by 4 (due 20 May) and 5 (due 20 June).
        ScriptedLoan loan = ScriptedLoan.ThreeMonths().Pay(1).Reschedule((1, Due1), (4, Day(5, 20)), (5, Day(6, 20)));
        HistoryRecorder run = loan.Recorder(Utc(4, 19, 2)).Start(Input(2)).AdvanceTo(Utc(5, 17));

        Assert.Equal(["Check(2@2025-04-19)", "Upcoming(4@2025-05-17,-3)"], Steps(run.Calls));
        Assert.Equal(new FollowUpStep(Input(4), FollowUpStage.Upcoming, Day(5, 17), -3), run.Calls[^1].Input<FollowUpStep>());
        Assert.Equal(Utc(5, 17), run.Calls[^1].At);

        loan.Pay(4);
        run.AdvanceTo(Utc(5, 18, 3)).RaiseEvent(RepaymentOrchestrator.LoanChangedEvent, true);

        Assert.Equal(["Check(2@2025-04-19)", "Upcoming(4@2025-05-17,-3)", "Check(4@2025-05-18)", "Check(5@2025-05-18)"], Steps(run.Calls));
        Assert.Equal(Input(5), Generation(run));
    }

    [Fact]
    public void Lifecycle_reaching_an_installment_late_skips_the_reminders_whose_day_has_passed()
    {
        // 11:00 in Shanghai on 4 April, the day after the due date: today's 09:00 reminder is late and goes out now.
        DateTime start = Utc(4, 4, 3);
        HistoryRecorder run = ScriptedLoan.ThreeMonths().Recorder(start).Start(Input());

        Assert.Equal(["Check(1@2025-04-04)", "Overdue(1@2025-04-04,1)"], Steps(run.Calls));
        Assert.Equal(start, run.Calls[^1].At);
        Assert.Equal(Utc(4, 6), Assert.Single(run.PendingTimers).FireAt);

        run.AdvanceTo(Utc(4, 6));
        Assert.Equal(["Check(1@2025-04-04)", "Overdue(1@2025-04-04,1)", "Overdue(1@2025-04-06,3)"], Steps(run.Calls));
    }

    [Fact]
    public void Hand_over_to_collections_is_never_skipped()
    {
        DateTime start = Utc(4, 25, 2);
        HistoryRecorder run = ScriptedLoan.ThreeMonths().Recorder(start).Start(Input());

        Assert.Equal(["Check(1@2025-04-25)", "Collections(1@2025-04-19,16)", "Check(2@2025-04-25)"], Steps(run.Calls));
        Assert.Equal(new FollowUpStep(Input(), FollowUpStage.Collections, Day(4, 19), 16), run.Calls[1].Input<FollowUpStep>());
        Assert.Equal(start, run.Calls[1].At);
        Assert.Equal(Input(2), Generation(run));
    }

    [Fact]
    public void Wake_up_arriving_while_a_payment_is_checked_is_carried_to_the_next_installments()
    {
        // Two payments in quick succession: the second one's wake-up arrives while the first one is being checked.
        ScriptedLoan loan = ScriptedLoan.ThreeMonths();
        HistoryRecorder run = loan.Recorder().Start(Input()).AdvanceTo(Utc(3, 20));
        loan.Pay(1, 2);
        run.RaiseDuringNextActivities(RepaymentOrchestrator.LoanChangedEvent, true)
            .RaiseEvent(RepaymentOrchestrator.LoanChangedEvent, true);

        // Installment 2 is settled already; on installment 3 the carried wake-up makes it look once more, then wait.
        Assert.Equal(["Check(1@2025-03-03)", "Check(1@2025-03-20)", "Check(2@2025-03-20)", "Check(3@2025-03-20)", "Check(3@2025-03-20)"], Steps(run.Calls));
        Assert.Equal(2, run.EarlierGenerations.Count);
        Assert.Equal(Input(3), Generation(run));
        Assert.True(run.IsRunning);

        run.AdvanceTo(Utc(5, 31));
        Assert.Equal("Upcoming(3@2025-05-31,-3)", Step(run.Calls[^1]));
        Assert.Equal(Utc(5, 31), run.Calls[^1].At);
    }

    [Fact]
    public void Failed_reminder_is_retried_and_sent_once()
    {
        ScriptedLoan loan = ScriptedLoan.ThreeMonths();
        int attempts = 0;
        HistoryRecorder run = loan.Recorder().OnActivity<FollowUpStep, InstallmentState>(nameof(FollowUpInstallmentActivity), s =>
            ++attempts == 1 ? throw new ActivityFailure("SMS gateway unavailable") : loan.StateOf(s.Loan.Installment, s.Day));

        run.Start(Input()).AdvanceTo(Utc(3, 31));
        Assert.Equal(1, attempts);

        run.AdvanceTo(Utc(3, 31) + TimeSpan.FromSeconds(1));

        Assert.Equal(2, attempts);
        Assert.Equal(["Check(1@2025-03-03)", "Upcoming(1@2025-03-31,-3)", "Upcoming(1@2025-03-31,-3)"], Steps(run.Calls));
        Assert.Equal(Utc(3, 31) + TimeSpan.FromSeconds(1), run.Calls[^1].At);
        Assert.True(run.IsRunning);
        Assert.Equal(Utc(4, 3), Assert.Single(run.PendingTimers).FireAt);
    }

    /// <summary>The current generation's input.</summary>
    static RepaymentInput? Generation(HistoryRecorder run) =>
        run.Replay.Converter.Deserialize<RepaymentInput>(run.History.OfType<ExecutionStartedEvent>().Single().Input);
}
