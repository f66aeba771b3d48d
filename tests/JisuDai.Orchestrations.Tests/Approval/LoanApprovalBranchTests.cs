using DurableTask.Core.History;
using static JisuDai.Orchestrations.Tests.Approval.ApprovalScript;
using JisuDai.App.Applications;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Ledger;
using JisuDai.Orchestrations.Approval;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Orchestrations.Tests.Harness;

namespace JisuDai.Orchestrations.Tests.Approval;

/// <summary>
/// Each branch of <see cref="LoanApprovalOrchestrator"/>, run on DurableTask.Core's executor with scripted activity
/// answers, events and a virtual clock: which activities it calls, in which order, with what.
/// </summary>
public sealed class LoanApprovalBranchTests
{
    static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void Auto_approved_application_is_offered_and_waits_for_the_borrower()
    {
        HistoryRecorder run = Recorder(Approve).Start(Input);

        Assert.True(run.IsRunning);
        Assert.Equal(["Decide", "Record(offered)", "Notify(OfferMade)"], Steps(run.Calls));
        Assert.Equal(new ApplicationRef(CustomerId, AppId), run.Calls[0].Input<ApplicationRef>());

        ApplicationStepRecord offered = Assert.Single(Records(run.Calls));
        Assert.Equal((AppId, CustomerId, DecisionId), (offered.ApplicationId, offered.CustomerId, offered.DecisionId));
        Assert.Equal(new ApplicationStep("offered", ApplicationStatus.Offered, Start, "Offer made."), offered.Step);
        Assert.Equal(new OfferToPrice(20_000m, 12, 0.1800m, Start + Timeouts.OfferExpiresAfter), offered.Offer);

        ApplicantNotice notice = Assert.Single(Notices(run.Calls));
        Assert.Equal("OfferMade", notice.Template);
        Assert.Equal(new Dictionary<string, string>
        {
            ["amount"] = "20000.00",
            ["term"] = "12",
            ["apr"] = "18.00 %",
            ["expires"] = "2025-03-06 01:00",
        }, notice.Parameters);

        TimerCreatedEvent lapse = Assert.Single(run.PendingTimers);
        Assert.Equal(Start + Timeouts.OfferExpiresAfter, lapse.FireAt);
    }

    [Fact]
    public void Accepted_offer_is_paid_out_booked_recorded_notified_and_handed_to_repayment()
    {
        HistoryRecorder run = Recorder(Approve).Start(Input)
            .AdvanceBy(5 * Hour)
            .RaiseEvent(LoanApprovalOrchestrator.BorrowerEvent, new BorrowerAnswer(Accept: true));

        Assert.Equal(
            ["Decide", "Record(offered)", "Notify(OfferMade)", "Record(accepted)", "Disburse", "Book", "Record(disbursed)", "Notify(LoanDisbursed)", "StartRepayment"],
            Steps(run.Calls));

        DateTime answeredAt = Start + 5 * Hour;
        Assert.Equal(
            [
                new ApplicationStep("offered", ApplicationStatus.Offered, Start, "Offer made."),
                new ApplicationStep("accepted", ApplicationStatus.Accepted, answeredAt, "Offer accepted."),
                new ApplicationStep("disbursed", ApplicationStatus.Disbursed, answeredAt, "Paid out 20000.00 yuan (transfer tr-3301); loan loan-5521 booked."),
            ],
            Records(run.Calls).Select(r => r.Step));

        Assert.Equal(new ApplicationRef(CustomerId, AppId), Call(run, nameof(DisburseLoanActivity)).Input<ApplicationRef>());
        Assert.Equal(new BookLoanRequest(CustomerId, AppId, Payout), Call(run, nameof(BookLoanActivity)).Input<BookLoanRequest>());
        Assert.Equal(new StartRepaymentRequest(CustomerId, LoanId, AppId), Call(run, nameof(StartRepaymentActivity)).Input<StartRepaymentRequest>());

        ApplicantNotice disbursed = Notices(run.Calls)[^1];
        Assert.Equal("LoanDisbursed", disbursed.Template);
        Assert.Equal(new Dictionary<string, string> { ["amount"] = "20000.00", ["account"] = "6789" }, disbursed.Parameters);

        Assert.False(run.IsRunning);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }

