using DurableTask.Core.Command;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using static JisuDai.Orchestrations.Tests.Approval.ApprovalScript;
using JisuDai.App.Applications;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Ledger;
using JisuDai.Orchestrations.Approval;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Orchestrations.Tests.Harness;
using JisuDai.Tests;

namespace JisuDai.Orchestrations.Tests.Approval;

/// <summary>
/// The versioning guard: Histories/LoanApproval-v1-offered.json is the history of an approval recorded with the
/// first version of <see cref="LoanApprovalOrchestrator"/>, stopped where instances wait longest (offered, the lapse
/// timer set, waiting for the borrower). Instances like it are in flight when a new version is deployed, and the new
/// code must replay their histories exactly. If one of these tests fails after a change to the orchestrator, the
/// change would break in-flight approvals: make it replay-safe (or version the orchestrator); do not regenerate
/// the fixture.
/// </summary>
public sealed class StoredHistoryReplayTests
{
    static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    static List<HistoryEvent> StoredV1Offered() => HistoryJson.Read(OfferedV1Path);

    [Fact]
    public void Stored_v1_offered_history_still_replays_and_takes_the_borrowers_acceptance()
    {
        var replay = new OrchestrationReplay(new LoanApprovalOrchestrator(), Name);
        List<HistoryEvent> stored = StoredV1Offered();
        DateTime answeredAt = stored[^1].Timestamp + 6 * Hour;

        // Replayed with nothing new, the current code takes exactly the recorded steps and wants nothing more.
        ReplayResult idle = replay.Run(stored, [new OrchestratorStartedEvent(-1) { Timestamp = answeredAt }]).EnsureReplayedCleanly();
        Assert.True(idle.IsWaiting);
        Assert.Empty(idle.Actions);

        // The borrower accepts: the acceptance is recorded first.
        stored = StoredV1Offered();
        List<HistoryEvent> accepting =
        [
            new OrchestratorStartedEvent(-1) { Timestamp = answeredAt },
            new EventRaisedEvent(-1, replay.Converter.Serialize(new BorrowerAnswer(Accept: true))) { Name = LoanApprovalOrchestrator.BorrowerEvent, Timestamp = answeredAt },
        ];
        ReplayResult accepted = replay.Run(stored, accepting).EnsureReplayedCleanly();
        Assert.False(accepted.IsNonDeterministic);
        var record = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(accepted.Actions));
        Assert.Equal(nameof(RecordApplicationStepActivity), record.Name);
        ApplicationStepRecord step = accepted.InputOf<ApplicationStepRecord>(record)!;
        Assert.Equal(new ApplicationStep("accepted", ApplicationStatus.Accepted, answeredAt, "Offer accepted."), step.Step);
        Assert.Equal((AppId, CustomerId), (step.ApplicationId, step.CustomerId));

