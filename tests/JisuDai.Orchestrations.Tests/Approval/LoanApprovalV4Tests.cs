using static JisuDai.Orchestrations.Tests.Approval.ApprovalScript;
using static JisuDai.Orchestrations.Tests.Approval.LoanApprovalV3Tests;
using JisuDai.App.Payments;
using JisuDai.Lending.Applications;
using JisuDai.Orchestrations.Approval;
using JisuDai.Orchestrations.Tests.Harness;

namespace JisuDai.Orchestrations.Tests.Approval;

/// <summary>
/// <see cref="LoanApprovalOrchestratorV4"/> on DurableTask.Core's executor: version 3's money path, woken by the
/// provider's notice that the transfer finished instead of waiting for its next question.
/// </summary>
public sealed class LoanApprovalV4Tests
{
    static HistoryRecorder RecorderV4(PayoutStatus requested, params PayoutStatus?[] checks) =>
        Recorder(new LoanApprovalOrchestratorV4(), nameof(LoanApprovalOrchestratorV4), requested, checks);

    [Fact]
    public void The_providers_notice_wakes_the_approval_which_asks_at_once_and_disburses_without_waiting_for_its_timer()
    {
        HistoryRecorder run = Accepted(RecorderV4(Transfer(ProviderState.Pending), Transfer(ProviderState.Pending), Transfer(ProviderState.Succeeded)));
        run.AdvanceBy(TimeSpan.FromSeconds(1)); // the first question: still in progress; the next is due in 2 s, then 4 s…
        DateTime first = run.Calls.Single(c => c.Name == nameof(CheckPayoutActivity)).At;

        run.AdvanceBy(TimeSpan.FromMilliseconds(500)).RaiseEvent(LoanApprovalOrchestratorV4.PayoutFinishedEvent, true);

        List<ActivityCall> asked = run.Calls.Where(c => c.Name == nameof(CheckPayoutActivity)).ToList();
        Assert.Equal(2, asked.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(500), asked[1].At - first); // not the 2 s its timer would have taken
        Assert.Equal(["RequestPayout", "CheckPayout", "CheckPayout", "DisbursePending", "Record(disbursed)", "Notify(LoanDisbursed)", "StartRepayment"],
            run.Calls.Select(StepV3).SkipWhile(s => s != "RequestPayout"));
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }

    [Fact]
    public void Without_a_notice_it_follows_the_transfer_on_its_timers_as_version_3_and_a_notice_that_only_wakes_it_decides_nothing()
    {
        HistoryRecorder run = Accepted(RecorderV4(Transfer(ProviderState.Pending),
            Transfer(ProviderState.Pending), Transfer(ProviderState.Pending), Transfer(ProviderState.Pending), Transfer(ProviderState.Succeeded)));
        run.AdvanceBy(TimeSpan.FromSeconds(3)); // questions at 1 s and 3 s, on the timers alone
        Assert.Equal(2, run.Calls.Count(c => c.Name == nameof(CheckPayoutActivity)));

        // A notice while the transfer is still in progress at the provider (delivered early, or about another attempt):
        // the approval asks, hears "in progress", and goes on waiting.
        run.RaiseEvent(LoanApprovalOrchestratorV4.PayoutFinishedEvent, true);
        Assert.Equal(3, run.Calls.Count(c => c.Name == nameof(CheckPayoutActivity)));
        Assert.True(run.IsRunning);
        Assert.DoesNotContain(run.Calls, c => c.Name == nameof(DisbursePendingLoanActivity));

        run.AdvanceBy(TimeSpan.FromMinutes(1));
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }
}
