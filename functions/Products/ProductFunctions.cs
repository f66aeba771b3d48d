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
    [Answers(200, typeof(IReadOnlyList<JisuDai.App.Products.OfferedProduct>), Description = "The products offered now, by code, with the terms in force.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "products")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant, Roles.Reviewer], async _ => new OkObjectResult(await desk.OfferedAsync(cancellationToken)));

    [Function("ListProductVersions")]
    [Answers(200, typeof(IReadOnlyList<JisuDai.Lending.Products.ProductPublication>), Description = "Every published version of the product, newest first.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such product.")]
    public Task<IActionResult> Versions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "products/{code}/versions")] HttpRequest request,
        string code,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(await desk.VersionsAsync(code, cancellationToken)));

    [Function("ValidateProduct")]
    [Accepts(typeof(System.Text.Json.Nodes.JsonObject), Description = "A loan product document, at most 256 KB.")]
    [Answers(200, typeof(JisuDai.App.Products.ValidProduct), Description = "Valid: its code and version, and the version it would become.")]
    [Answers(400, Description = "Invalid: errors are keyed by the JSON path of each value at fault.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(413, Description = "The document is over 256 KB.")]
    public Task<IActionResult> Validate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "products/validate")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunBytesAsync(request, [Roles.Admin], async (_, document) => Answers.Ok(await desk.ValidateAsync(document, cancellationToken)), cancellationToken, DocumentBytes);

    [Function("ProposeProduct")]
    [Accepts(typeof(System.Text.Json.Nodes.JsonObject), Description = "A loan product document naming the version it becomes, at most 256 KB.")]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: a second admin approves the publication at approveUrl.")]
    [Answers(400, Description = "Invalid: errors are keyed by the JSON path of each value at fault.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(409, Description = "The document's version is not the next version of the product.")]
    [Answers(413, Description = "The document is over 256 KB.")]
    public Task<IActionResult> Propose(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "products")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunBytesAsync(request, [Roles.Admin], async (admin, document) => Answers.Proposed(await desk.ProposeAsync(admin, document, fourEyes, cancellationToken)), cancellationToken, DocumentBytes);

    /// <summary>A document of this kind is at most 256 KB.</summary>
    const int DocumentBytes = 256 * 1024;
}
