using JisuDai.App.Privacy;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Identity;

/// <summary>
/// A customer's data, exported for them, four eyes: <c>POST /api/customers/{customerId}/exports</c> <c>{reason}</c>
/// (a reviewer or admin proposes; 202 with the staff request), a different admin approves at
/// <c>/api/staff-requests/{id}/approval</c>, then <c>GET /api/customers/{customerId}/export?request={id}</c> (the proposer
/// or the approver, for 72 hours) answers the JSON as an attachment. The rules are in <see cref="CustomerExport"/>.
/// </summary>
public sealed class CustomerExportFunctions(CallerGate gate, CustomerExport export, FourEyes fourEyes)
{
    [Function("ProposeCustomerExport")]
    [Accepts(typeof(JisuDai.App.Privacy.ExportBody))]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: an admin other than the proposer approves it at approveUrl.")]
    [Answers(400, Description = "No reason, or one over 200 characters.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such customer.")]
    [Answers(413)]
    public Task<IActionResult> Propose(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers/{customerId}/exports")] HttpRequest request,
        string customerId,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer, Roles.Admin], new ExportBody(null), async (staff, body) =>
            Answers.Proposed(await export.ProposeAsync(staff, customerId, body, fourEyes, cancellationToken)), cancellationToken);

    [Function("DownloadCustomerExport")]
    [Query("request", "The id of the approved export request.")]
    [Answers(200, typeof(JisuDai.App.Privacy.CustomerDataExport), Description = "All the customer's data, as a JSON attachment (never cached).")]
    [Answers(400, Description = "request is missing.")]
    [Answers(401)]
    [Answers(403, Description = "Not staff, or neither the export's proposer nor its approver.")]
    [Answers(404, Description = "No such export request for the customer, or no such customer.")]
    [Answers(409, Description = "The request is not approved, or its 72-hour download window has passed.")]
    public Task<IActionResult> Download(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "customers/{customerId}/export")] HttpRequest request,
        string customerId,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer, Roles.Admin], async staff =>
            Answers.Of(await export.DownloadAsync(staff, customerId, request.Query["request"].FirstOrDefault(), cancellationToken), data =>
            {
                // Personal data in full: never cached on the way, saved by the browser as a file.
                request.HttpContext.Response.Headers.CacheControl = "no-store";
                request.HttpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"customer-{customerId}.json\"";
                return new OkObjectResult(data);
            }));
}
