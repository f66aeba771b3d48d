using JisuDai.App.Applications;
using JisuDai.App.Staff;
using JisuDai.Lending.Products;
using JisuDai.Lending.Applications;
using JisuDai.Orchestrations.Approval;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Orchestrations.Tests.Harness;

namespace JisuDai.Orchestrations.Tests.Approval;

/// <summary>The approval's test data and a recorder whose activities answer as the real ones would.</summary>
static class ApprovalScript
{
    public const string Name = nameof(LoanApprovalOrchestrator);
    public const string CustomerId = "cust-0042";
    public const string AppId = "app-7f3c";
    public const string DecisionId = "dec-91";
    public const string LoanId = "loan-5521";

    /// <summary>The hosts' defaults (functions/Applications/ApprovalOptions.cs): escalate after 4 h, decline after 48 h, an offer lapses after 72 h.</summary>
    public static readonly ApprovalTimeouts Timeouts = new(TimeSpan.FromHours(4), TimeSpan.FromHours(48), TimeSpan.FromHours(72));

    public static readonly ApprovalInput Input = new(CustomerId, AppId, 20_000m, Timeouts);

    public static readonly DateTime Start = HistoryRecorder.DefaultStart;

    public static readonly ApprovalDecision Approve = new(CreditOutcome.Approve, DecisionId, 20_000m, 12, 0.1800m, []);

    public static readonly ApprovalDecision Refer = new(CreditOutcome.Review, DecisionId, 0m, 12, 0m, ["THIN_FILE"]);

    public static readonly ApprovalDecision Decline = new(CreditOutcome.Decline, DecisionId, 0m, 0, 0m, ["SCORE_BELOW_CUTOFF", "DTI_HIGH"]);

    public static readonly PayoutReceipt Payout = new("tr-3301", 20_000m, "6789", Start);

    /// <summary>
    /// A recorder for one application decided as <paramref name="decision"/>. Recording a step returns the status it
    /// sets, unless <paramref name="statusAfterOffer"/> says what the application's status is after "offered" (a
    /// borrower who cancelled while it was decided).
    /// </summary>
    public static HistoryRecorder Recorder(ApprovalDecision decision, ApplicationStatus? statusAfterOffer = null) =>
        new HistoryRecorder(new LoanApprovalOrchestrator(), Name, Start, instanceId: AppId)
            .OnActivity<ApplicationRef, ApprovalDecision>(nameof(DecideApplicationActivity), _ => decision)
            .OnActivity<ApplicationStepRecord, ApplicationStatus>(nameof(RecordApplicationStepActivity),
                r => r.Step.Id == "offered" && statusAfterOffer is { } after ? after : r.Step.Status)
            .OnActivity<ApplicationRef, PayoutReceipt>(nameof(DisburseLoanActivity), _ => Payout)
            .OnActivity<BookLoanRequest, string>(nameof(BookLoanActivity), _ => LoanId)
            .OnActivity<ApplicantNotice, bool>(nameof(NotifyApplicantActivity), _ => true)
            .OnActivity<StartRepaymentRequest, bool>(nameof(StartRepaymentActivity), _ => true);

    /// <summary>The decision's offer as version 2 and later carry it.</summary>
    public static readonly PricedOffer DecisionOffer = Offers.Price(BuiltInProducts.Express, Offers.TermsFor(BuiltInProducts.Express, 20_000m, 12, 0.18m), new DateOnly(2025, 3, 3)).Value!;

    public static readonly ApprovalDecision ApproveV2 = Approve with { Offer = DecisionOffer };

    /// <summary>A version 2 recorder; <paramref name="reprice"/> answers the repricing (by default the same price at the new date).</summary>
    public static HistoryRecorder RecorderV2(ApprovalDecision decision, Func<RepriceRequest, PricedOffer>? reprice = null) =>
        new HistoryRecorder(new LoanApprovalOrchestratorV2(), nameof(LoanApprovalOrchestratorV2), Start, instanceId: AppId)
            .OnActivity<ApplicationRef, ApprovalDecision>(nameof(DecideApplicationActivity), _ => decision)
            .OnActivity<ApplicationStepRecord, ApplicationStatus>(nameof(RecordApplicationStepActivity), r => r.Step.Status)
            .OnActivity<RepriceRequest, PricedOffer>(nameof(RepriceOfferActivity), reprice ?? (r => DecisionOffer with { ValueDate = r.ValueDate }))
            .OnActivity<ApplicationRef, PayoutReceipt>(nameof(DisburseLoanActivity), _ => Payout)
            .OnActivity<BookLoanRequest, string>(nameof(BookLoanActivity), _ => LoanId)
            .OnActivity<ApplicantNotice, bool>(nameof(NotifyApplicantActivity), _ => true)
            .OnActivity<StartRepaymentRequest, bool>(nameof(StartRepaymentActivity), _ => true)
            .OnActivity<StaffAlert, bool>(nameof(AlertStaffActivity), _ => true);

    /// <summary>The calls as short words: "Decide", "Record(offered)", "Notify(OfferMade)", "Disburse" ...</summary>
    public static IReadOnlyList<string> Steps(IEnumerable<ActivityCall> calls) => calls.Select(Step).ToList();

    public static string Step(ActivityCall call) => call.Name switch
    {
        nameof(DecideApplicationActivity) => "Decide",
        nameof(RecordApplicationStepActivity) => $"Record({call.Input<ApplicationStepRecord>().Step.Id})",
        nameof(NotifyApplicantActivity) => $"Notify({call.Input<ApplicantNotice>().Template})",
        nameof(DisburseLoanActivity) => "Disburse",
        nameof(BookLoanActivity) => "Book",
        nameof(StartRepaymentActivity) => "StartRepayment",
        _ => call.Name,
    };

    /// <summary>The step records, in order.</summary>
    public static IReadOnlyList<ApplicationStepRecord> Records(IEnumerable<ActivityCall> calls) =>
        calls.Where(c => c.Name == nameof(RecordApplicationStepActivity)).Select(c => c.Input<ApplicationStepRecord>()).ToList();

    /// <summary>The notices, in order.</summary>
    public static IReadOnlyList<ApplicantNotice> Notices(IEnumerable<ActivityCall> calls) =>
        calls.Where(c => c.Name == nameof(NotifyApplicantActivity)).Select(c => c.Input<ApplicantNotice>()).ToList();

    /// <summary>The stored history of an application offered and waiting for the borrower, recorded with the approval's first version.</summary>
    public static string OfferedV1Path => Path.Combine(AppContext.BaseDirectory, "Histories", OfferedV1File);

    public const string OfferedV1File = "LoanApproval-v1-offered.json";
}
