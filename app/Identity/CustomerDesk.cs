using JisuDai.App.Notifications;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Risk.Decisions;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Identity;

/// <summary>The four elements a customer verifies.</summary>
public sealed record VerificationBody(string? Name, string? IdNumber, string? Phone, string? BankAccount);

/// <summary>What verifying came to: the customer the person is, and whether the app must sign in again to act as them.</summary>
/// <param name="CustomerId">The customer the person is (an earlier one when they had signed up before).</param>
/// <param name="Verified">True: verified.</param>
/// <param name="SignInAgain">True when the person proved to be an earlier customer: signing in again with this number reaches them.</param>
public sealed record VerificationAnswer(string CustomerId, bool Verified, bool SignInAgain);

/// <summary>A loan as the customer's profile lists it.</summary>
public sealed record CustomerLoan(string Id, string Status, decimal Principal, DateOnly DisbursedOn, int DaysPastDue);

/// <summary>The latest credit decision on the customer: the band their score fell in and the limit it set.</summary>
public sealed record CustomerStanding(DateTimeOffset DecidedAt, string Outcome, string Band, decimal Limit);

/// <summary>What a customer sees of themselves: verification (masked), standing, loans and behaviour score.</summary>
public sealed record CustomerProfile(
    string CustomerId, DateTimeOffset RegisteredAt, string Verification, DateTimeOffset? VerifiedAt, IReadOnlyDictionary<string, string>? Identity,
    CustomerStanding? Standing, double? BehaviourScore, IReadOnlyList<CustomerLoan> Loans, string? MergedInto, Privacy.ErasureAnswer? Erasure = null);

