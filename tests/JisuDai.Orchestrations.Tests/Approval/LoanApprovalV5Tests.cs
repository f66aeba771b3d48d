using static JisuDai.Orchestrations.Tests.Approval.ApprovalScript;
using static JisuDai.Orchestrations.Tests.Approval.LoanApprovalV3Tests;
using JisuDai.App.Applications;
using JisuDai.App.Payments;
using JisuDai.Lending.Applications;
using JisuDai.Orchestrations.Approval;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Orchestrations.Tests.Harness;

namespace JisuDai.Orchestrations.Tests.Approval;

/// <summary>
/// <see cref="LoanApprovalOrchestratorV5"/> on DurableTask.Core's executor: the decision made at submission is its
/// first step (no decision activity), a step and its notice are one activity, the steps after the payout one more; a
/// submission that could not decide leaves the decision to it, as before.
/// </summary>
public sealed class LoanApprovalV5Tests
{
    static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    static HistoryRecorder RecorderV5(params PayoutStatus?[] checks) =>
        Recorder(new LoanApprovalOrchestratorV5(), nameof(LoanApprovalOrchestratorV5), Transfer(ProviderState.Pending), checks)
            .OnActivity<ApplicationStepNotice, ApplicationStatus>(nameof(RecordStepAndNotifyActivity), r => r.Step.Step.Status)
            .OnActivity<DisbursedLoan, bool>(nameof(FinishDisbursedActivity), _ => true);

    static string StepV5(ActivityCall call) => call.Name switch
    {
        nameof(RecordStepAndNotifyActivity) => $"Record({call.Input<ApplicationStepNotice>().Step.Step.Id})+Notify({call.Input<ApplicationStepNotice>().Notice.Template})",
        nameof(FinishDisbursedActivity) => "FinishDisbursed",
        _ => StepV3(call),
    };

    [Fact]
    public void Decided_at_submission_the_first_step_records_the_offer_and_its_notice_in_one_activity_and_the_loan_is_paid_out_in_eight()
    {
        HistoryRecorder run = RecorderV5(Transfer(ProviderState.Succeeded)).Start(Input with { Decision = ApproveV2 });
        Assert.Equal(["Record(offered)+Notify(OfferMade)"], run.Calls.Select(StepV5));
        ApplicationStepNotice offered = run.Calls[0].Input<ApplicationStepNotice>();
        Assert.Equal(DecisionOffer with { ExpiresAt = Start + Timeouts.OfferExpiresAfter }, offered.Step.PricedOffer);
        Assert.Equal(DecisionId, offered.Step.DecisionId);
        Assert.Equal(new ApplicantNotice(AppId, CustomerId, "OfferMade", offered.Notice.Parameters), offered.Notice);
        Assert.Equal(DecisionOffer.Apr.ToString("P2", System.Globalization.CultureInfo.InvariantCulture), offered.Notice.Parameters["apr"]);

        run.AdvanceBy(Hour).RaiseEvent(LoanApprovalOrchestratorV2.BorrowerEvent, new BorrowerAnswer(Accept: true)).AdvanceBy(TimeSpan.FromSeconds(1));

        Assert.Equal(["Record(offered)+Notify(OfferMade)", "Record(accepted)", "Reprice", "BookPending", "RequestPayout", "CheckPayout", "DisbursePending", "FinishDisbursed"],
            run.Calls.Select(StepV5));
        DisbursedLoan finished = run.Calls[^1].Input<DisbursedLoan>();
        Assert.Equal(("disbursed", ApplicationStatus.Disbursed), (finished.Step.Step.Id, finished.Step.Step.Status));
        Assert.Contains("Paid out 19600.00 yuan (transfer poapp7f3c)", finished.Step.Step.Detail);
        Assert.Equal(("LoanDisbursed", "2233"), (finished.Notice.Template, finished.Notice.Parameters["account"]));
        Assert.Equal(new StartRepaymentRequest(CustomerId, LoanId, AppId), finished.Repayment);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }

    [Fact]
    public void Without_a_decision_from_the_submission_it_decides_first_as_version_4_did()
    {
        HistoryRecorder run = RecorderV5().Start(Input);
        Assert.Equal(["Decide", "Record(offered)+Notify(OfferMade)"], run.Calls.Select(StepV5));
        Assert.Equal(new ApplicationRef(CustomerId, AppId), run.Calls[0].Input<ApplicationRef>());
    }

    [Fact]
    public void A_decline_decided_at_submission_is_recorded_with_its_reasons_and_notice_in_one_activity_and_ends_the_approval()
    {
        HistoryRecorder run = RecorderV5().Start(Input with { Decision = Decline });

        Assert.Equal(["Record(declined)+Notify(ApplicationDeclined)"], run.Calls.Select(StepV5));
        ApplicationStepNotice declined = run.Calls[0].Input<ApplicationStepNotice>();
        Assert.Equal(["SCORE_BELOW_CUTOFF", "DTI_HIGH"], declined.Step.Reasons);
        Assert.Equal("SCORE_BELOW_CUTOFF, DTI_HIGH", declined.Notice.Parameters["reason"]);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Declined, null), run.Output<ApprovalResult>());
    }

    [Fact]
    public void A_referral_decided_at_submission_waits_for_the_reviewer_and_a_cancellation_before_the_offer_is_recorded()
    {
        HistoryRecorder run = RecorderV5().Start(Input with { Decision = Refer });
        Assert.Equal(["Record(referred)"], run.Calls.Select(StepV5));
        Assert.True(run.IsRunning);

        run.AdvanceBy(Hour).RaiseEvent(LoanApprovalOrchestratorV2.CancelEvent, new CancelRequest(Start + Hour));

        Assert.Equal(["Record(referred)", "Record(cancelled)"], run.Calls.Select(StepV5));
        Assert.Equal(new ApprovalResult(ApplicationStatus.Cancelled, null), run.Output<ApprovalResult>());
    }
}
