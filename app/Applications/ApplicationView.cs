using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;

namespace JisuDai.App.Applications;

/// <summary>What the applicant and staff see of an application (no personal data); <paramref name="ProductVersion"/> is the version of the product it was taken under.</summary>
public sealed record ApplicationView(
    string Id, string CustomerId, string Status, string ProductCode, decimal Amount, int TermMonths, DateTimeOffset SubmittedAt,
    IReadOnlyList<ApplicationStep> History, PricedOffer? Offer, IReadOnlyList<string> Reasons, string? DecisionId, int ProductVersion)
{
    public static ApplicationView Of(LoanApplication a) => new(a.Id, a.CustomerId, a.Status.ToString(), a.ProductCode, a.Amount, a.TermMonths,
        a.SubmittedAt, a.History ?? [], a.Offer, a.Reasons ?? [], a.DecisionId, a.ProductTerms().Version);
}

/// <summary>An application accepted for processing: where to follow it.</summary>
/// <param name="Id">The application.</param>
/// <param name="Status">Its status when asked.</param>
/// <param name="DebitAgreement">The debit agreement made with an acceptance, for the borrower to sign in their payment app.</param>
/// <param name="Decision">With a submission: the credit decision, when it was made within the submission's budget (null: the approval decides it; follow <see cref="StatusUrl"/>).</param>
public sealed record ApplicationReceipt(string Id, string Status, Payments.DebitAgreementView? DebitAgreement = null, SubmittedDecision? Decision = null)
{
    /// <summary>Where its status is read.</summary>
    public string StatusUrl => $"/api/applications/{Id}";
}

/// <summary>
/// The credit decision in the submit response. The approval records it on the application as its first step (status
/// Offered, InReview or Declined, with the offer and its expiry), moments later; until then the application reads Submitted.
/// </summary>
/// <param name="Outcome">Approve, Review (a reviewer decides) or Decline.</param>
/// <param name="DecisionId">The recorded decision.</param>
/// <param name="Reasons">Reason codes.</param>
/// <param name="Offer">On approve, the offer priced at the decision date (its expiry is set when the approval records it).</param>
public sealed record SubmittedDecision(string Outcome, string DecisionId, IReadOnlyList<string> Reasons, PricedOffer? Offer)
{
    public static SubmittedDecision Of(ApprovalDecision decision) => new(decision.Outcome.ToString(), decision.DecisionId, decision.Reasons, decision.Offer);
}