/// <summary>
/// Customers and their real-name verification. A customer verifies once with the four elements (name, resident ID
/// number, mobile number, a bank card in their name) through <see cref="IRealNameCheck"/>; the number must be the one
/// they signed up with. One person is one customer: the first customer verified with an ID number keeps it (a
/// <see cref="ResidentIdentity"/> written once), and a later sign-up verifying with the same ID number is merged into
/// that customer, its number signing in as them from then on, so their history follows them and a defaulter cannot
/// start clean. Only a verified customer may apply, with the elements they verified.
/// </summary>
public sealed class CustomerDesk(
    IDocumentStore<Customer> customers, IDocumentStore<ResidentIdentity> people, IDocumentStore<PhoneSignIn> phones, IDocumentStore<Loan> loans,
    IDocumentStore<CreditDecision> decisions, IRealNameCheck check, PersonalData personalData, TimeProvider clock, ILogger<CustomerDesk> logger)
{
        public async Task<Result<VerificationAnswer>> VerifyAsync(Caller caller, VerificationBody body, CancellationToken cancellationToken)
    {
        if (!DocumentKey.IsValid(caller.Subject) || caller.Subject.Contains('.'))
        {
            return Result<VerificationAnswer>.Forbidden("The token's subject is not a valid customer id.");
        }

        DateTimeOffset now = clock.GetUtcNow();
        var errors = Check(body, LenderCalendar.DateOf(now));
        if (errors.Count > 0)
        {
            return Result<VerificationAnswer>.Invalid(errors);
        }

        var claim = new RealNameClaim(body.Name!.Trim(), body.IdNumber!.ToUpperInvariant(), body.Phone!, body.BankAccount!);
        Dictionary<string, string> fingerprints = FingerprintsOf(claim);
        Versioned<Customer> found = await customers.FindAsync(caller.Subject, caller.Subject, cancellationToken)
            ?? await CreateAsync(new Customer(caller.Subject, now), cancellationToken);
        Customer customer = found.Document;
        if (customer.MergedInto is { } merged)
        {
            return Result<VerificationAnswer>.Ok(new VerificationAnswer(merged, true, true));
        }

        if (customer.Erasure is not null)
        {
            return Result<VerificationAnswer>.Forbidden("This customer asked for their data to be erased: processing is restricted and nothing is verified.");
        }

        if (customer.Verification is { } done)
        {
            if (done.Name != fingerprints["name"] || done.IdNumber != fingerprints["idNumber"])
            {
                return Result<VerificationAnswer>.Conflict("This customer is verified already as another person.");
            }

            if (done.Covers(fingerprints["name"], fingerprints["idNumber"], fingerprints["phone"], fingerprints["bankAccount"]))
            {
                return Result<VerificationAnswer>.Ok(new VerificationAnswer(customer.Id, true, false));
            }
        }

        if (customer.PhoneFingerprint is { } signedUpWith && signedUpWith != fingerprints["phone"])
        {
            return Result<VerificationAnswer>.Invalid("phone", "phone must be the number this customer signed up with.");
        }

        RealNameResult result;
        try
        {
            result = await check.CheckAsync(claim, cancellationToken);
        }
        catch (RealNameUnavailableException e)
        {
            logger.LogWarning(e, "The real-name check could not be made for customer {Customer}.", customer.Id);
            return Result<VerificationAnswer>.NotReady("The real-name check cannot be made just now; try again shortly.");
        }

        if (!result.Passed)
        {
            logger.LogInformation("Customer {Customer} failed the real-name check: {Code} {Description} ({Reference}).", customer.Id, result.Code, result.Description, result.Reference);
            return result.Field is { } field
                ? Result<VerificationAnswer>.Invalid(field, $"{field} was refused by the real-name check: {result.Description}")
                : Result<VerificationAnswer>.Unprocessable($"The real-name check did not pass: {result.Description} The name, ID number, phone and bank card must be one person's, as their bank holds them.");
        }

        RealNameVerification Verified(RealNameVerification? before) =>
            (before ?? new RealNameVerification(now, fingerprints["name"], fingerprints["idNumber"], [], [], Masked(claim), result.Reference))
                .With(fingerprints["phone"], fingerprints["bankAccount"], now, Masked(claim), result.Reference);
        string person = fingerprints["idNumber"];
        ResidentIdentity identity;
        try
        {
            identity = (await people.CreateAsync(new ResidentIdentity(person, customer.Id, now), cancellationToken)).Document;
        }
        catch (DocumentAlreadyExistsException)
        {
            identity = (await people.FindAsync(person, person, cancellationToken))!.Document;
        }

        if (identity.Customer == customer.Id)
        {
            await UpdateAsync(found, c => c with { Verification = Verified(c.Verification) }, cancellationToken);
            return Result<VerificationAnswer>.Ok(new VerificationAnswer(customer.Id, true, false));
        }

        // The person was a customer before: they are that customer, with the elements they verified now.
        await UpdateAsync(await customers.FindAsync(identity.Customer, identity.Customer, cancellationToken)
            ?? throw new InvalidOperationException($"Resident identity {person[..8]} names customer {identity.Customer}, who is not stored."), c => c with { Verification = Verified(c.Verification) }, cancellationToken);
        await UpdateAsync(found, c => c with { MergedInto = identity.Customer }, cancellationToken);
        if (customer.PhoneFingerprint is { } phone && await phones.FindAsync(phone, phone, cancellationToken) is { Document.Customer: var signsInAs } signIn && signsInAs == customer.Id)
        {
            await phones.ReplaceAsync(signIn.Document with { Customer = identity.Customer }, signIn.ETag, cancellationToken);
        }

        logger.LogInformation("Customer {Customer} proved to be customer {Earlier}, verified before; merged into them.", customer.Id, identity.Customer);
        return Result<VerificationAnswer>.Ok(new VerificationAnswer(identity.Customer, true, true));
    }

    public async Task<Result<CustomerProfile>> ProfileAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (!DocumentKey.IsValid(caller.Subject) || caller.Subject.Contains('.'))
        {
            return Result<CustomerProfile>.Forbidden("The token's subject is not a valid customer id.");
        }

        Customer customer = (await customers.FindAsync(caller.Subject, caller.Subject, cancellationToken))?.Document ?? new Customer(caller.Subject, clock.GetUtcNow());
        var held = (await loans.ListByCustomerAsync(customer.Id, cancellationToken)).Select(v => v.Document).ToList();
        CreditDecision? latest = (await decisions.ListByCustomerAsync(customer.Id, cancellationToken)).Select(v => v.Document).MaxBy(d => d.DecidedAt);
        DateOnly today = LenderCalendar.DateOf(clock.GetUtcNow());
        return Result<CustomerProfile>.Ok(new CustomerProfile(
            customer.Id, customer.RegisteredAt, customer.Verification is null ? "unverified" : "verified", customer.Verification?.VerifiedAt, customer.Verification?.Masked,
            latest is null ? null : new CustomerStanding(latest.DecidedAt, latest.Result.Outcome.ToString(), latest.Score.Band, latest.Result.Limit),
            held.Count == 0 ? null : BehaviourScore.Of(held, today).Score,
            held.OrderBy(l => l.DisbursedOn).Select(l => new CustomerLoan(l.Id, l.Status.ToString(), l.Principal, l.DisbursedOn, l.DaysPastDue)).ToList(),
            customer.MergedInto, customer.Erasure is { } e ? Privacy.ErasureAnswer.Of(e) : null));
    }

    /// <summary>
    /// The fields of an application at fault against its customer's verification: none when the customer is verified
    /// and the application carries the elements they verified; otherwise why not (field "customer" when unverified).
    /// </summary>
    public async Task<IReadOnlyList<DomainError>> CheckApplicantAsync(string customerId, RealNameClaim applicant, CancellationToken cancellationToken)
    {
        Customer? customer = (await customers.FindAsync(customerId, customerId, cancellationToken))?.Document;
        if (customer?.MergedInto is { } merged)
        {
            return [new DomainError("customer", "signed-in-as-merged", $"This customer is now {merged}: sign in again to apply.")];
        }

        if (customer?.Erasure is not null)
        {
            return [new DomainError("customer", "erasure-requested", "This customer asked for their data to be erased: processing is restricted and no new application is taken.")];
        }

        if (customer?.Verification is not { } verification)
        {
            return [new DomainError("customer", "verified", "Verify your identity before applying: POST /api/customers/me/verification with your name, ID number, phone and bank card.")];
        }

        Dictionary<string, string> given = FingerprintsOf(applicant);
        var errors = new List<DomainError>();
        if (given["name"] != verification.Name || given["idNumber"] != verification.IdNumber)
        {
            errors.Add(new(given["idNumber"] != verification.IdNumber ? "idNumber" : "name", "as-verified",
                $"The applicant must be the person this customer verified as ({verification.Masked.GetValueOrDefault("name")}, {verification.Masked.GetValueOrDefault("idNumber")})."));
        }

        if (!verification.Phones.Contains(given["phone"]))
        {
            errors.Add(new("phone", "as-verified", "phone must be one this customer verified (verify it with POST /api/customers/me/verification)."));
        }

        if (!verification.Cards.Contains(given["bankAccount"]))
        {
            errors.Add(new("bankAccount", "as-verified", "bankAccount must be a card this customer verified (verify it with POST /api/customers/me/verification): payouts go only to a verified card."));
        }

        return errors;
    }

    Dictionary<string, string> FingerprintsOf(RealNameClaim claim) => new(StringComparer.Ordinal)
    {
        ["name"] = personalData.Fingerprint("real-name-name", claim.Name.Trim()),
        ["idNumber"] = personalData.Fingerprint("idNumber", claim.IdNumber),
        ["phone"] = personalData.Fingerprint("sign-in-phone", claim.Phone),
        ["bankAccount"] = personalData.Fingerprint("bank-account", claim.BankCard),
    };

    static Dictionary<string, string> Masked(RealNameClaim claim) => new(StringComparer.Ordinal)
    {
        ["name"] = PersonalDataMask.Name(claim.Name),
        ["idNumber"] = PersonalDataMask.IdNumber(claim.IdNumber),
        ["phone"] = PhoneMask.Mask(claim.Phone),
        ["bankAccount"] = claim.BankCard.Length > 4 ? $"****{claim.BankCard[^4..]}" : "****",
    };

    async Task<Versioned<Customer>> CreateAsync(Customer customer, CancellationToken cancellationToken)
    {
        try
        {
            return await customers.CreateAsync(customer, cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            return (await customers.FindAsync(customer.Id, customer.Id, cancellationToken))!;
        }
    }

    async Task UpdateAsync(Versioned<Customer> found, Func<Customer, Customer> change, CancellationToken cancellationToken)
    {
        for (Versioned<Customer>? current = found; current is not null; current = await customers.FindAsync(found.Document.Id, found.Document.Id, cancellationToken))
        {
            try
            {
                await customers.ReplaceAsync(change(current.Document), current.ETag, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException)
            {
                // changed meanwhile: apply the change to it as it is now
            }
        }
    }

    static List<DomainError> Check(VerificationBody body, DateOnly today)
    {
        var errors = new List<DomainError>();
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 50)
        {
            errors.Add(new("name", "required", "name is required, at most 50 characters."));
        }
        else if (body.Name.Trim().Normalize(System.Text.NormalizationForm.FormKC) != body.Name.Trim())
        {
            errors.Add(new("name", "normal-form", "name must be written in its normal form (no full-width letters or compatibility characters)."));
        }

        if (body.IdNumber is null || !ResidentId.IsValid(body.IdNumber))
        {
            errors.Add(new("idNumber", "resident-id", "idNumber must be an 18-character resident ID number with a valid check digit."));
        }
        else if (ResidentId.AgeOn(body.IdNumber, today) < 18)
        {
            errors.Add(new("idNumber", "adult", "a customer must be 18 or older."));
        }

        if (!MobileNumber.IsValid(body.Phone))
        {
            errors.Add(new("phone", "mobile", "phone must be a mainland mobile number as +861XXXXXXXXXX."));
        }

        if (!BankCard.IsValid(body.BankAccount))
        {
            errors.Add(new("bankAccount", "card-number", "bankAccount must be a card number: 12 to 19 digits ending in its Luhn check digit."));
        }

        return errors;
    }
}
