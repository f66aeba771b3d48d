using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using JisuDai.App.Notifications;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;

namespace JisuDai.App.Applications;

/// <summary>A borrower's submission: who, under which idempotency key, what they asked for, and the address it came from.</summary>
public sealed record Submission(Caller Caller, string? IdempotencyKey, ApplicationRequest Request, string? RemoteIp);

/// <summary>
/// Takes in applications from verified customers: checks every field and that the identity is the one the customer verified, stores the application (personal data sealed) under an id derived from
/// the customer and the idempotency key, decides it within the submission's budget (<see cref="DecisionAtSubmission"/>),
/// queues the receipt notice and starts the approval with the decision, which the response carries. A resubmission
/// under the same key with the same request answers the same application and decision, and decides and starts the
/// approval only if a crash stopped the first submission before it did (without a resubmission, <see cref="IntakeSweep"/>
/// does that); under the same key with another request it is a conflict.
/// </summary>
public sealed class ApplicationIntake(IDocumentStore<LoanApplication> documents, IIntakeLog intakeLog, IApplicantNotifier notifier, PersonalData personalData, ApprovalTimeouts timeouts,
    Products.LoanProducts products, Identity.CustomerDesk customers, DecisionAtSubmission decisionAtSubmission, TimeProvider clock)
{
    public async Task<Result<ApplicationReceipt>> SubmitAsync(Submission submission, IApprovalWorkflow approvals, CancellationToken cancellationToken)
    {
        (Caller caller, string? key, ApplicationRequest body, _) = submission;
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
        {
            return Result<ApplicationReceipt>.Invalid("Idempotency-Key", "the Idempotency-Key header is required (at most 200 characters).");
        }

        if (!DocumentKey.IsValid(caller.Subject) || caller.Subject.Contains('.'))
        {
            return Result<ApplicationReceipt>.Forbidden("The token's subject is not a valid customer id.");
        }

        DateTimeOffset now = clock.GetUtcNow();
        DateOnly today = LenderCalendar.DateOf(now);
        IReadOnlyDictionary<string, Lending.Products.LoanProduct> offered = await products.OfferedAsync(cancellationToken);
        var errors = body.Check(today, offered);
        if (errors.Count > 0)
        {
            return Result<ApplicationReceipt>.Invalid(errors);
        }

        // Only a verified customer applies, as the person they verified as (the payout goes to the card they verified).
        IReadOnlyList<Lending.DomainError> applicant = await customers.CheckApplicantAsync(caller.Subject,
            new Identity.RealNameClaim(body.Name!, body.IdNumber!.ToUpperInvariant(), body.Phone!, body.BankAccount!), cancellationToken);
        if (applicant is [{ Field: "customer" } unverified])
        {
            return Result<ApplicationReceipt>.Forbidden(unverified.Message);
        }

        if (applicant.Count > 0)
        {
            return Result<ApplicationReceipt>.Invalid(applicant);
        }

        string id = CustomerScopedId.Compose(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{caller.Subject}\n{key}")))[..20], caller.Subject);
        string hash = body.Hash(personalData);
        var identity = new ApplicantIdentitySealed(body.Name!.Trim(), body.IdNumber!.ToUpperInvariant(), body.Phone!, body.BankAccount!, body.DeviceId, submission.RemoteIp);
        LoanApplication application = new(id, caller.Subject, body.ProductCode!, body.Amount!.Value, body.TermMonths!.Value, ApplicationStatus.Submitted, now,
            hash, await personalData.SealAsync(identity, caller.Subject, id, cancellationToken),
            body.Fields(today), [new ApplicationStep("submitted", ApplicationStatus.Submitted, now, "Application received.")], MaskedPhone: PhoneMask.Mask(body.Phone!), Product: offered[body.ProductCode!],
            BureauConsent: body.BureauConsent == true ? new BureauConsent(Bureau.CreditReports.ConsentTextVersion, now, submission.RemoteIp, body.DeviceId) : null);
        // Logged first, so no stored application goes unlogged: the intake sweep starts the approval of one whose
        // submission stopped before starting it.
        await intakeLog.RecordAsync(new IntakeEntry(caller.Subject, id, now), cancellationToken);
        try
        {
            application = (await documents.CreateAsync(application, cancellationToken)).Document;
        }
        catch (DocumentAlreadyExistsException)
        {
            application = (await documents.FindAsync(caller.Subject, id, cancellationToken))!.Document;
            if (application.RequestHash != hash)
            {
                return Result<ApplicationReceipt>.Conflict("Idempotency-Key was used for another application; use a new key for a new application.");
            }

            identity = await personalData.OpenAsync<ApplicantIdentitySealed>(application.ProtectedIdentity, id, cancellationToken); // as first submitted

            // Started by id, so a resubmission after a crash between the writes decides (the recorded decision, not a
            // second one) and starts it, once, now; the notice is keyed the same way. A resubmission of a started
            // application answers the decision it was started with. (A new application cannot have been started.)
            if (await approvals.FindAsync(id, cancellationToken) is { } started)
            {
                return Result<ApplicationReceipt>.Ok(new ApplicationReceipt(id, application.Status.ToString(), Decision: started.Decision is { } d ? SubmittedDecision.Of(d) : null));
            }
        }

        // Stored, the application is seen through to a started approval even if the borrower hangs up meanwhile: left
        // here it would wait, Submitted, for a resubmission that may never come. The receipt notice goes out while the
        // application is decided: neither waits for the other.
        Task received = notifier.NotifyAsync(new ApplicantNotice(id, caller.Subject, "ApplicationReceived",
            new Dictionary<string, string> { ["amount"] = application.Amount.ToString("0.00", CultureInfo.InvariantCulture) }), CancellationToken.None);
        ApprovalDecision? decision = await decisionAtSubmission.TryDecideAsync(application, identity);
        await received;
        await approvals.StartAsync(new ApprovalInput(caller.Subject, id, application.Amount, timeouts, decision), CancellationToken.None);
        return Result<ApplicationReceipt>.Ok(new ApplicationReceipt(id, application.Status.ToString(), Decision: decision is null ? null : SubmittedDecision.Of(decision)));
    }
}
