using System.Text.Json;
using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Functions.Security;
using JisuDai.Lending;
using JisuDai.Risk.Scoring;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Risk;

/// <summary>
/// <c>POST /api/risk/score</c>: scores an application for other systems. The body is a JSON object of application
/// fields (docs/risk.md lists them); the answer is the probability of default, score points, risk band, reason codes
/// in English and Chinese, and the model version.
/// </summary>
public sealed class ScoreFunction(RiskModel model, Authentication auth)
{
    static readonly TimeSpan ColdStartWait = TimeSpan.FromSeconds(20);

    [Function("ScoreApplication")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "risk/score")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (_, IActionResult? denied) = await auth.RequireAsync(request, Roles.Reviewer);
        if (denied is not null)
        {
            return denied;
        }

        (JsonElement body, ObjectResult? problem) = await JsonBody.ReadObjectAsync(request, "a JSON object of application fields", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (await model.WhenReadyAsync(ColdStartWait, cancellationToken) is not { } scorer)
        {
            return Problems.ModelNotReady(request.HttpContext.Response);
        }

        ApplicationFields fields = ApplicationFields.From(body);
        Outcome<FeatureVector> features = scorer.Features.Map(fields.Values);
        var errors = fields.Errors.Concat(features.Errors).ToList();
        return errors.Count == 0 ? new OkObjectResult(scorer.Score(features.Value!)) : Problems.Invalid(errors);
    }
}
