using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Risk;

/// <summary>
/// The model registry, for admins: <c>GET /api/risk/models/{name}</c> (versions and champion),
/// <c>POST /api/risk/models/{name}/versions</c> <c>{files: {"model.json": base64, …}}</c> (registers a trained bundle:
/// 201, or 200 when it was registered before; it decides nothing until promoted),
/// <c>POST /api/risk/models/{name}/promotion</c> <c>{version}</c> and <c>POST /api/risk/models/{name}/rollback</c>
/// (202: a second admin approves at /api/staff-requests), <c>POST /api/risk/models/{name}/challenger</c>
/// <c>{version, trafficShare}</c> (or <c>{}</c> to end it; 202 likewise), and for staff <c>GET
/// /api/risk/models/{name}/comparison</c> (the champion against its challenger, as of last night). The rules are in <see cref="ModelDesk"/>.
/// </summary>
public sealed class ModelFunctions(CallerGate gate, ModelDesk desk, FourEyes fourEyes)
{
    [Function("ListModelVersions")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "risk/models/{name}")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async _ => Answers.Ok(await desk.ListAsync(name, cancellationToken)));

    [Function("RegisterModelVersion")]
    public Task<IActionResult> Register(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "risk/models/{name}/versions")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], new ModelUploadBody(null), async (admin, body) =>
            Answers.Recorded(await desk.RegisterAsync(admin, name, body, cancellationToken)), cancellationToken, maxBodyBytes: ModelBundleBytes);

    /// <summary>A model bundle, base64 in JSON: its trees and scorecard run to a few megabytes.</summary>
    const int ModelBundleBytes = 64 * 1024 * 1024;

    [Function("ProposeModelPromotion")]
    public Task<IActionResult> Promote(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "risk/models/{name}/promotion")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], new ModelPromotionBody(null), async (admin, body) =>
            Answers.Proposed(await desk.ProposePromotionAsync(admin, name, body, fourEyes, cancellationToken)), cancellationToken);

    [Function("ProposeModelChallenger")]
    public Task<IActionResult> Challenger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "risk/models/{name}/challenger")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], new ModelChallengerBody(null, null), async (admin, body) =>
            Answers.Proposed(await desk.ProposeChallengerAsync(admin, name, body, fourEyes, cancellationToken)), cancellationToken);

    [Function("GetModelComparison")]
    public Task<IActionResult> Comparison(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "risk/models/{name}/comparison")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(await desk.ComparisonAsync(name, cancellationToken)));

    [Function("ProposeModelRollback")]
    public Task<IActionResult> Rollback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "risk/models/{name}/rollback")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async admin => Answers.Proposed(await desk.ProposeRollbackAsync(admin, name, fourEyes, cancellationToken)));
}
