using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Products;

namespace JisuDai.App.Applications;

/// <summary>The borrower's consent with an acceptance: the digests of the documents they were shown, and their device.</summary>
public sealed record ConsentBody(IReadOnlyList<string>? Digests, string? Device);

/// <summary>What the borrower says when accepting: their consent to the offer's documents, and whether they sign a debit agreement for the loan (委托代扣) with it.</summary>
public sealed record Acceptance(bool? DebitAgreement, ConsentBody? Consent = null);

/// <summary>
/// The borrower's side of an application after submission: reading it or all of a customer's (staff read any), accepting the offer, and
/// cancelling while it is submitted, in review or offered. Accepting and cancelling ask the approval, which records the
/// change; another customer's application reads as missing, so ids cannot be probed.
/// </summary>
public sealed class ApplicationAnswers(IDocumentStore<LoanApplication> documents, ApplicationStore applications, Payments.DebitDesk debits, TimeProvider clock)
{
    static readonly ApplicationStatus[] Cancellable = [ApplicationStatus.Submitted, ApplicationStatus.InReview, ApplicationStatus.Offered];

    public async Task<Result<ApplicationView>> GetAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        await FindAsync(id, customerId => caller.MaySee(customerId), cancellationToken) is { } application
            ? Result<ApplicationView>.Ok(ApplicationView.Of(application))
            : Result<ApplicationView>.NotFound($"There is no application {id}.");

    /// <summary>Every application of <paramref name="customerId"/>, newest first (a customer sees only their own; anyone else's reads as no customer).</summary>
    public async Task<Result<IReadOnlyList<ApplicationView>>> ListAsync(Caller caller, string customerId, CancellationToken cancellationToken)
    {
        if (!caller.MaySee(customerId) || !DocumentKey.IsValid(customerId))
        {
            return Result<IReadOnlyList<ApplicationView>>.NotFound($"There is no customer {customerId}.");
        }

        var found = await documents.ListByCustomerAsync(customerId, cancellationToken);
        return Result<IReadOnlyList<ApplicationView>>.Ok([.. found.Select(v => ApplicationView.Of(v.Document)).OrderByDescending(a => a.SubmittedAt)]);
    }

    /// <summary>
    /// The documents of the application's offer, as the borrower is to be shown them before accepting (with the debit
    /// agreement when <paramref name="withDebitAgreement"/>); once accepted, the documents they consented to (an offer
    /// priced again and offered anew is shown anew).
    /// </summary>
    public async Task<Result<IReadOnlyList<Disclosure>>> DocumentsAsync(Caller caller, string id, bool withDebitAgreement, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, customerId => caller.MaySee(customerId), cancellationToken) is not { } application)
        {
            return Result<IReadOnlyList<Disclosure>>.NotFound($"There is no application {id}.");
        }

        if (application is { Status: not ApplicationStatus.Offered, Consent: { } consent })
        {
            return Result<IReadOnlyList<Disclosure>>.Ok(consent.Documents);
        }

        return application is { Status: ApplicationStatus.Offered, Offer: { } offer }
            ? Result<IReadOnlyList<Disclosure>>.Ok(Disclosures.For(application.ProductTerms(), offer, id, withDebitAgreement))
            : Result<IReadOnlyList<Disclosure>>.Conflict($"The application is {application.Status}; it has no offer to show.");
    }

    /// <summary>
    /// Accepts the offer, with the borrower's consent to its documents (the digests of the key facts, the contract and,
    /// with <see cref="Acceptance.DebitAgreement"/>, the debit agreement, as <see cref="DocumentsAsync"/> rendered them
    /// for the offer as it stands), which is kept on the application and, at booking, on the loan. With a debit
    /// agreement it first makes the agreement at the provider, answered with what the borrower's payment app signs it with.
    /// </summary>
    public async Task<Result<ApplicationReceipt>> AcceptAsync(Caller caller, string id, Acceptance acceptance, IApprovalWorkflow approvals, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, customerId => caller.Subject == customerId, cancellationToken) is not { } application)
        {
            return Result<ApplicationReceipt>.NotFound($"There is no application {id}.");
        }

        if (application is not { Status: ApplicationStatus.Offered, Offer: { } offer })
        {
            return Result<ApplicationReceipt>.Conflict($"The application is {application.Status}; it cannot be accepted now.");
        }

        var errors = new List<Lending.DomainError>();
        if (acceptance.Consent?.Digests is not { Count: > 0 } digests)
        {
            errors.Add(new("consent.digests", "required", $"consent.digests must name the documents the borrower was shown (GET /api/applications/{id}/documents) by their digests."));
            digests = [];
        }

        if (acceptance.Consent?.Device is not { Length: > 0 and <= 200 } device)
        {
            errors.Add(new("consent.device", "required", "consent.device must name the device the borrower accepted on (1 to 200 characters)."));
            device = "";
        }

        if (errors.Count > 0)
        {
            return Result<ApplicationReceipt>.Invalid(errors);
        }

        LoanProduct product = application.ProductTerms();
        IReadOnlyList<Disclosure> shown = Disclosures.For(product, offer, id, acceptance.DebitAgreement == true);
        if (shown.FirstOrDefault(d => !digests.Contains(d.Digest)) is { } unseen)
        {
            return Result<ApplicationReceipt>.Conflict($"The {unseen.Kind} consented to is not the offer's as it stands (its digest is {unseen.Digest}); show the documents again and accept with their digests.");
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

        // The consent is kept before the acceptance is passed on, so the loan booked from it always has it.
        var consent = new AcceptanceConsent(clock.GetUtcNow(), device, shown);
        Lending.Outcome<LoanApplication> kept = await applications.ChangeAsync(application.CustomerId, id, a =>
            a is { Status: ApplicationStatus.Offered, Offer: { } now } && Disclosures.For(product, now, id, acceptance.DebitAgreement == true).Select(d => d.Digest).SequenceEqual(shown.Select(d => d.Digest))
            ? Lending.Outcome<LoanApplication>.Success(a with { Consent = consent })
            : Lending.Outcome<LoanApplication>.Failure([new("status", "offered", $"The application is {a.Status}, or its offer changed; it cannot be accepted now.")]), cancellationToken);
        if (!kept.Succeeded)
        {
            return Result<ApplicationReceipt>.Conflict(kept.Errors[0].Message);
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
