using DurableTask.Core.History;
using static JisuDai.Orchestrations.Tests.Approval.ApprovalScript;
using JisuDai.App.Applications;
using JisuDai.App.Staff;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;
using JisuDai.Orchestrations.Approval;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Orchestrations.Tests.Harness;
using JisuDai.Tests;

namespace JisuDai.Orchestrations.Tests.Approval;

/// <summary>
/// The versioning guard for version 2: Histories/LoanApproval-v2-offered.json is an approval recorded with
/// <see cref="LoanApprovalOrchestratorV2"/> as it was when version 3 took over new approvals, stopped offered and
/// waiting for the borrower. Instances like it finish on version 2: paid out, then booked. If a test here fails after
/// a change, the change breaks them; do not regenerate the fixture.
/// </summary>
public sealed class StoredV2HistoryReplayTests
{
    const string File = "LoanApproval-v2-offered.json";
    static readonly string Path = System.IO.Path.Combine(AppContext.BaseDirectory, "Histories", File);

    [Fact]
    public void Stored_v2_offered_history_replays_and_on_acceptance_pays_out_then_books_as_version_2_did()
    {
        List<HistoryEvent> stored = HistoryJson.Read(Path);
        Assert.Equal(nameof(LoanApprovalOrchestratorV2), Assert.IsType<ExecutionStartedEvent>(stored.Single(e => e is ExecutionStartedEvent)).Name);
        HistoryRecorder run = HistoryRecorder.Resume(new LoanApprovalOrchestratorV2(), nameof(LoanApprovalOrchestratorV2), stored)
            .OnActivity<ApplicationStepRecord, ApplicationStatus>(nameof(RecordApplicationStepActivity), r => r.Step.Status)
            .OnActivity<RepriceRequest, PricedOffer>(nameof(RepriceOfferActivity), r => DecisionOffer with { ValueDate = r.ValueDate })
            .OnActivity<ApplicationRef, PayoutReceipt>(nameof(DisburseLoanActivity), _ => Payout)
            .OnActivity<BookLoanRequest, string>(nameof(BookLoanActivity), _ => LoanId)
            .OnActivity<ApplicantNotice, bool>(nameof(NotifyApplicantActivity), _ => true)
            .OnActivity<StartRepaymentRequest, bool>(nameof(StartRepaymentActivity), _ => true)
            .OnActivity<StaffAlert, bool>(nameof(AlertStaffActivity), _ => true);

        run.AdvanceBy(TimeSpan.FromHours(6)).RaiseEvent(LoanApprovalOrchestratorV2.BorrowerEvent, new BorrowerAnswer(Accept: true));

        Assert.Equal(["Record(accepted)", "Reprice", "Disburse", "Book", "Record(disbursed)", "Notify(LoanDisbursed)", "StartRepayment"],
            run.Calls.Select(c => c.Name == nameof(RepriceOfferActivity) ? "Reprice" : Step(c)));
        Assert.All(run.Runs, r => Assert.False(r.IsFailed, r.ToString()));
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }

    /// <summary>Writes the fixture (see <see cref="WritesHistoryFactAttribute"/>); the committed file is what the test above replays.</summary>
    [WritesHistoryFact]
    [Trait("Category", "WritesHistory")]
    public void Write_v2_offered_history()
    {
        HistoryRecorder run = RecorderV2(ApproveV2).Start(Input);
        Assert.True(run.IsRunning);
        Assert.Equal(["Decide", "Record(offered)", "Notify(OfferMade)"], Steps(run.Calls));
        HistoryJson.Write(Repository.Path("tests", "JisuDai.Orchestrations.Tests", "Histories", File), run.History);
    }
}
