using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Risk;

/// <summary>
/// Admin endpoints for the blacklist: <c>GET /api/blacklist</c> (active entries, identifiers masked),
/// <c>POST /api/blacklist</c> (add or replace) and <c>POST /api/blacklist/remove</c> (proposes the removal: another admin
/// approves it at /api/staff-requests).
/// </summary>
public sealed class BlacklistFunctions(CallerGate gate, BlacklistDesk desk, FourEyes fourEyes)
{
    static readonly BlacklistRequest NoBody = new(null, null, null, null, null);

    [Function("ListBlacklist")]
    [Answers(200, typeof(IReadOnlyList<JisuDai.Risk.Checks.BlacklistEntry>), Description = "The active entries, identifiers masked.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "blacklist")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async _ => new OkObjectResult(await desk.ListAsync(cancellationToken)));

    [Function("AddToBlacklist")]
    [Accepts(typeof(JisuDai.App.Risk.BlacklistRequest))]
    [Answers(201, typeof(JisuDai.Risk.Checks.BlacklistEntry), Description = "Added or replaced: the entry, its value masked.")]
    [Answers(400, Description = "kind, value, source, reason or expiresAt at fault.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(413)]
    public Task<IActionResult> Add(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "blacklist")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], NoBody, async (admin, body) =>
            Answers.Of(await desk.AddAsync(admin, body, cancellationToken), entry => new CreatedResult("/api/blacklist", entry)), cancellationToken);

    [Function("RemoveFromBlacklist")]
    [Accepts(typeof(JisuDai.App.Risk.BlacklistRequest))]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: another admin approves the removal at approveUrl.")]
    [Answers(400, Description = "kind and value do not name an entry.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(413)]
    public Task<IActionResult> Remove(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "blacklist/remove")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], NoBody, async (admin, body) =>
            Answers.Proposed(await desk.ProposeRemovalAsync(admin, body, fourEyes, cancellationToken)), cancellationToken);
}
