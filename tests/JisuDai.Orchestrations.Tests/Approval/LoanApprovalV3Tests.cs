using static JisuDai.Orchestrations.Tests.Approval.ApprovalScript;
using JisuDai.App.Applications;
using JisuDai.App.Payments;
using JisuDai.App.Staff;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;
using JisuDai.Orchestrations.Approval;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Orchestrations.Tests.Harness;

namespace JisuDai.Orchestrations.Tests.Approval;

/// <summary>
/// The money path of <see cref="LoanApprovalOrchestratorV3"/> on DurableTask.Core's executor: the loan is booked
/// before the payout is asked for, the transfer is followed on durable timers for as long as it takes, and the pending
/// loan is disbursed on confirmation or cancelled on refusal; everything before acceptance is version 2's.
/// </summary>
public sealed class LoanApprovalV3Tests
{
    static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    internal const string TransferId = "poapp7f3c";

    internal static PayoutStatus Transfer(ProviderState state, string? reason = null) =>
        new(TransferId, "1330000000001", state, 19_600m, "2233", HistoryRecorder.DefaultStart.AddHours(2), reason);

    /// <summary>A version 3 recorder whose provider reports the transfer as <paramref name="checks"/> say, one answer per question.</summary>
    internal static HistoryRecorder RecorderV3(PayoutStatus requested, params PayoutStatus?[] checks) =>
        Recorder(new LoanApprovalOrchestratorV3(), nameof(LoanApprovalOrchestratorV3), requested, checks);

    /// <summary>A recorder of <paramref name="orchestrator"/> (version 3 or a later one sharing its money path) scripted as <see cref="RecorderV3"/>.</summary>
    internal static HistoryRecorder Recorder(Microsoft.DurableTask.ITaskOrchestrator orchestrator, string name, PayoutStatus requested, params PayoutStatus?[] checks)
    {
        var answers = new Queue<PayoutStatus?>(checks);
        return new HistoryRecorder(orchestrator, name, Start, instanceId: AppId)
            .OnActivity<ApplicationRef, ApprovalDecision>(nameof(DecideApplicationActivity), _ => ApproveV2)
            .OnActivity<ApplicationStepRecord, ApplicationStatus>(nameof(RecordApplicationStepActivity), r => r.Step.Status)
            .OnActivity<RepriceRequest, PricedOffer>(nameof(RepriceOfferActivity), r => DecisionOffer with { ValueDate = r.ValueDate })
            .OnActivity<BookPendingLoanRequest, string>(nameof(BookPendingLoanActivity), _ => LoanId)
            .OnActivity<ApplicationRef, PayoutStatus>(nameof(RequestPayoutActivity), _ => requested)
            .OnActivity<string, PayoutStatus?>(nameof(CheckPayoutActivity), _ => answers.Dequeue())
            .OnActivity<BookLoanRequest, string>(nameof(DisbursePendingLoanActivity), _ => LoanId)
            .OnActivity<ApplicationRef, bool>(nameof(CancelPendingLoanActivity), _ => true)
            .OnActivity<ApplicantNotice, bool>(nameof(NotifyApplicantActivity), _ => true)
            .OnActivity<StartRepaymentRequest, bool>(nameof(StartRepaymentActivity), _ => true)
            .OnActivity<StaffAlert, bool>(nameof(AlertStaffActivity), _ => true);
    }

    internal static string StepV3(ActivityCall call) => call.Name switch
    {
        nameof(RepriceOfferActivity) => "Reprice",
        nameof(BookPendingLoanActivity) => "BookPending",
        nameof(RequestPayoutActivity) => "RequestPayout",
        nameof(CheckPayoutActivity) => "CheckPayout",
        nameof(DisbursePendingLoanActivity) => "DisbursePending",
        nameof(CancelPendingLoanActivity) => "CancelPending",
        nameof(AlertStaffActivity) => "Alert",
        _ => Step(call),
    };

    internal static HistoryRecorder Accepted(HistoryRecorder run) =>
        run.Start(Input).AdvanceBy(Hour).RaiseEvent(LoanApprovalOrchestratorV2.BorrowerEvent, new BorrowerAnswer(Accept: true));

