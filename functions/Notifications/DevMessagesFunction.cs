using JisuDai.Adapters.Notifications;
using JisuDai.App.Notifications;
using JisuDai.App.Security;
using JisuDai.Functions.Diagnostics;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Notifications;

/// <summary>
/// <c>GET /api/dev/messages</c>: what the local SMS sink recorded, newest first, for an admin. Local only: it answers
/// where diagnostics are allowed (<see cref="DiagnosticsOptions.Allows"/>) and no SMS provider is configured.
/// </summary>
public sealed class DevMessagesFunction(DiagnosticsOptions options, ISmsSender sender, CallerGate gate)
{
    [Function("DevMessages")]
    [Query("count", "How many of the latest messages to show: 1 to 500 (default 50).")]
    [Answers(200, typeof(IReadOnlyList<JisuDai.Adapters.Notifications.RecordedMessage>), Description = "The messages the local SMS sink recorded, newest first.")]
    [Answers(400, Description = "count is not from 1 to 500.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "Diagnostics are not allowed here, or the local message sink is not in use.")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dev/messages")] HttpRequest request,
        CancellationToken cancellationToken) =>
        !options.Allows(request) ? Task.FromResult<IActionResult>(Problems.NotFound(options.Refusal))
        : gate.RunAsync(request, [Roles.Admin], async _ =>
            sender is not RecordedMessages recorded ? Problems.NotFound("The local message sink is not in use here.")
            : !int.TryParse(request.Query["count"].FirstOrDefault() ?? "50", out int count) || count is < 1 or > 500 ? Problems.Invalid("count", "must be from 1 to 500.")
            : new OkObjectResult(await recorded.LatestAsync(count, cancellationToken)));
}
