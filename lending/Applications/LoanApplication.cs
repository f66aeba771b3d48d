using JisuDai.Lending.Documents;

namespace JisuDai.Lending.Applications;

/// <summary>Where a loan application is in its lifecycle.</summary>
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

/// <summary>A borrower's request for a loan.</summary>
/// <param name="Id">The application id.</param>
/// <param name="CustomerId">The applicant.</param>
/// <param name="ProductCode">The loan product applied for.</param>
/// <param name="Amount">The amount asked for, in yuan.</param>
/// <param name="TermMonths">The term asked for, in months.</param>
/// <param name="Status">Where the application is.</param>
/// <param name="SubmittedAt">When it was received.</param>
public sealed record LoanApplication(
    string Id,
    string CustomerId,
    string ProductCode,
    decimal Amount,
    int TermMonths,
    ApplicationStatus Status,
    DateTimeOffset SubmittedAt) : ICustomerDocument;
