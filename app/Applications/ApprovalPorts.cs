using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;

namespace JisuDai.App.Applications;

/// <summary>How long the approval waits at each human step.</summary>
/// <param name="ReviewEscalateAfter">A referral still undecided after this is escalated.</param>
/// <param name="ReviewDeclineAfter">A referral still undecided after this (from referral) is declined.</param>
/// <param name="OfferExpiresAfter">An offer not accepted in this time lapses.</param>
public sealed record ApprovalTimeouts(TimeSpan ReviewEscalateAfter, TimeSpan ReviewDeclineAfter, TimeSpan OfferExpiresAfter);

/// <summary>What the credit decision concluded for an application, as the approval needs it.</summary>
/// <param name="Outcome">Approve, review or decline.</param>
/// <param name="DecisionId">The recorded decision.</param>
/// <param name="Amount">The amount offered (on approve).</param>
/// <param name="TermMonths">The term offered.</param>
/// <param name="AnnualRate">The rate offered.</param>
/// <param name="Reasons">Reason codes.</param>
/// <param name="Offer">On approve, the offer priced at the decision date (version 2 of the approval offers exactly this).</param>
public sealed record ApprovalDecision(CreditOutcome Outcome, string DecisionId, decimal Amount, int TermMonths, decimal AnnualRate, IReadOnlyList<string> Reasons, PricedOffer? Offer = null);

/// <summary>A reviewer's decision on a referred application.</summary>
/// <param name="Approve">True to approve.</param>
/// <param name="Amount">The limit approved (within the product's bounds).</param>
/// <param name="AnnualRate">The rate approved (within the product's bounds and APR cap).</param>
/// <param name="Reason">A decline's reason.</param>
/// <param name="Reviewer">Who decided.</param>
/// <param name="Offer">On approve, the reviewer's terms priced when they decided (version 2 of the approval offers exactly this).</param>
public sealed record ReviewDecision(bool Approve, decimal Amount, decimal AnnualRate, string? Reason, string Reviewer, PricedOffer? Offer = null);

/// <summary>The borrower asked to cancel the application (version 2 of the approval handles it; it is the one writer of the status).</summary>
/// <param name="At">When they asked.</param>
public sealed record CancelRequest(DateTimeOffset At);

/// <summary>The borrower's answer to an offer.</summary>
/// <param name="Accept">True to accept, false to cancel.</param>
public sealed record BorrowerAnswer(bool Accept);

/// <summary>A step to record on an application, with the offer or reasons it brings.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="Step">The step.</param>
/// <param name="Offer">Version 1 of the approval: terms for the recorder to price at the offer's expiry date (with the Offered step).</param>
/// <param name="Reasons">Reason codes (with Declined or InReview).</param>
/// <param name="DecisionId">The decision behind it.</param>
/// <param name="PricedOffer">Version 2: the offer as priced when it was made, stored as it is (with the Offered step).</param>
public sealed record ApplicationStepRecord(string ApplicationId, string CustomerId, ApplicationStep Step, OfferToPrice? Offer = null, IReadOnlyList<string>? Reasons = null, string? DecisionId = null,
    PricedOffer? PricedOffer = null);

/// <summary>Version 1 of the approval's offer step: terms the recorder prices under the product (kept for instances started before version 2).</summary>
public sealed record OfferToPrice(decimal Amount, int TermMonths, decimal AnnualRate, DateTimeOffset ExpiresAt);

/// <summary>Prices the accepted offer's terms again at the day money is to be paid out.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="ApplicationId">The application.</param>
/// <param name="ValueDate">The payout's expected value date (the lender's today).</param>
public sealed record RepriceRequest(string CustomerId, string ApplicationId, DateOnly ValueDate);

/// <summary>What started an approval.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="ApplicationId">The application.</param>
/// <param name="Amount">The amount asked for.</param>
/// <param name="Timeouts">The waits at each human step.</param>
/// <param name="Decision">The decision made at submission, which version 5 takes as its first step; null when the
/// submission could not decide within its budget, and the approval decides (versions 1 to 4 always decide).</param>
public sealed record ApprovalInput(string CustomerId, string ApplicationId, decimal Amount, ApprovalTimeouts Timeouts, ApprovalDecision? Decision = null);

/// <summary>An approval that has been started: what it was started with.</summary>
/// <param name="Decision">The decision made at submission, when there was one.</param>
public sealed record ApprovalStarted(ApprovalDecision? Decision);

