using Azure;
using Azure.Data.Tables;
using JisuDai.Functions.Configuration;
using JisuDai.Functions.Notifications;
using JisuDai.Functions.Risk;
using JisuDai.Functions.Security;
using JisuDai.Functions.Storage;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;
using JisuDai.Orchestrations.Approval;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Decisions;

namespace JisuDai.Functions.Applications;

/// <summary>Reads and changes applications under their ETag, so concurrent steps never overwrite one another.</summary>
public sealed class ApplicationStore(IDocumentStore<LoanApplication> documents)
{
    public async Task<LoanApplication> GetAsync(string customerId, string applicationId, CancellationToken cancellationToken) =>
        (await documents.FindAsync(customerId, applicationId, cancellationToken))?.Document
        ?? throw new DocumentNotFoundException("Application", customerId, applicationId);

    /// <summary>Applies <paramref name="change"/> to the current application and saves it, re-reading on a concurrent change.</summary>
    public async Task<Outcome<LoanApplication>> ChangeAsync(string customerId, string applicationId, Func<LoanApplication, Outcome<LoanApplication>> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            Versioned<LoanApplication> current = await documents.FindAsync(customerId, applicationId, cancellationToken)
                ?? throw new DocumentNotFoundException("Application", customerId, applicationId);
            Outcome<LoanApplication> changed = change(current.Document);
            if (!changed.Succeeded || ReferenceEquals(changed.Value, current.Document))
            {
                return changed;
            }

            try
            {
                await documents.ReplaceAsync(changed.Value!, current.ETag, cancellationToken);
                return changed;
            }
            catch (ConcurrencyConflictException)
            {
                // Someone else changed it since we read it: apply the change to what is there now.
            }
        }
    }
}

/// <summary>Decides an application with the credit-decision service, keyed by the application so a retry decides once.</summary>
/// <remarks>A returning customer is decided with the behaviour score of the loans they already have, as of the day they applied.</remarks>
public sealed class ApplicationDecider(ApplicationStore applications, CreditDecisions decisions, PersonalData personalData, IDocumentStore<Loan> loans) : IApplicationDecider
{
    public async Task<ApprovalDecision> DecideAsync(string customerId, string applicationId, CancellationToken cancellationToken)
    {
        LoanApplication application = await applications.GetAsync(customerId, applicationId, cancellationToken);
        ApplicantIdentitySealed identity = personalData.Open<ApplicantIdentitySealed>(application.ProtectedIdentity, application.Id);
        IReadOnlyList<Versioned<Loan>> history = await loans.ListByCustomerAsync(customerId, cancellationToken);
        CustomerHistory? customer = history.Count == 0 ? null
            : new CustomerHistory(BehaviourScore.Of(history.Select(v => v.Document), LenderCalendar.DateOf(application.SubmittedAt)).Score);
        DecisionOutcome outcome = await decisions.DecideAsync(new DecisionCommand(
            $"application:{application.Id}", customerId, application.Id, application.ProductCode, application.Fields ?? new Dictionary<string, string?>(),
            new ApplicantIdentity(identity.IdNumber, identity.Phone, identity.Name, identity.DeviceId, identity.Ip), customer), cancellationToken);
        return outcome switch
        {
            DecisionOutcome.Decided(CreditDecision d, _) => new ApprovalDecision(d.Result.Outcome, d.Id, d.Result.OfferAmount, d.Result.TermMonths, d.Result.AnnualRate,
                d.Result.Reasons.Count > 0 || d.Result.Outcome == "approve" ? d.Result.Reasons : d.Score.Reasons.Select(r => r.Code).ToList()),
            DecisionOutcome.Invalid(var errors) => new ApprovalDecision("decline", "", 0, 0, 0, [$"INVALID_APPLICATION: {string.Join("; ", errors.Select(e => e.Field))}"]),
            DecisionOutcome.NotReady => throw new InvalidOperationException("The risk model is not loaded yet; the activity will retry."),
            _ => throw new InvalidOperationException($"Application {application.Id}'s decision key was reused; this is a bug."),
        };
    }
}

