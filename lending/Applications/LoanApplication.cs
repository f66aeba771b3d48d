using System.Text.Json.Serialization;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Applications;

/// <summary>Where a loan application is in its lifecycle.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApplicationStatus>))]
public enum ApplicationStatus
{
    /// <summary>Received, not yet decided.</summary>
    Submitted,
    /// <summary>Waiting for a reviewer.</summary>
    InReview,
    /// <summary>An offer was made and waits for the borrower.</summary>
    Offered,
    /// <summary>The borrower accepted; disbursement follows.</summary>
    Accepted,
    /// <summary>Declined by the rules, the model or a reviewer.</summary>
    Declined,
    /// <summary>Cancelled by the borrower or expired.</summary>
    Cancelled,
    /// <summary>Money was paid out and a loan booked.</summary>
    Disbursed,
}

/// <summary>One step in an application's history.</summary>
/// <param name="Id">The step's id, unique in the application, so recording it twice records it once.</param>
/// <param name="Status">The status after the step.</param>
/// <param name="At">When it happened.</param>
/// <param name="Detail">What happened, for the applicant and the audit trail.</param>
public sealed record ApplicationStep(string Id, ApplicationStatus Status, DateTimeOffset At, string Detail);

/// <summary>A borrower's request for a loan.</summary>
/// <param name="Id">The application id.</param>
/// <param name="CustomerId">The applicant.</param>
/// <param name="ProductCode">The loan product applied for.</param>
/// <param name="Amount">The amount asked for, in yuan.</param>
/// <param name="TermMonths">The term asked for, in months.</param>
/// <param name="Status">Where the application is.</param>
/// <param name="SubmittedAt">When it was received.</param>
/// <param name="RequestHash">A hash of the submitted request, so a resubmission under the same key is recognised.</param>
/// <param name="ProtectedIdentity">The applicant's identity and bank account, sealed by the edge; the domain never reads it.</param>
/// <param name="Fields">The application's non-personal fields (income, employment, housing, debts, purpose...).</param>
/// <param name="History">Every step so far, oldest first.</param>
/// <param name="Offer">The offer, once made: priced once, when it was made.</param>
/// <param name="DecisionId">The credit decision's id, once decided.</param>
/// <param name="Reasons">Reason codes of a decline or a referral.</param>
/// <param name="MaskedPhone">The applicant's phone, masked, for staff screens.</param>
/// <param name="Consent">The borrower's consent to the offer's documents, given with their acceptance.</param>
/// <param name="Product">The product's terms as published when the application was received (the version it is decided, priced and booked under); null on applications stored before, which were all Express version 1.</param>
/// <param name="BureauConsent">The applicant's authorisation to ask a credit bureau about them, when given.</param>
public sealed record LoanApplication(
    string Id,
    string CustomerId,
    string ProductCode,
    decimal Amount,
    int TermMonths,
    ApplicationStatus Status,
    DateTimeOffset SubmittedAt,
    string RequestHash = "",
    string ProtectedIdentity = "",
    IReadOnlyDictionary<string, string?>? Fields = null,
    IReadOnlyList<ApplicationStep>? History = null,
    PricedOffer? Offer = null,
    string? DecisionId = null,
    IReadOnlyList<string>? Reasons = null,
    string MaskedPhone = "",
    AcceptanceConsent? Consent = null,
    Products.LoanProduct? Product = null,
    BureauConsent? BureauConsent = null) : ICustomerDocument
{
    /// <summary>The terms the application is under: its own copy, or the built-in Express for one stored before it kept one.</summary>
    public Products.LoanProduct ProductTerms() => Product ?? Products.BuiltInProducts.Express;
}
