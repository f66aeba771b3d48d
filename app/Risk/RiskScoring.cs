using System.Text.Json;
using JisuDai.App.Results;
using JisuDai.Lending;
using JisuDai.Risk.Scoring;

namespace JisuDai.App.Risk;

/// <summary>Scores an application for other systems with the warm champion model: probability of default, points, band and reason codes.</summary>
public sealed class RiskScoring(RiskModel model)
{
    static readonly TimeSpan ColdStartWait = TimeSpan.FromSeconds(20);

    /// <summary>The score of <paramref name="body"/>, a JSON object of application fields (docs/risk.md lists them).</summary>
    public async Task<Result<ScoreResult>> ScoreAsync(JsonElement body, CancellationToken cancellationToken)
    {
        if (await model.WhenReadyAsync(ColdStartWait, cancellationToken) is not { } scorer)
        {
            return Result<ScoreResult>.NotReady("The model is still loading or training on first start; try again shortly.");
        }

        ApplicationFields fields = ApplicationFields.From(body);
        Outcome<FeatureVector> features = scorer.Features.Map(fields.Values);
        var errors = fields.Errors.Concat(features.Errors).ToList();
        return errors.Count == 0 ? Result<ScoreResult>.Ok(scorer.Score(features.Value!)) : Result<ScoreResult>.Invalid(errors);
    }
}
