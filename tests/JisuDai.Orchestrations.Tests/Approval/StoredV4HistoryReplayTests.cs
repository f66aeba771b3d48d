using DurableTask.Core.History;
using static JisuDai.Orchestrations.Tests.Approval.ApprovalScript;
using static JisuDai.Orchestrations.Tests.Approval.LoanApprovalV3Tests;
using JisuDai.App.Applications;
using JisuDai.App.Payments;
using JisuDai.App.Staff;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;
using JisuDai.Orchestrations.Approval;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Orchestrations.Tests.Harness;
using JisuDai.Tests;

namespace JisuDai.Orchestrations.Tests.Approval;

/// <summary>
/// The versioning guard for version 4: Histories/LoanApproval-v4-offered.json is an approval recorded with
/// <see cref="LoanApprovalOrchestratorV4"/> as it was when version 5 took over new approvals, stopped with its offer
/// made and waiting for the borrower. Instances like it finish on version 4, step for step as it always took them:
/// its own decision activity already ran, the step and its notice are separate activities, and so are the three steps
/// after the payout. If a test here fails after a change, the change breaks them; do not regenerate the fixture.
/// </summary>
public sealed class StoredV4HistoryReplayTests
{
    const string File = "LoanApproval-v4-offered.json";
    static readonly string Path = System.IO.Path.Combine(AppContext.BaseDirectory, "Histories", File);

    [Fact]
    public void Stored_v4_offered_history_replays_and_on_acceptance_pays_out_with_version_4s_steps()
    {
        List<HistoryEvent> stored = HistoryJson.Read(Path);
        Assert.Equal(nameof(LoanApprovalOrchestratorV4), Assert.IsType<ExecutionStartedEvent>(stored.Single(e => e is ExecutionStartedEvent)).Name);
        var checks = new Queue<PayoutStatus?>([Transfer(ProviderState.Succeeded)]);
        HistoryRecorder run = HistoryRecorder.Resume(new LoanApprovalOrchestratorV4(), nameof(LoanApprovalOrchestratorV4), stored)
            .OnActivity<ApplicationStepRecord, ApplicationStatus>(nameof(RecordApplicationStepActivity), r => r.Step.Status)
            .OnActivity<RepriceRequest, PricedOffer>(nameof(RepriceOfferActivity), r => DecisionOffer with { ValueDate = r.ValueDate })
            .OnActivity<BookPendingLoanRequest, string>(nameof(BookPendingLoanActivity), _ => LoanId)
            .OnActivity<ApplicationRef, PayoutStatus>(nameof(RequestPayoutActivity), _ => Transfer(ProviderState.Pending))
            .OnActivity<string, PayoutStatus?>(nameof(CheckPayoutActivity), _ => checks.Dequeue())
            .OnActivity<BookLoanRequest, string>(nameof(DisbursePendingLoanActivity), _ => LoanId)
            .OnActivity<ApplicantNotice, bool>(nameof(NotifyApplicantActivity), _ => true)
            .OnActivity<StartRepaymentRequest, bool>(nameof(StartRepaymentActivity), _ => true)
            .OnActivity<StaffAlert, bool>(nameof(AlertStaffActivity), _ => true);

        run.RaiseEvent(LoanApprovalOrchestratorV2.BorrowerEvent, new BorrowerAnswer(Accept: true)).AdvanceBy(TimeSpan.FromSeconds(1));

        Assert.Equal(["Record(accepted)", "Reprice", "BookPending", "RequestPayout", "CheckPayout", "DisbursePending", "Record(disbursed)", "Notify(LoanDisbursed)", "StartRepayment"],
            run.Calls.Select(StepV3));
        Assert.All(run.Runs, r => Assert.False(r.IsFailed, r.ToString()));
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }

    /// <summary>Writes the fixture (see <see cref="WritesHistoryFactAttribute"/>); the committed file is what the test above replays.</summary>
    [WritesHistoryFact]
    [Trait("Category", "WritesHistory")]
    public void Write_v4_offered_history()
    {
        HistoryRecorder run = Recorder(new LoanApprovalOrchestratorV4(), nameof(LoanApprovalOrchestratorV4), Transfer(ProviderState.Pending)).Start(Input);
        Assert.True(run.IsRunning);
        Assert.Equal(["Decide", "Record(offered)", "Notify(OfferMade)"], run.Calls.Select(StepV3));
        HistoryJson.Write(Repository.Path("tests", "JisuDai.Orchestrations.Tests", "Histories", File), run.History);
    }
}
