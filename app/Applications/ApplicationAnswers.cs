using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;

namespace JisuDai.App.Applications;

/// <summary>
/// The borrower's side of an application after submission: reading it (staff read any), accepting the offer, and
/// cancelling while it is submitted, in review or offered. Accepting and cancelling ask the approval, which records the
/// change; another customer's application reads as missing, so ids cannot be probed.
/// </summary>
/// <summary>What the borrower says when accepting: whether they sign a debit agreement for the loan (委托代扣) with it.</summary>
public sealed record Acceptance(bool? DebitAgreement);

public sealed class ApplicationAnswers(IDocumentStore<LoanApplication> documents, Payments.DebitDesk debits)
{
    static readonly ApplicationStatus[] Cancellable = [ApplicationStatus.Submitted, ApplicationStatus.InReview, ApplicationStatus.Offered];

    public async Task<Result<ApplicationView>> GetAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        await FindAsync(id, customerId => caller.MaySee(customerId), cancellationToken) is { } application
            ? Result<ApplicationView>.Ok(ApplicationView.Of(application))
            : Result<ApplicationView>.NotFound($"There is no application {id}.");

    /// <summary>
    /// Accepts the offer; with <see cref="Acceptance.DebitAgreement"/>, first makes the loan's debit agreement at the
    /// provider, answered with what the borrower's payment app signs it with.
    /// </summary>
    public async Task<Result<ApplicationReceipt>> AcceptAsync(Caller caller, string id, Acceptance acceptance, IApprovalWorkflow approvals, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, customerId => caller.Subject == customerId, cancellationToken) is not { } application)
        {
            return Result<ApplicationReceipt>.NotFound($"There is no application {id}.");
        }

        if (application.Status != ApplicationStatus.Offered)
        {
            return Result<ApplicationReceipt>.Conflict($"The application is {application.Status}; it cannot be accepted now.");
        }

        Payments.DebitAgreementView? agreement = null;
        if (acceptance.DebitAgreement == true)
        {
            Result<Recorded<Payments.DebitAgreementView>> signed = await debits.SignAsync(caller, application.CustomerId, id, cancellationToken);
            if (!signed.Succeeded)
            {
                return signed.As<ApplicationReceipt>();
            }

            agreement = signed.Value!.Value;
        }

        await approvals.AcceptOfferAsync(id, cancellationToken);
        return Result<ApplicationReceipt>.Ok(new ApplicationReceipt(id, application.Status.ToString(), agreement));
    }

    /// <summary>Asks for the cancellation; the answer is the status when asked (the approval records Cancelled moments later, unless the borrower accepted first).</summary>
    public async Task<Result<ApplicationReceipt>> CancelAsync(Caller caller, string id, IApprovalWorkflow approvals, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, customerId => caller.Subject == customerId, cancellationToken) is not { } application)
        {
            return Result<ApplicationReceipt>.NotFound($"There is no application {id}.");
        }

        if (!Cancellable.Contains(application.Status))
        {
            return Result<ApplicationReceipt>.Conflict($"The application is {application.Status}; it cannot be cancelled now.");
        }

        await approvals.CancelAsync(application, cancellationToken);
        return Result<ApplicationReceipt>.Ok(new ApplicationReceipt(id, application.Status.ToString()));
    }

    async Task<LoanApplication?> FindAsync(string id, Func<string, bool> maySee, CancellationToken cancellationToken) =>
        CustomerScopedId.CustomerOf(id) is { } customerId && maySee(customerId)
            ? (await documents.FindAsync(customerId, id, cancellationToken))?.Document
            : null;
}
