using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;
using JisuDai.Risk.Bureau;

namespace JisuDai.App.Bureau;

/// <summary>
/// One application's use of the credit bureau, recorded once: the authorisation it was made under, what came of it, and
/// the report (asked for now, or an earlier one of the customer's still fresh, named in <paramref name="ReportFrom"/>).
/// </summary>
/// <param name="Id">A hash of the application id, a dot, the customer id.</param>
/// <param name="CustomerId">The customer (the partition).</param>
/// <param name="ApplicationId">The application it was for.</param>
/// <param name="At">When.</param>
/// <param name="Consent">The applicant's authorisation.</param>
/// <param name="Status">found, not-found or unavailable.</param>
/// <param name="Report">The report used, when the bureau answered.</param>
/// <param name="ReportFrom">The inquiry that asked the bureau, when this one reused its report; null when this one asked.</param>
public sealed record BureauInquiry(
    string Id, string CustomerId, string ApplicationId, DateTimeOffset At, BureauConsent Consent, string Status, CreditReport? Report, string? ReportFrom) : ICustomerDocument;