/// <summary>
/// Records application steps: status and history under the application's ETag, the offer priced under the product, and
/// the manual-review queue (entered on referral, left on any later step).
/// </summary>
public sealed class ApplicationRecorder(ApplicationStore applications, ReviewQueue reviews) : IApplicationRecorder
{
    public async Task<ApplicationStatus> RecordAsync(ApplicationStepRecord record, CancellationToken cancellationToken)
    {
        bool wasInReview = false;
        Outcome<LoanApplication> outcome = await applications.ChangeAsync(record.CustomerId, record.ApplicationId, current =>
        {
            wasInReview |= current.Status == ApplicationStatus.InReview || (current.History ?? []).Any(s => s.Status == ApplicationStatus.InReview);
            return ApplicationLifecycle.Record(current, record.Step, moved => moved with
            {
                Offer = record.Offer is { } terms ? Price(moved, terms) : moved.Offer,
                Reasons = record.Reasons ?? moved.Reasons,
                DecisionId = record.DecisionId ?? moved.DecisionId,
            });
        }, cancellationToken);
        LoanApplication application = outcome.Succeeded
            ? outcome.Value!
            : await applications.GetAsync(record.CustomerId, record.ApplicationId, cancellationToken); // e.g. cancelled meanwhile: it stays as it is

        if (application.Status == ApplicationStatus.InReview)
        {
            await reviews.EnterAsync(application, escalated: application.History!.Any(s => s.Id == "escalated"), cancellationToken);
        }
        else if (wasInReview)
        {
            await reviews.LeaveAsync(application.Id, cancellationToken);
        }

        return application.Status;
    }

    static ApplicationOffer Price(LoanApplication application, OfferTerms terms)
    {
        LoanProduct product = ProductCatalog.All[application.ProductCode];
        Outcome<RepaymentSchedule> schedule = Offers.Price(product, new OfferRequest(terms.Amount, terms.TermMonths, terms.AnnualRate, product.Methods[0], LenderCalendar.DateOf(terms.ExpiresAt)));
        return schedule.Succeeded
            ? new ApplicationOffer(terms.Amount, terms.TermMonths, terms.AnnualRate, schedule.Value!.Apr, schedule.Value.RegularInstallment, terms.ExpiresAt)
            : throw new InvalidOperationException($"The offer for {application.Id} does not price under {product.Code}: {string.Join(" ", schedule.Errors.Select(e => e.Message))}");
    }
}

/// <summary>The manual-review queue in Table storage <c>reviews</c>: one row per referred application, oldest first; a reviewer claims a row under its ETag, so two reviewers cannot both decide.</summary>
public sealed class ReviewQueue(TableServiceClient tables)
{
    const string Partition = "queue";
    readonly OnceCreatedTable table = new(tables, "reviews");

    public sealed record Entry(string ApplicationId, string CustomerId, string? DecisionId, DateTimeOffset SubmittedAt, bool Escalated, string? ClaimedBy, ETag ETag);

