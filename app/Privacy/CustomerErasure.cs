using JisuDai.App.Behaviour;
using JisuDai.App.Files;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Privacy;

/// <summary>What an erasure request answers: processing restricted now, data shredded at <paramref name="ShredAfter"/>.</summary>
public sealed record ErasureAnswer(string Status, DateTimeOffset RequestedAt, DateTimeOffset ShredAfter, string Basis, DateTimeOffset? ShreddedAt)
{
    /// <summary>How a recorded erasure is shown: restricted until shredded.</summary>
    public static ErasureAnswer Of(Erasure e) => new(e.ShreddedAt is null ? "restricted" : "shredded", e.RequestedAt, e.ShredAfter, e.Basis, e.ShreddedAt);
}

/// <summary>
/// A customer's right to erasure (PIPL art. 47, GDPR art. 17). Refused while the customer owes or may be owed money
/// (a loan not paid off, written off or cancelled; an application still being decided, offered or accepted; a signed
/// debit agreement). Otherwise processing is restricted at once (no new application or verification) and the data
/// is shredded when the law's retention ends: <see cref="LoanRecordRetention"/> after the request for a customer who
/// borrowed (anti-money-laundering and credit records must be kept that long after the relationship ends), at the next
/// retention run for one who never did. Shredding destroys the customer's data key, which leaves every value sealed
/// under it unreadable (applications' identities, their files' bytes are deleted, their behaviour events deleted),
/// and clears the masked copies on the customer record. What stays: the pseudonymised decisions, loans and ledger the
/// law requires, and keyed fingerprints (ID number, phone, card), so erasure never lets a defaulter start clean.
/// </summary>
public sealed class CustomerErasure(IDocumentStore<Customer> customers, IDocumentStore<LoanApplication> applications, IDocumentStore<Loan> loans,
    IDocumentStore<DebitAgreement> agreements, IDocumentStore<CustomerFile> files, IFileBlobs fileBlobs, IBehaviourEvents behaviour, PersonalData personalData,
    TimeProvider clock, ILogger<CustomerErasure> logger)
{
    /// <summary>How long after an erasure request a borrower's records are kept (the five years of the AML law, art. 19).</summary>
    public static readonly TimeSpan LoanRecordRetention = TimeSpan.FromDays(5 * 365 + 1);

    static readonly HashSet<ApplicationStatus> Settled = [ApplicationStatus.Declined, ApplicationStatus.Cancelled, ApplicationStatus.Disbursed];

    /// <summary>Records the signed-in customer's request; asking again answers the recorded request.</summary>
    public async Task<Result<ErasureAnswer>> RequestAsync(Security.Caller caller, CancellationToken cancellationToken)
    {
        if (!DocumentKey.IsValid(caller.Subject) || caller.Subject.Contains('.'))
        {
            return Result<ErasureAnswer>.Forbidden("The token's subject is not a valid customer id.");
        }

        if (await customers.FindAsync(caller.Subject, caller.Subject, cancellationToken) is not { } found)
        {
            return Result<ErasureAnswer>.NotFound("There is no such customer.");
        }

        if (found.Document.Erasure is { } recorded)
        {
            return Result<ErasureAnswer>.Ok(ErasureAnswer.Of(recorded));
        }

        IReadOnlyList<Versioned<Loan>> held = await loans.ListByCustomerAsync(caller.Subject, cancellationToken);
        if (held.FirstOrDefault(l => !l.Document.IsClosed) is { } open)
        {
            return Result<ErasureAnswer>.Conflict($"Loan {open.Document.Id} is {open.Document.Status}: data is erased only once every loan is repaid or closed.");
        }

        if ((await applications.ListByCustomerAsync(caller.Subject, cancellationToken)).FirstOrDefault(a => !Settled.Contains(a.Document.Status)) is { } pending)
        {
            return Result<ErasureAnswer>.Conflict($"Application {pending.Document.Id} is {pending.Document.Status}: cancel it or wait for it to be decided first.");
        }

        if ((await agreements.ListByCustomerAsync(caller.Subject, cancellationToken)).FirstOrDefault(a => a.Document.Status == DebitAgreementStatus.Signed) is { } agreement)
        {
            return Result<ErasureAnswer>.Conflict($"Debit agreement {agreement.Document.Id} is {agreement.Document.Status}: end it first.");
        }

        DateTimeOffset now = clock.GetUtcNow();
        bool borrowed = held.Any(l => l.Document.Status != LoanStatus.Cancelled);
        var erasure = new Erasure(now, borrowed ? now + LoanRecordRetention : now,
            borrowed ? "loan records are kept five years after the relationship ends (AML law art. 19; credit reporting regulations art. 16)" : "no loan was booked: nothing must be kept");
        try
        {
            await customers.ReplaceAsync(found.Document with { Erasure = erasure }, found.ETag, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return Result<ErasureAnswer>.Conflict("The customer changed meanwhile; ask again.");
        }

        logger.LogInformation("Customer {Customer} asked for erasure; processing restricted, data shredded after {ShredAfter:u}", caller.Subject, erasure.ShredAfter);
        return Result<ErasureAnswer>.Ok(ErasureAnswer.Of(erasure));
    }

    /// <summary>Shreds every customer whose erasure is due at <paramref name="now"/>; the retention run calls it. Returns how many.</summary>
    public async Task<int> ShredDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        int shredded = 0;
        await foreach (Versioned<Customer> c in customers.ScanAsync(cancellationToken))
        {
            if (c.Document.Erasure is { ShreddedAt: null } erasure && erasure.ShredAfter <= now)
            {
                await ShredAsync(c, erasure, now, cancellationToken);
                shredded++;
            }
        }

        return shredded;
    }

    async Task ShredAsync(Versioned<Customer> customer, Erasure erasure, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string id = customer.Document.Id;
        // Each step can run again: a crash part-way leaves ShreddedAt unset, and the next run finishes.
        await personalData.ShredAsync(id, cancellationToken);
        foreach (Versioned<CustomerFile> file in await files.ListByCustomerAsync(id, cancellationToken))
        {
            await fileBlobs.DeleteAllAsync(file.Document.Id, cancellationToken);
        }

        int events = await behaviour.DeleteCustomerAsync(id, cancellationToken);
        for (Versioned<Customer>? current = customer; current is not null; current = await customers.FindAsync(id, id, cancellationToken))
        {
            Customer c = current.Document;
            try
            {
                await customers.ReplaceAsync(c with
                {
                    Verification = c.Verification is { } v ? v with { Masked = new Dictionary<string, string>() } : null,
                    Erasure = erasure with { ShreddedAt = now },
                }, current.ETag, cancellationToken);
                break;
            }
            catch (ConcurrencyConflictException)
            {
            }
        }

        logger.LogInformation("Shredded customer {Customer}'s personal data (data key destroyed, files and {Events} behaviour events deleted)", id, events);
    }
}