    [Fact]
    public void Referred_application_waits_for_a_reviewer_whose_approval_makes_the_offer_on_the_reviewers_terms()
    {
        HistoryRecorder run = Recorder(Refer).Start(Input);

        Assert.Equal(["Decide", "Record(referred)"], Steps(run.Calls));
        ApplicationStepRecord referred = Assert.Single(Records(run.Calls));
        Assert.Equal(new ApplicationStep("referred", ApplicationStatus.InReview, Start, "Referred to a reviewer."), referred.Step);
        Assert.Equal(["THIN_FILE"], referred.Reasons!);
        Assert.Equal(DecisionId, referred.DecisionId);
        Assert.Equal(Start + Timeouts.ReviewEscalateAfter, Assert.Single(run.PendingTimers).FireAt);

        run.AdvanceBy(Hour).RaiseEvent(LoanApprovalOrchestrator.ReviewEvent, new ReviewDecision(true, 15_000m, 0.2000m, null, "rev-lee"));

        Assert.Equal(["Decide", "Record(referred)", "Record(offered)", "Notify(OfferMade)"], Steps(run.Calls));
        ApplicationStepRecord offered = Records(run.Calls)[^1];
        Assert.Equal(new OfferToPrice(15_000m, 12, 0.2000m, Start + Hour + Timeouts.OfferExpiresAfter), offered.Offer);
        Assert.Equal(DecisionId, offered.DecisionId);

        // The escalation timer the reviewer beat still fires; nothing is escalated.
        run.AdvanceBy(Timeouts.ReviewEscalateAfter);
        Assert.Equal(4, run.Calls.Count);
        Assert.True(run.IsRunning);

        run.RaiseEvent(LoanApprovalOrchestrator.BorrowerEvent, new BorrowerAnswer(true));
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }

