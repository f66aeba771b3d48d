using static JisuDai.Orchestrations.Tests.Approval.ApprovalScript;
using JisuDai.App.Applications;
using JisuDai.App.Staff;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;
using JisuDai.Orchestrations.Approval;
using JisuDai.Orchestrations.Tests.Harness;

namespace JisuDai.Orchestrations.Tests.Approval;

/// <summary>
/// Each branch of <see cref="LoanApprovalOrchestratorV2"/> on DurableTask.Core's executor: the priced offer stored as
/// made, the typed outcome (an unknown one fails), cancellation as an event in every cancellable state, and the terms
/// priced again before the payout.
/// </summary>
public sealed class LoanApprovalV2Tests
{
    static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    static readonly DateOnly DecidedOn = new(2025, 3, 3);

    static PricedOffer Priced(decimal amount, decimal rate, DateOnly on) =>
        Offers.Price(BuiltInProducts.Express, Offers.TermsFor(BuiltInProducts.Express, amount, 12, rate), on).Value!;

    static string StepV2(ActivityCall call) => call.Name == nameof(RepriceOfferActivity) ? "Reprice" : Step(call);

    [Fact]
    public void An_approved_application_is_offered_exactly_as_priced_repriced_on_acceptance_and_paid_out()
    {
        HistoryRecorder run = RecorderV2(ApproveV2).Start(Input)
            .AdvanceBy(5 * Hour)
            .RaiseEvent(LoanApprovalOrchestratorV2.BorrowerEvent, new BorrowerAnswer(Accept: true));

        Assert.Equal(
            ["Decide", "Record(offered)", "Notify(OfferMade)", "Record(accepted)", "Reprice", "Disburse", "Book", "Record(disbursed)", "Notify(LoanDisbursed)", "StartRepayment"],
            run.Calls.Select(StepV2));
        ApplicationStepRecord offered = Records(run.Calls)[0];
        // The decision's offer, schedule and all, with the expiry the approval sets; nothing priced it again.
        Assert.Null(offered.Offer);
        Assert.Equal(DecisionOffer.Schedule, offered.PricedOffer!.Schedule);
        Assert.Equal(DecisionOffer with { ExpiresAt = Start + Timeouts.OfferExpiresAfter }, offered.PricedOffer);
        Assert.Equal(DecisionOffer.Apr.ToString("P2", System.Globalization.CultureInfo.InvariantCulture), Notices(run.Calls)[0].Parameters["apr"]);

        RepriceRequest reprice = run.Calls.Single(c => c.Name == nameof(RepriceOfferActivity)).Input<RepriceRequest>();
        Assert.Equal(new RepriceRequest(CustomerId, AppId, new DateOnly(2025, 3, 3)), reprice); // 06:00 UTC is 14:00 in Shanghai
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }

    [Fact]
    public void A_price_that_moved_by_the_payout_date_is_shown_again_and_needs_a_second_acceptance()
    {
        PricedOffer dearer = DecisionOffer with { Apr = DecisionOffer.Apr + 2 * PricedOffer.AprTolerance, ValueDate = DecidedOn.AddDays(2) };
        int reprices = 0;
        HistoryRecorder run = RecorderV2(ApproveV2, _ => ++reprices == 1 ? dearer : dearer with { ValueDate = DecidedOn.AddDays(3) }).Start(Input)
            .AdvanceBy(48 * Hour)
            .RaiseEvent(LoanApprovalOrchestratorV2.BorrowerEvent, new BorrowerAnswer(Accept: true));

        Assert.Equal(["Decide", "Record(offered)", "Notify(OfferMade)", "Record(accepted)", "Reprice", "Record(offered-2)", "Notify(OfferMade)"],
            run.Calls.Select(StepV2));
        Assert.True(run.IsRunning);
        ApplicationStepRecord again = Records(run.Calls)[^1];
        Assert.Equal((ApplicationStatus.Offered, dearer.Apr), (again.Step.Status, again.PricedOffer!.Apr));
        Assert.Equal(Start + 48 * Hour + Timeouts.OfferExpiresAfter, again.PricedOffer.ExpiresAt);
        Assert.Equal("2", Notices(run.Calls)[^1].Occurrence);

        run.AdvanceBy(Hour).RaiseEvent(LoanApprovalOrchestratorV2.BorrowerEvent, new BorrowerAnswer(Accept: true));
        Assert.Equal(["Record(accepted-2)", "Reprice", "Disburse", "Book", "Record(disbursed)", "Notify(LoanDisbursed)", "StartRepayment"],
            run.Calls.Skip(7).Select(StepV2));
    }

