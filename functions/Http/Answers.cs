using JisuDai.App.Applications;
using JisuDai.App.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JisuDai.Functions.Http;

/// <summary>Turns a use case's <see cref="Result{T}"/> into the HTTP answer: the value, or the problem its refusal maps to.</summary>
public static class Answers
{
    /// <summary>200 with the value.</summary>
    public static IActionResult Ok<T>(Result<T> result) => Of(result, value => new OkObjectResult(value));

    /// <summary>201 when this call recorded it, 200 when it was recorded before (a retry).</summary>
    public static IActionResult Recorded<T>(Result<Recorded<T>> result) =>
        Of(result, r => new ObjectResult(r.Value) { StatusCode = r.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK });

    /// <summary>202 with the staff request waiting for a second person; 200 with the record when it was done already.</summary>
    public static IActionResult Proposed<T>(Result<App.Staff.Proposal<T>> result) =>
        Of(result, p => p.Request is { } pending ? Pending(pending) : new OkObjectResult(p.Recorded));

    /// <summary>202 with the staff request waiting for a second person.</summary>
    public static IActionResult Proposed(Result<App.Staff.StaffRequest> result) => Of(result, Pending);

    static AcceptedResult Pending(App.Staff.StaffRequest request) =>
        new($"/api/staff-requests/{request.Id}", new PendingStaffRequest(request, $"/api/staff-requests/{request.Id}/approval"));

    /// <summary>The staff audit log as read: whether the chain is intact, the latest entries (oldest first) and the daily anchors.</summary>
    public sealed record AuditLogAnswer(App.Staff.AuditVerification Verification, IEnumerable<App.Staff.AuditEntry> Entries, IReadOnlyList<App.Staff.AuditAnchor> Anchors);

    /// <summary>The diagnostics ping's answer.</summary>
    public sealed record PingAnswer(bool Pong);

    /// <summary>A proposal's 202 body: the staff request, and where a second person approves it.</summary>
    public sealed record PendingStaffRequest(App.Staff.StaffRequest Request, string ApproveUrl);

    /// <summary>A submission's 202 body: the application, where to follow it, and the decision when it was made in time (null: the approval makes it).</summary>
    public sealed record SubmissionAnswer(string Id, string Status, string StatusUrl, SubmittedDecision? Decision);

    /// <summary>An acceptance's or a cancellation's 202 body: the application, where to follow it, and the debit agreement signed with an acceptance.</summary>
    public sealed record ApplicationAnswer(string Id, string Status, string StatusUrl, App.Payments.DebitAgreementView? DebitAgreement);

    /// <summary>A review decision's 202 body; with <c>second-approval</c> also the staff request an admin approves and the bounds it goes beyond.</summary>
    public sealed record ReviewAnswer(
        string Id, string Decided, string StatusUrl,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] App.Staff.StaffRequest? Request = null,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<JisuDai.Lending.DomainError>? Beyond = null);

    /// <summary>202 pointing at the application's status.</summary>
    public static IActionResult Accepted(Result<ApplicationReceipt> result) =>
        Of(result, r => new AcceptedResult(r.StatusUrl, new ApplicationAnswer(r.Id, r.Status, r.StatusUrl, r.DebitAgreement)));

    /// <summary>A submission taken: 202 with where to follow it and the decision when it was made in time (null: the approval makes it).</summary>
    public static IActionResult Submitted(Result<ApplicationReceipt> result) =>
        Of(result, r => new AcceptedResult(r.StatusUrl, new SubmissionAnswer(r.Id, r.Status, r.StatusUrl, r.Decision)));

    /// <summary>The answer <paramref name="ok"/> makes of the value, or the refusal as a problem.</summary>
    public static IActionResult Of<T>(Result<T> result, Func<T, IActionResult> ok, HttpResponse? response = null) => result.Refused switch
    {
        null => ok(result.Value!),
        Refusal.Invalid => Problems.Invalid(result.Errors),
        Refusal.NotFound => Problems.NotFound(result.Detail),
        Refusal.Conflict => Problems.Conflict(result.Detail),
        Refusal.Forbidden => Problems.Create(403, "Forbidden.", result.Detail),
        Refusal.NotReady when response is not null => Problems.ModelNotReady(response),
        Refusal.NotReady => Problems.Create(503, "Not ready.", result.Detail),
        Refusal.Unauthenticated => Problems.Create(401, "Not authenticated.", result.Detail),
        Refusal.Unprocessable => Problems.Create(422, "Does not match.", result.Detail),
        Refusal.TooMany => Problems.TooMany(result.Detail, result.RetryAfter ?? TimeSpan.FromMinutes(1), response),
        _ => throw new InvalidOperationException($"Unknown refusal {result.Refused}."),
    };
}