/// <summary>A notification to the applicant about their application.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="Template">The template (ApplicationReceived, OfferMade, ApplicationDeclined, LoanDisbursed).</param>
/// <param name="Parameters">The template's parameters.</param>
/// <param name="Occurrence">Which occurrence, for a notice sent more than once per application (an overdue reminder's day); null for a one-off.</param>
public sealed record ApplicantNotice(string ApplicationId, string CustomerId, string Template, IReadOnlyDictionary<string, string> Parameters, string? Occurrence = null)
{
    /// <summary>The notice's idempotency key: application, template and occurrence.</summary>
    public string Key => Occurrence is null ? $"{ApplicationId}-{Template}" : $"{ApplicationId}-{Template}-{Occurrence}";
}

/// <summary>A payout of an accepted offer.</summary>
public sealed record PayoutReceipt(string TransferId, decimal Amount, string AccountEnding, DateTimeOffset At);

/// <summary>Decides an application (checks, score, rules) and records the decision.</summary>
public interface IApplicationDecider
{
    /// <summary>Decides application <paramref name="applicationId"/>; deciding it again returns the same decision.</summary>
    Task<ApprovalDecision> DecideAsync(string customerId, string applicationId, CancellationToken cancellationToken);

    /// <summary>Decides <paramref name="application"/>, as stored, with its applicant's <paramref name="identity"/> already opened (the submission has both in hand).</summary>
    Task<ApprovalDecision> DecideAsync(LoanApplication application, ApplicantIdentitySealed identity, CancellationToken cancellationToken);
}

/// <summary>Records application steps (status, history, offer, the review queue).</summary>
public interface IApplicationRecorder
{
    /// <summary>Records a step; a step already recorded is not recorded again. Returns the status after it.</summary>
    Task<ApplicationStatus> RecordAsync(ApplicationStepRecord record, CancellationToken cancellationToken);
}

/// <summary>Pays out accepted loans.</summary>
public interface IPayouts
{
    /// <summary>Pays the application's offer to its account and waits for the transfer (versions 1 and 2 of the approval); paying the same application again returns the first receipt.</summary>
    Task<PayoutReceipt> PayAsync(string customerId, string applicationId, CancellationToken cancellationToken);

    /// <summary>Asks for the application's payout without waiting (version 3); asking again asks for the same transfer.</summary>
    Task<Payments.PayoutStatus> RequestAsync(string customerId, string applicationId, CancellationToken cancellationToken);

    /// <summary>Where the payout with <paramref name="transferId"/> stands at the provider, or null when it has none.</summary>
    Task<Payments.PayoutStatus?> CheckAsync(string transferId, CancellationToken cancellationToken);
}

/// <summary>Prices accepted offers again before the payout.</summary>
public interface IOfferRepricing
{
    /// <summary>The application's stored offer terms priced at <paramref name="request"/>'s value date (expiry kept).</summary>
    Task<PricedOffer> RepriceAsync(RepriceRequest request, CancellationToken cancellationToken);
}

/// <summary>Books loans: after their payout (versions 1 and 2 of the approval), or before it and then disbursed or cancelled (version 3).</summary>
public interface ILoanBooking
{
    /// <summary>Books the loan of a paid-out application with its schedule; booking it again returns the same loan id.</summary>
    Task<string> BookAsync(string customerId, string applicationId, PayoutReceipt payout, CancellationToken cancellationToken);

    /// <summary>Books the loan of an accepted application before its payout is asked for (status Approved); again: the same loan id.</summary>
    Task<string> BookPendingAsync(string customerId, string applicationId, DateOnly expectedValueDate, CancellationToken cancellationToken);

    /// <summary>Disburses the pending loan on its payout's confirmation (Active, LoanDisbursed); again: the same loan id.</summary>
    Task<string> DisburseAsync(string customerId, string applicationId, PayoutReceipt payout, CancellationToken cancellationToken);

    /// <summary>Cancels the pending loan whose payout failed; again: nothing more.</summary>
    Task CancelPayoutAsync(string customerId, string applicationId, CancellationToken cancellationToken);
}

/// <summary>Queues notifications to applicants.</summary>
public interface IApplicantNotifier
{
    /// <summary>Queues a notice; the same notice for the same application is sent once.</summary>
    Task NotifyAsync(ApplicantNotice notice, CancellationToken cancellationToken);
}
