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
    [Accepts(typeof(System.Text.Json.Nodes.JsonObject), Description = "A JSON object of application fields (docs/risk.md lists them).")]
    [Answers(200, typeof(JisuDai.Risk.Scoring.ScoreResult), Description = "The probability of default, score points, risk band, reason codes and model version.")]
    [Answers(400, Description = "The body is not an object, or a field is at fault.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(413)]
    [Answers(503, Description = "The first model is still loading or training: see Retry-After.")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "risk/score")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunObjectAsync(request, [Roles.Reviewer], "a JSON object of application fields", async (_, body) =>
            Answers.Of(await scoring.ScoreAsync(body, cancellationToken), score => new OkObjectResult(score), request.HttpContext.Response), cancellationToken);
}
