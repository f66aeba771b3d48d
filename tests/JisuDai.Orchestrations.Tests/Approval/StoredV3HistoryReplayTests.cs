using DurableTask.Core.History;
using static JisuDai.Orchestrations.Tests.Approval.ApprovalScript;
using static JisuDai.Orchestrations.Tests.Approval.LoanApprovalV3Tests;
using JisuDai.App.Applications;
using JisuDai.App.Payments;
using JisuDai.App.Staff;
using JisuDai.Lending.Applications;
using JisuDai.Orchestrations.Approval;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Orchestrations.Tests.Harness;
using JisuDai.Tests;

namespace JisuDai.Orchestrations.Tests.Approval;

/// <summary>
/// The versioning guard for version 3: Histories/LoanApproval-v3-paying-out.json is an approval recorded with
/// <see cref="LoanApprovalOrchestratorV3"/> as it was when version 4 took over new approvals, stopped with its payout
/// asked for and the transfer in progress, waiting on its first timer. Instances like it finish on version 3: the
/// provider is asked again on the timer, and the confirmed transfer disburses the loan. If a test here fails after a
/// change, the change breaks them; do not regenerate the fixture.
/// </summary>
public sealed class StoredV3HistoryReplayTests
{
    const string File = "LoanApproval-v3-paying-out.json";
    static readonly string Path = System.IO.Path.Combine(AppContext.BaseDirectory, "Histories", File);

    [Fact]
    public void Stored_v3_paying_out_history_replays_and_on_its_timer_asks_the_provider_then_disburses_as_version_3_did()
    {
        List<HistoryEvent> stored = HistoryJson.Read(Path);
        Assert.Equal(nameof(LoanApprovalOrchestratorV3), Assert.IsType<ExecutionStartedEvent>(stored.Single(e => e is ExecutionStartedEvent)).Name);
        HistoryRecorder run = HistoryRecorder.Resume(new LoanApprovalOrchestratorV3(), nameof(LoanApprovalOrchestratorV3), stored)
            .OnActivity<string, PayoutStatus?>(nameof(CheckPayoutActivity), _ => Transfer(ProviderState.Succeeded))
            .OnActivity<BookLoanRequest, string>(nameof(DisbursePendingLoanActivity), _ => LoanId)
            .OnActivity<ApplicationStepRecord, ApplicationStatus>(nameof(RecordApplicationStepActivity), r => r.Step.Status)
            .OnActivity<ApplicantNotice, bool>(nameof(NotifyApplicantActivity), _ => true)
            .OnActivity<StartRepaymentRequest, bool>(nameof(StartRepaymentActivity), _ => true)
            .OnActivity<StaffAlert, bool>(nameof(AlertStaffActivity), _ => true);

        run.AdvanceBy(TimeSpan.FromSeconds(1));

        Assert.Equal(["CheckPayout", "DisbursePending", "Record(disbursed)", "Notify(LoanDisbursed)", "StartRepayment"], run.Calls.Select(StepV3));
        Assert.All(run.Runs, r => Assert.False(r.IsFailed, r.ToString()));
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }

    /// <summary>Writes the fixture (see <see cref="WritesHistoryFactAttribute"/>); the committed file is what the test above replays.</summary>
    [WritesHistoryFact]
    [Trait("Category", "WritesHistory")]
    public void Write_v3_paying_out_history()
    {
        HistoryRecorder run = Accepted(RecorderV3(Transfer(ProviderState.Pending)));
        Assert.True(run.IsRunning);
        Assert.Equal(["Decide", "Record(offered)", "Notify(OfferMade)", "Record(accepted)", "Reprice", "BookPending", "RequestPayout"], run.Calls.Select(StepV3));
        HistoryJson.Write(Repository.Path("tests", "JisuDai.Orchestrations.Tests", "Histories", File), run.History);
    }
}