    public async Task EnterAsync(LoanApplication application, bool escalated, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await client.UpsertEntityAsync(new TableEntity(Partition, application.Id)
        {
            ["CustomerId"] = application.CustomerId, ["DecisionId"] = application.DecisionId, ["SubmittedAt"] = application.SubmittedAt, ["Escalated"] = escalated,
        }, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task LeaveAsync(string applicationId, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await client.DeleteEntityAsync(Partition, applicationId, ETag.All, cancellationToken);
    }

    /// <summary>The queue, oldest application first (decided ones that have not moved on yet included, marked by ClaimedBy).</summary>
    public async Task<IReadOnlyList<Entry>> ListAsync(CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        var entries = new List<Entry>();
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            entries.Add(Read(e));
        }

        return entries.OrderBy(e => e.SubmittedAt).ThenBy(e => e.ApplicationId, StringComparer.Ordinal).ToList();
    }

    public async Task<Entry?> FindAsync(string applicationId, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        NullableResponse<TableEntity> found = await client.GetEntityIfExistsAsync<TableEntity>(Partition, applicationId, cancellationToken: cancellationToken);
        return found.HasValue ? Read(found.Value!) : null;
    }

    /// <summary>
    /// Marks the entry decided by <paramref name="reviewer"/> if it is still as read (its ETag); false when another
    /// reviewer got there first. The row leaves the queue when the application moves on.
    /// </summary>
    public async Task<bool> ClaimAsync(Entry entry, string reviewer, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        try
        {
            await client.UpdateEntityAsync(new TableEntity(Partition, entry.ApplicationId) { ["ClaimedBy"] = reviewer }, entry.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    static Entry Read(TableEntity e) => new(e.RowKey, e.GetString("CustomerId"), e.GetString("DecisionId"), e.GetDateTimeOffset("SubmittedAt")!.Value, e.GetBoolean("Escalated") ?? false, e.GetString("ClaimedBy"), e.ETag);
}

/// <summary>
/// The local payout sink: records each transfer in Table storage <c>payouts</c> (one row per application, so paying
/// twice records once and returns the first receipt). A bank or payment-provider adapter replaces it in production.
/// </summary>
public sealed class PayoutSink(TableServiceClient tables, ApplicationStore applications, PersonalData personalData, TimeProvider clock) : IPayouts
{
    readonly OnceCreatedTable table = new(tables, "payouts");

    public async Task<PayoutReceipt> PayAsync(string customerId, string applicationId, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        NullableResponse<TableEntity> existing = await client.GetEntityIfExistsAsync<TableEntity>(customerId, applicationId, cancellationToken: cancellationToken);
        if (existing.HasValue)
        {
            return Receipt(existing.Value!);
        }

        LoanApplication application = await applications.GetAsync(customerId, applicationId, cancellationToken);
        ApplicationOffer offer = application.Offer ?? throw new InvalidOperationException($"Application {applicationId} has no offer to pay out.");
        string account = personalData.Open<ApplicantIdentitySealed>(application.ProtectedIdentity, application.Id).BankAccount;
        var entity = new TableEntity(customerId, applicationId)
        {
            ["TransferId"] = $"tr-{applicationId}", ["Amount"] = offer.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AccountEnding"] = account[^4..], ["At"] = clock.GetUtcNow(),
        };
        try
        {
            await client.AddEntityAsync(entity, cancellationToken);
            return Receipt(entity);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return Receipt((await client.GetEntityAsync<TableEntity>(customerId, applicationId, cancellationToken: cancellationToken)).Value);
        }
    }

    /// <summary>Every transfer of a customer (the tests and a developer read the sink).</summary>
    public async Task<IReadOnlyList<PayoutReceipt>> ListAsync(string customerId, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        var receipts = new List<PayoutReceipt>();
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(x => x.PartitionKey == customerId, cancellationToken: cancellationToken))
        {
            receipts.Add(Receipt(e));
        }

        return receipts;
    }

    static PayoutReceipt Receipt(TableEntity e) => new(e.GetString("TransferId"), decimal.Parse(e.GetString("Amount"), System.Globalization.CultureInfo.InvariantCulture), e.GetString("AccountEnding"), e.GetDateTimeOffset("At")!.Value);
}

/// <summary>Books a paid-out loan with the schedule of its offer; the loan id is derived from the application, so booking twice books once.</summary>
public sealed class LoanBooking(ApplicationStore applications, IDocumentStore<Loan> loans, Events.LoanEventOutbox outbox) : ILoanBooking
{
    public async Task<string> BookAsync(string customerId, string applicationId, PayoutReceipt payout, CancellationToken cancellationToken)
    {
        string loanId = $"loan-{applicationId}";
        if (await loans.FindAsync(customerId, loanId, cancellationToken) is { } booked)
        {
            // Booked by an earlier try, which may have stopped before its event reached the outbox.
            await outbox.AddAsync(booked.Document.EventsNotInOutbox(), cancellationToken);
            return loanId;
        }

        LoanApplication application = await applications.GetAsync(customerId, applicationId, cancellationToken);
        ApplicationOffer offer = application.Offer!;
        LoanProduct product = ProductCatalog.All[application.ProductCode];
        DateOnly disbursedOn = LenderCalendar.DateOf(payout.At);
        RepaymentSchedule schedule = Offers.Price(product, new OfferRequest(offer.Amount, offer.TermMonths, offer.AnnualRate, product.Methods[0], disbursedOn)).Value
            ?? throw new InvalidOperationException($"The accepted offer of {applicationId} no longer prices under {product.Code}.");
        Loan loan = new Loan(loanId, customerId, applicationId, offer.Amount, LoanStatus.Active, disbursedOn, product.Code, schedule, payout.TransferId)
            .Raise(LoanEventType.LoanDisbursed, disbursedOn, offer.Amount, payout.TransferId);
        try
        {
            await loans.CreateAsync(loan, cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            // Booked by an earlier try of this activity.
        }

        await outbox.AddAsync(loan.Events!, cancellationToken);

        return loanId;
    }
}

/// <summary>Queues an applicant's notice, keyed by application and template so it is sent once; the recipient is a reference the sender resolves, so no phone number sits in the queue.</summary>
public sealed class ApplicantNotifier(NotificationQueue queue) : IApplicantNotifier
{
    public async Task NotifyAsync(ApplicantNotice notice, CancellationToken cancellationToken)
    {
        IReadOnlyList<DomainError> errors = await queue.PublishAsync(new NotificationRequest(
            notice.Key, RecipientDirectory.OfApplication(notice.ApplicationId), notice.Template, "zh-CN", notice.Parameters), cancellationToken);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Notice {notice.Template} for {notice.ApplicationId} is invalid: {string.Join(" ", errors.Select(e => e.Message))}");
        }
    }
}
