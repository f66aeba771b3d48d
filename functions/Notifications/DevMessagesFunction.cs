using JisuDai.Adapters.Notifications;
using JisuDai.App.Notifications;
using JisuDai.App.Security;
using JisuDai.Functions.Diagnostics;
using JisuDai.Functions.Http;
using JisuDai.Functions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Notifications;

/// <summary>
/// <c>GET /api/dev/messages</c>: what the local SMS sink recorded, newest first. Local only: it answers where
/// diagnostics are enabled and no SMS provider is configured (the admin role is added with authentication).
/// </summary>
public sealed class DevMessagesFunction(DiagnosticsOptions options, ISmsSender sender, Authentication auth)
{
    [Function("DevMessages")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dev/messages")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (_, IActionResult? denied) = await auth.RequireAsync(request, Roles.Admin);
        if (denied is not null)
        {
            return denied;
        }

        if (!options.Enabled || sender is not RecordedMessages recorded)
        {
            return Problems.NotFound("The local message sink is not in use here.");
        }

        int count = int.TryParse(request.Query["count"], out int n) ? n : 50;
        if (count is < 1 or > 500)
        {
            return Problems.Invalid("count", "must be from 1 to 500.");
        }

        return new OkObjectResult(await recorded.LatestAsync(count, cancellationToken));
    }
}