    [Fact]
    public void The_loan_is_booked_before_the_payout_is_asked_for_and_disbursed_only_when_the_provider_confirms_the_transfer()
    {
        HistoryRecorder run = Accepted(RecorderV3(Transfer(ProviderState.Pending), Transfer(ProviderState.Pending), Transfer(ProviderState.Succeeded)));
        Assert.Equal(["Decide", "Record(offered)", "Notify(OfferMade)", "Record(accepted)", "Reprice", "BookPending", "RequestPayout"], run.Calls.Select(StepV3));
        Assert.True(run.IsRunning);

        run.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Equal("CheckPayout", StepV3(run.Calls[^1]));
        run.AdvanceBy(TimeSpan.FromSeconds(2));

        Assert.Equal(["BookPending", "RequestPayout", "CheckPayout", "CheckPayout", "DisbursePending", "Record(disbursed)", "Notify(LoanDisbursed)", "StartRepayment"],
            run.Calls.Select(StepV3).SkipWhile(s => s != "BookPending"));
        BookLoanRequest disbursed = run.Calls.Single(c => c.Name == nameof(DisbursePendingLoanActivity)).Input<BookLoanRequest>();
        Assert.Equal(new PayoutReceipt(TransferId, 19_600m, "2233", Transfer(ProviderState.Succeeded).UpdatedAt), disbursed.Payout);
        Assert.Contains("Paid out 19600.00 yuan", Records(run.Calls)[^1].Step.Detail);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }

    [Fact]
    public void A_transfer_in_progress_for_days_is_followed_with_waits_that_double_to_half_an_hour_and_nothing_gives_up()
    {
        PayoutStatus?[] checks = [.. Enumerable.Repeat<PayoutStatus?>(Transfer(ProviderState.Pending), 150), Transfer(ProviderState.Succeeded)];
        HistoryRecorder run = Accepted(RecorderV3(Transfer(ProviderState.Pending), checks)).AdvanceBy(72 * Hour);

        List<ActivityCall> asked = run.Calls.Where(c => c.Name == nameof(CheckPayoutActivity)).ToList();
        Assert.Equal(151, asked.Count);
        List<TimeSpan> waits = asked.Zip(asked.Skip(1), (a, b) => b.At - a.At).ToList();
        Assert.Equal(TimeSpan.FromSeconds(2), waits[0]);
        Assert.All(waits, w => Assert.True(w <= LoanApprovalOrchestratorV3.LongestPayoutCheck));
        Assert.Equal(LoanApprovalOrchestratorV3.LongestPayoutCheck, waits[^1]);
        Assert.DoesNotContain(run.Calls, c => c.Name == nameof(AlertStaffActivity));
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }

    [Fact]
    public void A_payout_the_provider_refuses_cancels_the_pending_loan_alerts_staff_and_ends_the_application_cancelled_with_nothing_paid()
    {
        HistoryRecorder run = Accepted(RecorderV3(Transfer(ProviderState.Pending), Transfer(ProviderState.Failed, "ACCOUNT_FROZEN"))).AdvanceBy(Hour);

        Assert.Equal(["BookPending", "RequestPayout", "CheckPayout", "CancelPending", "Alert", "Record(payout-failed)"], run.Calls.Select(StepV3).SkipWhile(s => s != "BookPending"));
        StaffAlert alert = run.Calls.Single(c => c.Name == nameof(AlertStaffActivity)).Input<StaffAlert>();
        Assert.Equal(($"payout-failed-{AppId}", "payout-failed"), (alert.Id, alert.Kind));
        Assert.Contains("ACCOUNT_FROZEN", alert.Detail);
        ApplicationStepRecord failed = Records(run.Calls)[^1];
        Assert.Equal(ApplicationStatus.Cancelled, failed.Step.Status);
        Assert.DoesNotContain(run.Calls, c => c.Name == nameof(DisbursePendingLoanActivity));
        Assert.DoesNotContain(Notices(run.Calls), n => n.Template == "LoanDisbursed");
        Assert.Equal(new ApprovalResult(ApplicationStatus.Cancelled, null), run.Output<ApprovalResult>());
    }

    [Fact]
    public void A_transfer_the_provider_does_not_know_is_asked_for_again_under_the_same_id()
    {
        HistoryRecorder run = Accepted(RecorderV3(Transfer(ProviderState.Pending), null, Transfer(ProviderState.Succeeded))).AdvanceBy(Hour);

        Assert.Equal(["BookPending", "RequestPayout", "CheckPayout", "RequestPayout", "CheckPayout", "DisbursePending"],
            run.Calls.Select(StepV3).SkipWhile(s => s != "BookPending").Take(6));
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }

    [Fact]
    public void A_provider_that_cannot_be_reached_after_the_request_is_retried_for_hours_then_alerted_and_tried_again()
    {
        int tries = 0;
        HistoryRecorder run = RecorderV3(Transfer(ProviderState.Pending), Transfer(ProviderState.Succeeded))
            .OnActivity<string, PayoutStatus?>(nameof(CheckPayoutActivity), _ => ++tries <= 16 ? throw new ActivityFailure("provider unreachable") : Transfer(ProviderState.Succeeded));
        Accepted(run).AdvanceBy(12 * Hour);

        StaffAlert alert = run.Calls.Single(c => c.Name == nameof(AlertStaffActivity)).Input<StaffAlert>();
        Assert.Equal(($"payout-{AppId}-check-payout-1", "step-after-payout-failing"), (alert.Id, alert.Kind));
        Assert.Equal(17, tries);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }
}
