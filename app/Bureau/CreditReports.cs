using System.Security.Cryptography;
using System.Text;
using JisuDai.App.Applications;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;
using JisuDai.Risk.Bureau;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Bureau;

/// <summary>
/// The credit bureau's findings for an application: none without the applicant's authorisation; with it, the report of
/// the customer's last inquiry if it is younger than the cache period (<c>Bureau:CacheDays</c>, default 30), else a new
/// inquiry. Each application's use is recorded once (<see cref="BureauInquiry"/>), so a retried decision reads the same
/// report and never asks the bureau twice. A bureau that does not answer gives the status unavailable, which the rules see.
/// </summary>
public sealed class CreditReports(IDocumentStore<BureauInquiry> inquiries, ICreditBureau bureau, TimeSpan cacheFor, TimeProvider clock, ILogger<CreditReports> logger)
{
    /// <summary>The version of the authorisation text applicants agree to with <c>bureauConsent: true</c>.</summary>
    public const string ConsentTextVersion = "bureau-consent-v1";

    /// <summary>The findings for <paramref name="application"/>, whose applicant is <paramref name="identity"/>.</summary>
    public async Task<BureauFindings> ForAsync(LoanApplication application, ApplicantIdentitySealed identity, CancellationToken cancellationToken)
    {
        if (application.BureauConsent is not { } consent)
        {
            return BureauFindings.None;
        }

        string id = CustomerScopedId.Compose("b" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(application.Id)))[..19], application.CustomerId);
        if (await inquiries.FindAsync(application.CustomerId, id, cancellationToken) is { } recorded)
        {
            return Findings(recorded.Document);
        }

        DateTimeOffset now = clock.GetUtcNow();
        BureauInquiry? fresh = (await inquiries.ListByCustomerAsync(application.CustomerId, cancellationToken))
            .Select(v => v.Document)
            .Where(i => i.Report is not null && i.ReportFrom is null && now - i.At < cacheFor)
            .MaxBy(i => i.At);
        BureauInquiry inquiry;
        if (fresh is not null)
        {
            inquiry = new BureauInquiry(id, application.CustomerId, application.Id, now, consent, fresh.Status, fresh.Report, fresh.Id);
        }
        else
        {
            try
            {
                CreditReport report = await bureau.InquireAsync(
                    new BureauQuestion(identity.Name, identity.IdNumber, identity.Phone, "loan-approval", id, consent.At), cancellationToken);
                inquiry = new BureauInquiry(id, application.CustomerId, application.Id, now, consent, report.Found ? BureauStatus.Found : BureauStatus.NotFound, report, null);
            }
            catch (CreditBureauUnavailableException e)
            {
                logger.LogWarning("The credit bureau did not answer for application {ApplicationId}: {Reason}", application.Id, e.Message);
                inquiry = new BureauInquiry(id, application.CustomerId, application.Id, now, consent, BureauStatus.Unavailable, null, null);
            }
        }

        // Once the bureau has been asked its answer is recorded whatever the caller's cancellation says: asking again
        // would be a second paid inquiry on the borrower's file.
        try
        {
            await inquiries.CreateAsync(inquiry, CancellationToken.None);
            return Findings(inquiry);
        }
        catch (DocumentAlreadyExistsException)
        {
            return Findings((await inquiries.FindAsync(application.CustomerId, id, CancellationToken.None))!.Document); // the same decision at once elsewhere
        }
    }

    static BureauFindings Findings(BureauInquiry inquiry) => new(inquiry.Status, inquiry.Report, inquiry.Id);
}
