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
    [Answers(200, typeof(JisuDai.App.Risk.ModelVersions), Description = "The model's registered versions and its champion.")]
    [Answers(400, Description = "The registry refuses the model's name.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "risk/models/{name}")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async _ => Answers.Ok(await desk.ListAsync(name, cancellationToken)));

    [Function("GetModelVersionReport")]
    [Answers(200, typeof(JisuDai.App.Risk.ModelVersionReport), Description = "The version's training report: candidates, features, data, warnings and monitoring baseline.")]
    [Answers(400, Description = "The version is not of a version's form, or the registry refuses the model's name.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "The model has no such version.")]
    public Task<IActionResult> Report(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "risk/models/{name}/versions/{version}")] HttpRequest request,
        string name,
        string version,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async _ => Answers.Ok(await desk.ReportAsync(name, version, cancellationToken)));

    [Function("RegisterModelVersion")]
    [Accepts(typeof(JisuDai.App.Risk.ModelUploadBody), Description = "{files: {model.json: base64, …}}: the bundle jisudai train wrote, at most 64 MB.")]
    [Answers(201, typeof(JisuDai.Risk.Models.RegisteredVersion), Description = "Registered now; it decides nothing until promoted.")]
    [Answers(200, typeof(JisuDai.Risk.Models.RegisteredVersion), Description = "Registered before: the same version.")]
    [Answers(400, Description = "A file is not base64, the files are not a whole bundle, or the bundle is of another model.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(413, Description = "The body is over 64 MB.")]
    public Task<IActionResult> Register(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "risk/models/{name}/versions")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], new ModelUploadBody(null), async (admin, body) =>
            Answers.Recorded(await desk.RegisterAsync(admin, name, body, cancellationToken)), cancellationToken, maxBodyBytes: ModelBundleBytes);

    /// <summary>A model bundle, base64 in JSON: its trees and scorecard run to a few megabytes.</summary>
    const int ModelBundleBytes = 64 * 1024 * 1024;

    [Function("ProposeModelPromotion")]
    [Accepts(typeof(JisuDai.App.Risk.ModelPromotionBody))]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: a second admin approves it at approveUrl.")]
    [Answers(400, Description = "version missing, or the registry refuses the model's name.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "The model has no such version.")]
    [Answers(409, Description = "The version is the champion already, or the guardrails refuse it.")]
    [Answers(413)]
    public Task<IActionResult> Promote(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "risk/models/{name}/promotion")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], new ModelPromotionBody(null), async (admin, body) =>
            Answers.Proposed(await desk.ProposePromotionAsync(admin, name, body, fourEyes, cancellationToken)), cancellationToken);

    [Function("ProposeModelChallenger")]
    [Accepts(typeof(JisuDai.App.Risk.ModelChallengerBody), Description = "{version, trafficShare}, or {} to end the challenger.")]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: a second admin approves it at approveUrl.")]
    [Answers(400, Description = "trafficShare missing or out of range, or the registry refuses the model's name.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "The model has no such version.")]
    [Answers(409, Description = "No challenger to end, no champion to run beside, or the version is the champion.")]
    [Answers(413)]
    public Task<IActionResult> Challenger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "risk/models/{name}/challenger")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], new ModelChallengerBody(null, null), async (admin, body) =>
            Answers.Proposed(await desk.ProposeChallengerAsync(admin, name, body, fourEyes, cancellationToken)), cancellationToken);

    [Function("GetModelComparison")]
    [Answers(200, typeof(JisuDai.Risk.Monitoring.ChallengerComparison), Description = "The champion against its challenger, as of last night.")]
    [Answers(400, Description = "The registry refuses the model's name.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No comparison yet: one is made each night while a challenger runs.")]
    public Task<IActionResult> Comparison(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "risk/models/{name}/comparison")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(await desk.ComparisonAsync(name, cancellationToken)));

    [Function("ProposeModelRollback")]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: a second admin approves the rollback at approveUrl.")]
    [Answers(400, Description = "The registry refuses the model's name.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(409, Description = "The model has no earlier champion to roll back to.")]
    public Task<IActionResult> Rollback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "risk/models/{name}/rollback")] HttpRequest request,
        string name,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async admin => Answers.Proposed(await desk.ProposeRollbackAsync(admin, name, fourEyes, cancellationToken)));
}
