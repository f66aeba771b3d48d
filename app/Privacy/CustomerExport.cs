using System.Text.Json;
using JisuDai.App.Applications;
using JisuDai.App.Behaviour;
using JisuDai.App.Bureau;
using JisuDai.App.Files;
using JisuDai.App.Identity;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using JisuDai.Risk.Behaviour;
using JisuDai.Risk.Decisions;

namespace JisuDai.App.Privacy;

/// <summary>Why an export is asked for (a ticket or the customer's request), at most 200 characters.</summary>
public sealed record ExportBody(string? Reason);

/// <summary>What approving an export grants: its proposer and approver may download it until <paramref name="DownloadUntil"/>.</summary>
public sealed record ExportGrant(string CustomerId, string RequestId, DateTimeOffset DownloadUntil, string Href);

/// <summary>One application as exported: the stored record without its internal hash, and the identity the applicant gave, opened.</summary>
/// <param name="Application">The application as stored, its request hash and sealed identity left out.</param>
/// <param name="Identity">Name, ID number, phone, bank account, device and address as given; null once shredded.</param>
/// <param name="IdentityErased">True when the customer's data key was destroyed, so the identity can no longer be read.</param>
public sealed record ExportedApplication(LoanApplication Application, ApplicantIdentitySealed? Identity, bool IdentityErased);

/// <summary>One sign-in session: the device and when, never the token's secret.</summary>
public sealed record ExportedSignIn(string Id, string? Device, DateTimeOffset SignedInAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, string? RevokedFor);

/// <summary>
/// Everything the app holds about one customer, in one JSON document (PIPL art. 45, GDPR art. 15 and 20). Records
/// kept apart from any customer (send records, velocity sightings, the audit log) are keyed by fingerprints that
/// cannot be turned back into the customer and are not in it.
/// </summary>
public sealed record CustomerDataExport(
    DateTimeOffset ExportedAt, string CustomerId, string RequestId, string ProposedBy, string ApprovedBy, string Reason,
    Customer Customer, IReadOnlyList<ExportedApplication> Applications, IReadOnlyList<CreditDecision> Decisions,
    IReadOnlyList<BureauInquiry> BureauInquiries, IReadOnlyList<Loan> Loans, IReadOnlyList<Payment> Payments,
    IReadOnlyList<DebitAgreement> DebitAgreements, IReadOnlyList<CustomerFile> Files, IReadOnlyList<BehaviourEvent> BehaviourEvents,
    IReadOnlyList<ExportedSignIn> SignIns);

