using System.Security.Cryptography;
using System.Text;
using JisuDai.App.Applications;
using JisuDai.App.Notifications;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Functions.Security;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using JisuDai.Orchestrations.Approval;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Applications;

/// <summary>
/// The borrower's side of the approval: <c>POST /api/applications</c> (with <c>Idempotency-Key</c>),
/// <c>GET /api/applications/{id}</c>, <c>POST /api/applications/{id}/accept</c> and <c>/cancel</c>. An applicant sees
/// only their own applications (anyone else's is a 404); reviewers and admins see all.
/// </summary>
public sealed class ApplicationFunctions(
    Authentication auth, IDocumentStore<LoanApplication> documents, ApplicationStore applications, IApplicationRecorder recorder,
    IApplicantNotifier notifier, PersonalData personalData, ApprovalTimeouts timeouts, TimeProvider clock)
{
    /// <summary>What the applicant and staff see of an application (no personal data).</summary>
    public sealed record ApplicationView(
        string Id, string CustomerId, string Status, string ProductCode, decimal Amount, int TermMonths, DateTimeOffset SubmittedAt,
        IReadOnlyList<ApplicationStep> History, ApplicationOffer? Offer, IReadOnlyList<string> Reasons, string? DecisionId)
    {
        public static ApplicationView Of(LoanApplication a) => new(a.Id, a.CustomerId, a.Status.ToString(), a.ProductCode, a.Amount, a.TermMonths,
            a.SubmittedAt, a.History ?? [], a.Offer, a.Reasons ?? [], a.DecisionId);
    }

    [Function("SubmitApplication")]
    public async Task<IActionResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        (Caller? caller, IActionResult? denied) = await auth.RequireAsync(request, Roles.Applicant);
        if (denied is not null)
        {
            return denied;
        }

        string key = request.Headers["Idempotency-Key"].ToString();
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
        {
            return Problems.Invalid("Idempotency-Key", "the Idempotency-Key header is required (at most 200 characters).");
        }

        if (!DocumentKey.IsValid(caller!.Subject) || caller.Subject.Contains('.'))
        {
            return Problems.Create(403, "Forbidden.", "The token's subject is not a valid customer id.");
        }

        (ApplicationRequest? body, ObjectResult? problem) = await JsonBody.ReadAsync<ApplicationRequest>(request, new(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        DateTimeOffset now = clock.GetUtcNow();
        DateOnly today = LenderCalendar.DateOf(now);
        var errors = body!.Check(today);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        string id = CustomerScopedId.Compose(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{caller.Subject}\n{key}")))[..20], caller.Subject);
        string hash = body.Hash();
        LoanApplication application = new(id, caller.Subject, body.ProductCode!, body.Amount!.Value, body.TermMonths!.Value, ApplicationStatus.Submitted, now,
            hash, personalData.Seal(new ApplicantIdentitySealed(body.Name!.Trim(), body.IdNumber!.ToUpperInvariant(), body.Phone!, body.BankAccount!, body.DeviceId, body.Ip ?? request.HttpContext.Connection.RemoteIpAddress?.ToString()), id),
            body.Fields(today), [new ApplicationStep("submitted", ApplicationStatus.Submitted, now, "Application received.")], MaskedPhone: PhoneMask.Mask(body.Phone!));
        try
        {
            await documents.CreateAsync(application, cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            application = (await documents.FindAsync(caller.Subject, id, cancellationToken))!.Document;
            if (application.RequestHash != hash)
            {
                return Problems.Conflict("Idempotency-Key was used for another application; use a new key for a new application.");
            }
        }

        // Started by id, so a resubmission after a crash between the two writes starts it (once) now; the notice is keyed the same way.
        if (await durable.GetInstanceAsync(id, cancellationToken) is null)
        {
            await notifier.NotifyAsync(new ApplicantNotice(id, caller.Subject, "ApplicationReceived",
                new Dictionary<string, string> { ["amount"] = application.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) }), cancellationToken);
            await durable.ScheduleNewOrchestrationInstanceAsync(nameof(LoanApprovalOrchestrator),
                new ApprovalInput(caller.Subject, id, application.Amount, timeouts), new StartOrchestrationOptions(id), cancellationToken);
        }

        return Accepted(id, application);
    }

    [Function("GetApplication")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "applications/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        (LoanApplication? application, IActionResult? refused) = await VisibleAsync(request, id, cancellationToken);
        return refused ?? new OkObjectResult(ApplicationView.Of(application!));
    }

    [Function("AcceptOffer")]
    public Task<IActionResult> Accept(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/accept")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string id,
        CancellationToken cancellationToken) => AnswerAsync(request, durable, id, accept: true, cancellationToken);

    [Function("CancelApplication")]
    public Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/cancel")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string id,
        CancellationToken cancellationToken) => AnswerAsync(request, durable, id, accept: false, cancellationToken);

    async Task<IActionResult> AnswerAsync(HttpRequest request, DurableTaskClient durable, string id, bool accept, CancellationToken cancellationToken)
    {
        (LoanApplication? application, IActionResult? refused) = await VisibleAsync(request, id, cancellationToken, ownerOnly: true);
        if (refused is not null)
        {
            return refused;
        }

        switch (application!.Status)
        {
            case ApplicationStatus.Offered:
                await durable.RaiseEventAsync(id, LoanApprovalOrchestrator.BorrowerEvent, new BorrowerAnswer(accept), cancellationToken);
                return Accepted(id, application);
            case ApplicationStatus.Submitted or ApplicationStatus.InReview when !accept:
                // Nothing is owed yet: record the cancellation and stop the approval where it is.
                await recorder.RecordAsync(new ApplicationStepRecord(id, application.CustomerId,
                    new ApplicationStep("cancelled", ApplicationStatus.Cancelled, clock.GetUtcNow(), "Cancelled by the borrower.")), cancellationToken);
                await durable.TerminateInstanceAsync(id, "Cancelled by the borrower.", cancellationToken);
                return Accepted(id, await applications.GetAsync(application.CustomerId, id, cancellationToken));
            default:
                return Problems.Conflict($"The application is {application.Status}; it cannot be {(accept ? "accepted" : "cancelled")} now.");
        }
    }

    async Task<(LoanApplication?, IActionResult?)> VisibleAsync(HttpRequest request, string id, CancellationToken cancellationToken, bool ownerOnly = false)
    {
        (Caller? caller, IActionResult? denied) = await auth.RequireAsync(request, ownerOnly ? [Roles.Applicant] : [Roles.Applicant, Roles.Reviewer]);
        if (denied is not null)
        {
            return (null, denied);
        }

        LoanApplication? application = CustomerScopedId.CustomerOf(id) is { } customerId && (ownerOnly ? caller!.Subject == customerId : caller!.MaySee(customerId))
            ? (await documents.FindAsync(customerId, id, cancellationToken))?.Document
            : null;
        // Another customer's application reads as missing, so ids cannot be probed.
        return application is null ? (null, Problems.NotFound($"There is no application {id}.")) : (application, null);
    }

    static AcceptedResult Accepted(string id, LoanApplication application) =>
        new($"/api/applications/{id}", new { id, status = application.Status.ToString(), statusUrl = $"/api/applications/{id}" });
}