    [Fact]
    public void A_cancellation_while_the_application_is_decided_is_recorded_and_no_offer_goes_out()
    {
        HistoryRecorder run = RecorderV2(ApproveV2)
            .RaiseDuringNextActivities(LoanApprovalOrchestratorV2.CancelEvent, new CancelRequest(Start))
            .Start(Input);

        Assert.Equal(["Decide", "Record(cancelled)"], run.Calls.Select(StepV2));
        Assert.Equal(ApplicationStatus.Cancelled, Records(run.Calls)[0].Step.Status);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Cancelled, null), run.Output<ApprovalResult>());
    }

    [Fact]
    public void A_cancellation_in_review_ends_the_wait_and_no_reviewer_can_approve_afterwards()
    {
        HistoryRecorder run = RecorderV2(Refer).Start(Input)
            .AdvanceBy(Hour)
            .RaiseEvent(LoanApprovalOrchestratorV2.CancelEvent, new CancelRequest(Start + Hour));

        Assert.Equal(["Decide", "Record(referred)", "Record(cancelled)"], run.Calls.Select(StepV2));
        Assert.Equal(new ApprovalResult(ApplicationStatus.Cancelled, null), run.Output<ApprovalResult>());
    }

    [Fact]
    public void A_cancellation_of_an_offer_is_recorded_and_ends_the_approval()
    {
        HistoryRecorder run = RecorderV2(ApproveV2).Start(Input)
            .AdvanceBy(Hour)
            .RaiseEvent(LoanApprovalOrchestratorV2.CancelEvent, new CancelRequest(Start + Hour));

        Assert.Equal(["Decide", "Record(offered)", "Notify(OfferMade)", "Record(cancelled)"], run.Calls.Select(StepV2));
        Assert.Equal(new ApprovalResult(ApplicationStatus.Cancelled, null), run.Output<ApprovalResult>());
    }

    [Fact]
    public void A_reviewers_approval_offers_the_offer_priced_when_they_decided()
    {
        PricedOffer reviewed = Priced(15_000m, 0.20m, DecidedOn);
        HistoryRecorder run = RecorderV2(Refer).Start(Input)
            .AdvanceBy(Hour)
            .RaiseEvent(LoanApprovalOrchestratorV2.ReviewEvent, new ReviewDecision(true, 15_000m, 0.20m, null, "rev-1", reviewed));

        Assert.Equal(["Decide", "Record(referred)", "Record(offered)", "Notify(OfferMade)"], run.Calls.Select(StepV2));
        Assert.Equal(reviewed with { ExpiresAt = Start + Hour + Timeouts.OfferExpiresAfter }, Records(run.Calls)[^1].PricedOffer);
    }

    [Fact]
    public void An_approval_without_a_priced_offer_fails_the_orchestration_instead_of_guessing_terms()
    {
        HistoryRecorder run = RecorderV2(Approve).Start(Input);

        Assert.Equal(["Decide"], run.Calls.Select(StepV2));
        Assert.Equal(DurableTask.Core.OrchestrationStatus.Failed, run.Completed!.OrchestrationStatus);
        Assert.Contains("without a priced offer", run.Completed.FailureDetails!.ErrorMessage);
    }

    [Fact]
    public void An_outcome_the_approval_does_not_know_fails_loudly()
    {
        // A decider of another version answering "refer": the typed outcome refuses to read it, so nothing is offered or declined.
        HistoryRecorder run = RecorderV2(ApproveV2)
            .OnActivity(nameof(DecideApplicationActivity), _ => System.Text.Json.Nodes.JsonNode.Parse(
                """{"Outcome":"refer","DecisionId":"dec-91","Amount":0,"TermMonths":12,"AnnualRate":0,"Reasons":[]}"""))
            .Start(Input)
            .AdvanceBy(TimeSpan.FromMinutes(10)); // the activity's retries

        Assert.All(run.Calls, c => Assert.Equal("Decide", StepV2(c)));
        Assert.Equal(DurableTask.Core.OrchestrationStatus.Failed, run.Completed!.OrchestrationStatus);
        Assert.Contains("A credit outcome must be", run.Completed.FailureDetails!.ToString());
    }

    [Fact]
    public void A_declined_decision_is_recorded_with_its_reasons_and_the_applicant_told()
    {
        HistoryRecorder run = RecorderV2(Decline).Start(Input);

        Assert.Equal(["Decide", "Record(declined)", "Notify(ApplicationDeclined)"], run.Calls.Select(StepV2));
        Assert.Equal(["SCORE_BELOW_CUTOFF", "DTI_HIGH"], Records(run.Calls)[0].Reasons);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Declined, null), run.Output<ApprovalResult>());
    }

    [Fact]
    public void After_the_payout_a_failing_booking_never_gives_up_it_alerts_staff_and_tries_again_until_the_loan_is_booked()
    {
        int tries = 0;
        HistoryRecorder run = RecorderV2(ApproveV2)
            .OnActivity<BookLoanRequest, string>(nameof(BookLoanActivity), _ => ++tries <= 16 ? throw new ActivityFailure("loan store unavailable") : LoanId)
            .Start(Input)
            .AdvanceBy(Hour)
            .RaiseEvent(LoanApprovalOrchestratorV2.BorrowerEvent, new BorrowerAnswer(Accept: true))
            .AdvanceBy(12 * Hour);

        Assert.Equal(1, run.Calls.Count(c => c.Name == nameof(DisburseLoanActivity)));
        Assert.Equal(17, tries);
        StaffAlert alert = run.Calls.Single(c => c.Name == nameof(AlertStaffActivity)).Input<StaffAlert>();
        Assert.Equal(($"payout-{AppId}-book-1", "step-after-payout-failing", AppId), (alert.Id, alert.Kind, alert.Target));
        Assert.Contains("loan store unavailable", alert.Detail);
        // The booking that finally worked came a pause after the alert, and the approval ended as disbursed.
        ActivityCall booked = run.Calls.Last(c => c.Name == nameof(BookLoanActivity));
        ActivityCall alerted = run.Calls.Single(c => c.Name == nameof(AlertStaffActivity));
        Assert.True(booked.At - alerted.At >= LoanApprovalOrchestratorV2.AfterPayoutPause);
        Assert.Equal(new ApprovalResult(ApplicationStatus.Disbursed, LoanId), run.Output<ApprovalResult>());
    }
}