/// <summary>
/// Export of a customer's data, four eyes: a reviewer or admin proposes it with a reason, a different admin approves,
/// and then either of the two may download it for <see cref="DownloadWindow"/>, each download in the staff audit
/// log. Nothing is stored: the export is built from the records at each download, so it is never a stale or extra
/// copy of the data, and an erased customer's export shows what is left.
/// </summary>
public sealed class CustomerExport(
    IDocumentStore<Customer> customers, IDocumentStore<LoanApplication> applications, IDocumentStore<CreditDecision> decisions,
    IDocumentStore<BureauInquiry> inquiries, IDocumentStore<Loan> loans, IDocumentStore<Payment> payments, IDocumentStore<DebitAgreement> agreements,
    IDocumentStore<CustomerFile> files, IBehaviourEvents behaviour, IDocumentStore<RefreshFamily> sessions, IDocumentStore<StaffRequest> requests,
    PersonalData personalData, IAuditLog audit, TimeProvider clock)
{
    /// <summary>How long after its approval an export may be downloaded.</summary>
    public static readonly TimeSpan DownloadWindow = TimeSpan.FromHours(72);

    /// <summary><paramref name="maker"/> proposes exporting <paramref name="customerId"/>'s data.</summary>
    public async Task<Result<StaffRequest>> ProposeAsync(Caller maker, string customerId, ExportBody body, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 200)
        {
            return Result<StaffRequest>.Invalid("reason", "an export needs a reason (at most 200 characters): the ticket or the customer's request.");
        }

        if (!DocumentKey.IsValid(customerId) || await customers.FindAsync(customerId, customerId, cancellationToken) is null)
        {
            return Result<StaffRequest>.NotFound($"There is no customer {customerId}.");
        }

        return await fourEyes.ProposeAsync(maker, StaffPower.CustomerDataExport, customerId, JsonSerializer.Serialize(body with { Reason = body.Reason.Trim() }, StaffRequest.PayloadJson), cancellationToken);
    }

    /// <summary>What the approval grants.</summary>
    public Result<object> Grant(StaffRequest request) =>
        Result<object>.Ok(new ExportGrant(request.Target, request.Id, clock.GetUtcNow() + DownloadWindow, $"/api/customers/{request.Target}/export?request={request.Id}"));

    /// <summary><paramref name="staff"/> downloads the export approved by <paramref name="requestId"/>.</summary>
    public async Task<Result<CustomerDataExport>> DownloadAsync(Caller staff, string customerId, string? requestId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(requestId) || !DocumentKey.IsValid(requestId))
        {
            return Result<CustomerDataExport>.Invalid("request", "request must be the id of the approved export request.");
        }

        DateTimeOffset now = clock.GetUtcNow();
        StaffRequest? request = (await requests.FindAsync(StaffRequest.Partition, requestId, cancellationToken))?.Document;
        if (request is null || request.Power != StaffPower.CustomerDataExport || request.Target != customerId)
        {
            return Result<CustomerDataExport>.NotFound($"There is no export request {requestId} for customer {customerId}.");
        }

        if (request.Status != StaffRequestStatus.Approved || request.Outcome is null || request.DecidedAt is not { } approvedAt)
        {
            return Result<CustomerDataExport>.Conflict($"Export request {requestId} is {request.StatusAt(now)}: it is downloaded only once a second person approved it.");
        }

        if (staff.Subject != request.ProposedBy && staff.Subject != request.DecidedBy)
        {
            return Result<CustomerDataExport>.Forbidden("Only the export's proposer and its approver may download it.");
        }

        if (now > approvedAt + DownloadWindow)
        {
            return Result<CustomerDataExport>.Conflict($"Export request {requestId} could be downloaded until {approvedAt + DownloadWindow:u}; propose a new one.");
        }

        if (await customers.FindAsync(customerId, customerId, cancellationToken) is not { } customer)
        {
            return Result<CustomerDataExport>.NotFound($"There is no customer {customerId}.");
        }

        var exported = new List<ExportedApplication>();
        foreach (Versioned<LoanApplication> a in await applications.ListByCustomerAsync(customerId, cancellationToken))
        {
            exported.Add(await ExportAsync(a.Document, cancellationToken));
        }

        string reason = JsonSerializer.Deserialize<ExportBody>(request.Payload, StaffRequest.PayloadJson)?.Reason ?? "";
        var export = new CustomerDataExport(
            now, customerId, request.Id, request.ProposedBy, request.DecidedBy!, reason, customer.Document, exported,
            await AllAsync(decisions, customerId, cancellationToken), await AllAsync(inquiries, customerId, cancellationToken),
            await AllAsync(loans, customerId, cancellationToken), await AllAsync(payments, customerId, cancellationToken),
            await AllAsync(agreements, customerId, cancellationToken), await AllAsync(files, customerId, cancellationToken),
            await behaviour.ListAsync(customerId, DateTimeOffset.MinValue, cancellationToken),
            (await sessions.ListByCustomerAsync(customerId, cancellationToken))
                .Select(s => new ExportedSignIn(s.Document.Id, s.Document.Device, s.Document.SignedInAt, s.Document.ExpiresAt, s.Document.RevokedAt, s.Document.RevokedFor)).ToList());
        await audit.AppendAsync(StaffAction.By(staff, "download CustomerDataExport", customerId, $"request {request.Id}: {exported.Count} applications, {export.Loans.Count} loans"), cancellationToken);
        return Result<CustomerDataExport>.Ok(export);
    }

    async Task<ExportedApplication> ExportAsync(LoanApplication application, CancellationToken cancellationToken)
    {
        LoanApplication shown = application with { RequestHash = "", ProtectedIdentity = "" };
        if (string.IsNullOrEmpty(application.ProtectedIdentity))
        {
            return new ExportedApplication(shown, null, false);
        }

        try
        {
            return new ExportedApplication(shown, await personalData.OpenAsync<ApplicantIdentitySealed>(application.ProtectedIdentity, application.Id, cancellationToken), false);
        }
        catch (PersonalDataErasedException)
        {
            return new ExportedApplication(shown, null, true);
        }
    }

    static async Task<IReadOnlyList<T>> AllAsync<T>(IDocumentStore<T> store, string customerId, CancellationToken cancellationToken) where T : ICustomerDocument =>
        (await store.ListByCustomerAsync(customerId, cancellationToken)).Select(v => v.Document).ToList();
}

/// <summary>Exporting a customer's data: proposed by a reviewer or admin, approved by a different admin.</summary>
public sealed class CustomerDataExportPower(CustomerExport export) : IStaffPower
{
    public StaffPower Power => StaffPower.CustomerDataExport;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Reviewer, Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken) =>
        Task.FromResult(export.Grant(request));
}
