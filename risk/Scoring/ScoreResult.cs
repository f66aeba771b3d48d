namespace JisuDai.Risk.Scoring;

/// <summary>A reason the score is not higher: a feature, the points it cost against its best value, and what to tell the borrower.</summary>
/// <param name="Code">A stable code: the feature's name.</param>
/// <param name="PointsLost">Scorecard points below the feature's best bin.</param>
/// <param name="Text">The reason in English and Chinese.</param>
public sealed record ReasonCode(string Code, double PointsLost, ReasonText Text);

/// <summary>The result of scoring one application.</summary>
/// <param name="ProbabilityOfDefault">The model's probability that the loan goes bad.</param>
/// <param name="Score">Score points (higher is safer), on the model's scaling.</param>
/// <param name="Band">The risk band, A (safest) to E.</param>
/// <param name="Reasons">The features that lowered the score most, worst first.</param>
/// <param name="ModelVersion">The content hash of the model bundle.</param>
public sealed record ScoreResult(double ProbabilityOfDefault, int Score, string Band, IReadOnlyList<ReasonCode> Reasons, string ModelVersion)
{
    /// <summary>Upper probability-of-default bounds of bands A to D; anything above is E.</summary>
    public static IReadOnlyList<(string Band, double Below)> BandBounds { get; } = [("A", 0.05), ("B", 0.10), ("C", 0.20), ("D", 0.35)];

    /// <summary>The band of a probability of default.</summary>
    public static string BandOf(double probabilityOfDefault)
    {
        foreach ((string band, double below) in BandBounds)
        {
            if (probabilityOfDefault < below)
            {
                return band;
            }
        }

        return "E";
    }
}
