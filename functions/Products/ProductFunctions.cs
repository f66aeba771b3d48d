using JisuDai.App.Products;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Products;

/// <summary>
/// The loan products: <c>GET /api/products</c> (any signed-in caller: the products offered now),
/// <c>GET /api/products/{code}/versions</c> (staff: every version, newest first), <c>POST /api/products/validate</c>
/// and <c>POST /api/products</c> (an admin proposes a version; 202, a second admin approves at /api/staff-requests).
/// An invalid document is a 400 whose errors are keyed by the JSON path of each value at fault.
/// </summary>
public sealed class ProductFunctions(CallerGate gate, ProductDesk desk, FourEyes fourEyes)
{
    [Function("ListProducts")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "products")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant, Roles.Reviewer], async _ => new OkObjectResult(await desk.OfferedAsync(cancellationToken)));

    [Function("ListProductVersions")]
    public Task<IActionResult> Versions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "products/{code}/versions")] HttpRequest request,
        string code,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(await desk.VersionsAsync(code, cancellationToken)));

    [Function("ValidateProduct")]
    public Task<IActionResult> Validate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "products/validate")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunBytesAsync(request, [Roles.Admin], async (_, document) => Answers.Ok(await desk.ValidateAsync(document, cancellationToken)), cancellationToken, DocumentBytes);

    [Function("ProposeProduct")]
    public Task<IActionResult> Propose(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "products")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunBytesAsync(request, [Roles.Admin], async (admin, document) => Answers.Proposed(await desk.ProposeAsync(admin, document, fourEyes, cancellationToken)), cancellationToken, DocumentBytes);

    /// <summary>A document of this kind is at most 256 KB.</summary>
    const int DocumentBytes = 256 * 1024;
}
