using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Risk;

/// <summary>
/// Admin endpoints for rule sets: <c>GET /api/rules</c> (publications, newest first, and the one in force),
/// <c>GET /api/rules/versions/{version}</c> (a version's document),
/// <c>POST /api/rules/validate</c>, <c>POST /api/rules/backtest</c> (a candidate over the recorded decisions), <c>POST /api/rules</c> (publish), <c>POST /api/rules/rollback</c> and <c>POST
/// /api/rules/challenger</c> <c>{document, trafficShare}</c> (or <c>{}</c> to end it), each published change four eyes;
/// for staff <c>GET /api/rules/comparison</c> (the rule set in force against its challenger, as of last night). An
/// invalid rule set is a 400 whose errors are keyed by the JSON path of each value at fault.
/// </summary>
public sealed class RulesFunctions(CallerGate gate, RuleSetDesk desk, RuleSetBacktests backtests, FourEyes fourEyes)
{
    [Function("BacktestRuleSet")]
    [Accepts(typeof(System.Text.Json.Nodes.JsonObject), Description = "The candidate rule-set document, at most 256 KB.")]
    [Query("from", "The first day of decisions to re-run, yyyy-MM-dd in Asia/Shanghai (default: 89 days before to).")]
    [Query("to", "The last day, yyyy-MM-dd (default: today).")]
    [Query("window", "The outcome window bad rates are measured in: fpd, ever30in3, ever30in6, ever30in12 or ever90in12 (default: Retraining:Window).")]
    [Answers(200, typeof(JisuDai.App.Risk.PlatformBacktest), Description = "Each recorded decision as made against the candidate's: rates, moves, rule firings, bad rates. Nothing is written.")]
    [Answers(400, Description = "The document is invalid (errors keyed by JSON path), or from, to or window is at fault.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(413, Description = "The document is over 256 KB.")]
    public Task<IActionResult> Backtest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rules/backtest")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunBytesAsync(request, [Roles.Admin], async (_, document) =>
            Answers.Ok(await backtests.RunAsync(document, request.Query["from"], request.Query["to"], request.Query["window"], cancellationToken)), cancellationToken, DocumentBytes);

    [Function("ListRuleSets")]
    [Answers(200, typeof(JisuDai.App.Risk.RuleSetPublications), Description = "The rule set's publications, newest first, and the one in force.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rules")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async _ => new OkObjectResult(await desk.ListAsync(cancellationToken)));

    [Function("GetRuleSetDocument")]
    [Answers(200, typeof(System.Text.Json.Nodes.JsonObject), Description = "The version's rule-set document as stored when it was published (or stored as a challenger's), with every default written out.")]
    [Answers(400, Description = "version is not a rule-set version (16 lowercase hex digits).")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such version.")]
    public Task<IActionResult> Document(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rules/versions/{version}")] HttpRequest request,
        string version,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async _ => Answers.Of(await desk.DocumentAsync(version, cancellationToken),
            document => new FileContentResult(document, "application/json")));

    [Function("ValidateRuleSet")]
    [Accepts(typeof(System.Text.Json.Nodes.JsonObject), Description = "A rule-set document, at most 256 KB.")]
    [Answers(200, typeof(JisuDai.App.Risk.ValidRuleSet), Description = "Valid: its version and how many rules it has.")]
    [Answers(400, Description = "Invalid: errors are keyed by the JSON path of each value at fault.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(413, Description = "The document is over 256 KB.")]
    public Task<IActionResult> Validate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rules/validate")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunBytesAsync(request, [Roles.Admin], (_, document) => Task.FromResult(Answers.Ok(desk.Validate(document))), cancellationToken, DocumentBytes);

    [Function("PublishRuleSet")]
    [Accepts(typeof(System.Text.Json.Nodes.JsonObject), Description = "A rule-set document, at most 256 KB.")]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: a second admin approves the publication at approveUrl.")]
    [Answers(400, Description = "Invalid: errors are keyed by the JSON path of each value at fault.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(413, Description = "The document is over 256 KB.")]
    public Task<IActionResult> Publish(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rules")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunBytesAsync(request, [Roles.Admin], async (admin, document) => Answers.Proposed(await desk.ProposePublicationAsync(admin, document, fourEyes, cancellationToken)), cancellationToken, DocumentBytes);

    [Function("RollbackRuleSet")]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: a second admin approves the rollback at approveUrl.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(409, Description = "No earlier publication to roll back to.")]
    public Task<IActionResult> Rollback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rules/rollback")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async admin => Answers.Proposed(await desk.ProposeRollbackAsync(admin, fourEyes, cancellationToken)));

    [Function("ProposeRuleSetChallenger")]
    [Accepts(typeof(JisuDai.App.Risk.RuleSetChallengerBody), Description = "{document, trafficShare}, or {} to end the challenger; at most 256 KB.")]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: a second admin approves it at approveUrl.")]
    [Answers(400, Description = "trafficShare missing or out of range, or the document invalid.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(409, Description = "No challenger to end, or the document is the rule set in force.")]
    [Answers(413, Description = "The body is over 256 KB.")]
    public Task<IActionResult> Challenger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rules/challenger")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], new RuleSetChallengerBody(null, null), async (admin, body) =>
            Answers.Proposed(await desk.ProposeChallengerAsync(admin, body, fourEyes, cancellationToken)), cancellationToken, maxBodyBytes: DocumentBytes);

    [Function("GetRuleSetComparison")]
    [Answers(200, typeof(JisuDai.Risk.Monitoring.RuleSetComparison), Description = "The rule set in force against its challenger, as of last night.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No comparison yet: one is made each night while a challenger runs.")]
    public Task<IActionResult> Comparison(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rules/comparison")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(await desk.ComparisonAsync(cancellationToken)));

    /// <summary>A document of this kind is at most 256 KB.</summary>
    const int DocumentBytes = 256 * 1024;
}