    [Theory]
    [InlineData("INCOME_UNVERIFIED", "INCOME_UNVERIFIED")]
    [InlineData(null, "REVIEWER_DECLINED")]
    public void Reviewer_declines_the_referred_application(string? reason, string recordedReason)
    {
        HistoryRecorder run = Recorder(Refer).Start(Input)
            .AdvanceBy(2 * Hour)
            .RaiseEvent(LoanApprovalOrchestrator.ReviewEvent, new ReviewDecision(false, 0m, 0m, reason, "rev-lee"));

        Assert.Equal(["Decide", "Record(referred)", "Record(review-declined)", "Notify(ApplicationDeclined)"], Steps(run.Calls));
        ApplicationStepRecord declined = Records(run.Calls)[^1];
        Assert.Equal(new ApplicationStep("review-declined", ApplicationStatus.Declined, Start + 2 * Hour, "Declined by rev-lee."), declined.Step);
        Assert.Equal([recordedReason], declined.Reasons!);
        Assert.Equal(new Dictionary<string, string> { ["reason"] = recordedReason }, Notices(run.Calls)[^1].Parameters);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Declined, null), run.Output<ApprovalResult>());
    }

    [Fact]
    public void Undecided_review_is_escalated_after_the_first_wait_and_declined_after_the_second()
    {
        HistoryRecorder run = Recorder(Refer).Start(Input).FireNextTimer();

        Assert.Equal(["Decide", "Record(referred)", "Record(escalated)"], Steps(run.Calls));
        Assert.Equal(
            new ApplicationStep("escalated", ApplicationStatus.InReview, Start + Timeouts.ReviewEscalateAfter, "Escalated: no reviewer decided within the SLA."),
            Records(run.Calls)[^1].Step);

        // The second wait is the rest of the decline deadline, counted from the referral.
        Assert.Equal(Start + Timeouts.ReviewDeclineAfter, Assert.Single(run.PendingTimers).FireAt);
        run.AdvanceTo(Start + Timeouts.ReviewDeclineAfter - TimeSpan.FromMinutes(1));
        Assert.Equal(3, run.Calls.Count);

        run.FireNextTimer();

        Assert.Equal(["Decide", "Record(referred)", "Record(escalated)", "Record(review-timeout)", "Notify(ApplicationDeclined)"], Steps(run.Calls));
        ApplicationStepRecord timedOut = Records(run.Calls)[^1];
        Assert.Equal(new ApplicationStep("review-timeout", ApplicationStatus.Declined, Start + Timeouts.ReviewDeclineAfter, "No reviewer decided in time."), timedOut.Step);
        Assert.Equal(["REVIEW_TIMEOUT"], timedOut.Reasons!);
        Assert.Equal(new Dictionary<string, string> { ["reason"] = "REVIEW_TIMEOUT" }, Notices(run.Calls)[^1].Parameters);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Declined, null), run.Output<ApprovalResult>());
    }

    [Fact]
    public void Reviewer_deciding_after_the_escalation_still_makes_the_offer()
    {
        HistoryRecorder run = Recorder(Refer).Start(Input)
            .AdvanceBy(Timeouts.ReviewEscalateAfter + Hour)
            .RaiseEvent(LoanApprovalOrchestrator.ReviewEvent, new ReviewDecision(true, 18_000m, 0.1900m, null, "rev-wu"));

        Assert.Equal(["Decide", "Record(referred)", "Record(escalated)", "Record(offered)", "Notify(OfferMade)"], Steps(run.Calls));
        Assert.Equal(18_000m, Records(run.Calls)[^1].Offer!.Amount);
        Assert.True(run.IsRunning);
    }

    [Fact]
    public void Declined_decision_records_its_reasons_and_notifies_the_applicant()
    {
        HistoryRecorder run = Recorder(Decline).Start(Input);

        Assert.Equal(["Decide", "Record(declined)", "Notify(ApplicationDeclined)"], Steps(run.Calls));
        ApplicationStepRecord declined = Assert.Single(Records(run.Calls));
        Assert.Equal(new ApplicationStep("declined", ApplicationStatus.Declined, Start, "Declined by the credit decision."), declined.Step);
        Assert.Equal(["SCORE_BELOW_CUTOFF", "DTI_HIGH"], declined.Reasons!);
        Assert.Equal(DecisionId, declined.DecisionId);
        Assert.Null(declined.Offer);
        Assert.Equal(new Dictionary<string, string> { ["reason"] = "SCORE_BELOW_CUTOFF, DTI_HIGH" }, Assert.Single(Notices(run.Calls)).Parameters);
        Assert.Empty(run.PendingTimers);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Declined, null), run.Output<ApprovalResult>());
    }

    [Fact]
    public void Offer_not_answered_in_time_lapses()
    {
        HistoryRecorder run = Recorder(Approve).Start(Input).AdvanceBy(Timeouts.OfferExpiresAfter);

        Assert.Equal(["Decide", "Record(offered)", "Notify(OfferMade)", "Record(offer-expired)"], Steps(run.Calls));
        Assert.Equal(new ApplicationStep("offer-expired", ApplicationStatus.Cancelled, Start + Timeouts.OfferExpiresAfter, "The offer lapsed."), Records(run.Calls)[^1].Step);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Cancelled, null), run.Output<ApprovalResult>());
    }

    [Fact]
    public void Borrower_turning_the_offer_down_cancels_the_application()
    {
        HistoryRecorder run = Recorder(Approve).Start(Input)
            .AdvanceBy(Hour)
            .RaiseEvent(LoanApprovalOrchestrator.BorrowerEvent, new BorrowerAnswer(Accept: false));

        Assert.Equal(["Decide", "Record(offered)", "Notify(OfferMade)", "Record(cancelled)"], Steps(run.Calls));
        Assert.Equal(new ApplicationStep("cancelled", ApplicationStatus.Cancelled, Start + Hour, "Cancelled by the borrower."), Records(run.Calls)[^1].Step);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Cancelled, null), run.Output<ApprovalResult>());
    }

    [Fact]
    public void Application_cancelled_while_it_was_decided_gets_no_offer()
    {
        HistoryRecorder run = Recorder(Approve, statusAfterOffer: ApplicationStatus.Cancelled).Start(Input);

        Assert.Equal(["Decide", "Record(offered)"], Steps(run.Calls));
        Assert.Empty(run.PendingTimers);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Cancelled, null), run.Output<ApprovalResult>());
    }

    static ActivityCall Call(HistoryRecorder run, string activity) => Assert.Single(run.Calls, c => c.Name == activity);
}
