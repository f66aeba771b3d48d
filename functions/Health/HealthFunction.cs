using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Functions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Health;

/// <summary>What anyone may learn of the app's health: whether it and each dependency answer, nothing about where they are.</summary>
public sealed record HealthSummary(string Status, IReadOnlyList<HealthSummary.Check> Checks)
{
    /// <summary>One dependency, by name, answering or not.</summary>
    public sealed record Check(string Name, bool Healthy);

    /// <summary>The summary of <paramref name="report"/>.</summary>
    public static HealthSummary Of(HealthReport report) => new(report.Status, report.Checks.Select(c => new Check(c.Name, c.Healthy)).ToList());
}

public sealed class HealthFunction(HealthProbe probe, Authentication auth)
{
    /// <summary>
    /// 200 when everything answers, 503 when something does not. Anyone gets the status and each check's name and
    /// state; staff (a reviewer or admin token) also get each check's detail and duration, which name the accounts.
    /// </summary>
    [Function("Health")]
    [Anyone]
    [Answers(200, typeof(HealthSummary), Description = "Everything answers: the status and each check's name and state (staff also get each check's detail and duration).")]
    [Answers(503, Description = "Something does not answer: the same report with status Unhealthy, not a problem.")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        HealthReport report = await probe.CheckAsync(durable, cancellationToken);
        bool staff = request.Headers.Authorization.Count > 0 && (await auth.RequireAsync(request, Roles.Reviewer)).Caller is not null;
        return new ObjectResult(staff ? report : HealthSummary.Of(report)) { StatusCode = report.Healthy ? 200 : 503 };
    }
}
