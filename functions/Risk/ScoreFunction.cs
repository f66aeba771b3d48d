using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Risk;

/// <summary>
/// <c>POST /api/risk/score</c>: scores an application for other systems. The body is a JSON object of application
/// fields (docs/risk.md lists them); the answer is the probability of default, score points, risk band, reason codes
/// in English and Chinese, and the model version; 503 with Retry-After while the first model trains.
/// </summary>
public sealed class ScoreFunction(CallerGate gate, RiskScoring scoring)
{
    [Function("ScoreApplication")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "risk/score")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunObjectAsync(request, [Roles.Reviewer], "a JSON object of application fields", async (_, body) =>
            Answers.Of(await scoring.ScoreAsync(body, cancellationToken), score => new OkObjectResult(score), request.HttpContext.Response), cancellationToken);
}
