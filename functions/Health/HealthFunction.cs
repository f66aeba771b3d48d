using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Health;

public sealed class HealthFunction(HealthProbe probe)
{
    /// <summary>200 with the checks when everything answers, 503 with the same body when something does not.</summary>
    [Function("Health")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        HealthReport report = await probe.CheckAsync(durable, cancellationToken);
        return new ObjectResult(report) { StatusCode = report.Healthy ? 200 : 503 };
    }
}