        // Once that step is recorded, the payout is next.
        List<HistoryEvent> past =
        [
            .. StoredV1Offered(),
            .. accepting,
            new TaskScheduledEvent(record.Id, record.Name!, record.Version, record.Input) { Timestamp = answeredAt },
            new OrchestratorCompletedEvent(-1) { Timestamp = answeredAt },
        ];
        ReplayResult paying = replay.Run(past,
        [
            new OrchestratorStartedEvent(-1) { Timestamp = answeredAt },
            new TaskCompletedEvent(-1, record.Id, replay.Converter.Serialize(ApplicationStatus.Accepted)) { Timestamp = answeredAt },
        ]).EnsureReplayedCleanly();
        var disburse = Assert.Single(paying.ScheduledTasks);
        Assert.Equal(nameof(DisburseLoanActivity), disburse.Name);
        Assert.Equal(new ApplicationRef(CustomerId, AppId), paying.InputOf<ApplicationRef>(disburse));
        Assert.Empty(paying.Timers);
        Assert.Null(paying.Completion);
    }

    [Fact]
    public void Stored_v1_offered_history_still_replays_through_to_disbursement()
    {
        HistoryRecorder run = HistoryRecorder.Resume(new LoanApprovalOrchestrator(), Name, StoredV1Offered())
            .OnActivity<ApplicationStepRecord, ApplicationStatus>(nameof(RecordApplicationStepActivity), r => r.Step.Status)
            .OnActivity<ApplicationRef, PayoutReceipt>(nameof(DisburseLoanActivity), _ => Payout)
            .OnActivity<BookLoanRequest, string>(nameof(BookLoanActivity), _ => LoanId)
            .OnActivity<ApplicantNotice, bool>(nameof(NotifyApplicantActivity), _ => true)
            .OnActivity<StartRepaymentRequest, bool>(nameof(StartRepaymentActivity), _ => true);

        // Every episode from here replays the stored part first; the recorder throws on any non-determinism.
        run.AdvanceBy(6 * Hour).RaiseEvent(LoanApprovalOrchestrator.BorrowerEvent, new BorrowerAnswer(Accept: true));

        Assert.Equal(["Record(accepted)", "Disburse", "Book", "Record(disbursed)", "Notify(LoanDisbursed)", "StartRepayment"], Steps(run.Calls));
        Assert.All(run.Runs, r => Assert.False(r.IsFailed, r.ToString()));
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }

    [Fact]
    public void Stored_v1_offered_history_is_an_offered_approval_waiting_for_the_borrower()
    {
        List<HistoryEvent> stored = StoredV1Offered();

        ExecutionStartedEvent started = Assert.IsType<ExecutionStartedEvent>(stored.Single(e => e is ExecutionStartedEvent));
        Assert.Equal("LoanApprovalOrchestrator", started.Name);
        Assert.Equal(
            [nameof(DecideApplicationActivity), nameof(RecordApplicationStepActivity), nameof(NotifyApplicantActivity)],
            stored.OfType<TaskScheduledEvent>().Select(e => e.Name));
        Assert.Equal(3, stored.OfType<TaskCompletedEvent>().Count());
        TimerCreatedEvent lapse = Assert.Single(stored.OfType<TimerCreatedEvent>());
        Assert.Equal(started.Timestamp + Timeouts.OfferExpiresAfter, lapse.FireAt);
        Assert.Empty(stored.OfType<TimerFiredEvent>());
        Assert.Empty(stored.OfType<EventRaisedEvent>());
        Assert.Empty(stored.OfType<ExecutionCompletedEvent>());
        Assert.IsType<OrchestratorCompletedEvent>(stored[^1]);
    }

    [Fact]
    public void Stored_history_json_round_trips_exactly()
    {
        string text = File.ReadAllText(OfferedV1Path);

        Assert.Equal(text, HistoryJson.Serialize(HistoryJson.Deserialize(text)));
    }

    [Fact]
    public void Changed_orchestrator_code_is_reported_as_non_deterministic_against_the_stored_history()
    {
        // The same steps, but the offer is announced before it is recorded: the v1 instances would break.
        ReplayResult result = OrchestrationReplay.Run(new NotifiesBeforeRecording(), Name, StoredV1Offered(),
            [new OrchestratorStartedEvent(-1) { Timestamp = Start + Hour }]);

        Assert.True(result.IsNonDeterministic, result.ToString());
        Assert.True(result.IsFailed);
        Assert.Contains(nameof(RecordApplicationStepActivity), result.Failure!.ErrorMessage, StringComparison.Ordinal);
        Assert.Throws<ReplayFailedException>(() => result.EnsureReplayedCleanly());
    }

    /// <summary>Writes the fixture (see <see cref="WritesHistoryFactAttribute"/>); the committed file is what the tests above replay.</summary>
    [WritesHistoryFact]
    [Trait("Category", "WritesHistory")]
    public void Write_v1_offered_history()
    {
        HistoryRecorder run = Recorder(Approve).Start(Input);
        Assert.True(run.IsRunning);
        Assert.Equal(["Decide", "Record(offered)", "Notify(OfferMade)"], Steps(run.Calls));

        HistoryJson.Write(Repository.Path("tests", "JisuDai.Orchestrations.Tests", "Histories", OfferedV1File), run.History);
    }

    /// <summary>A deliberately incompatible change to the approval: the offer notice goes out before the offer is recorded.</summary>
    sealed class NotifiesBeforeRecording : TaskOrchestrator<ApprovalInput, ApprovalResult>
    {
        public override async Task<ApprovalResult> RunAsync(TaskOrchestrationContext context, ApprovalInput input)
        {
            await context.CallActivityAsync<ApprovalDecision>(nameof(DecideApplicationActivity), new ApplicationRef(input.CustomerId, input.ApplicationId));
            await context.CallActivityAsync<bool>(nameof(NotifyApplicantActivity),
                new ApplicantNotice(input.ApplicationId, input.CustomerId, "OfferMade", new Dictionary<string, string>()));
            await context.CallActivityAsync<ApplicationStatus>(nameof(RecordApplicationStepActivity),
                new ApplicationStepRecord(input.ApplicationId, input.CustomerId, new ApplicationStep("offered", ApplicationStatus.Offered, context.CurrentUtcDateTime, "Offer made.")));
            return new ApprovalResult(ApplicationStatus.Offered, null);
        }
    }
}
