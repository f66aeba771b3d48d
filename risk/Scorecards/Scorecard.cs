
using System.Text.Json.Serialization;
using JisuDai.Risk.Binning;

namespace JisuDai.Risk.Scorecards;

/// <summary>One feature of a scorecard: its bins, the regression weight on its WoE, and the points each bin earns.</summary>
/// <param name="Binning">The feature's bins.</param>
/// <param name="Weight">The logistic-regression weight on WoE (log-odds of bad; negative, since higher WoE is safer).</param>
/// <param name="Points">Points per bin, in bin order.</param>
/// <param name="NeutralPoints">Points when the value falls in no bin (missing or unseen with no bin for it): no evidence either way.</param>
public sealed record ScorecardFeature(FeatureBinning Binning, double Weight, IReadOnlyList<double> Points, double NeutralPoints)
{
    /// <summary>The most points this feature can give: what a reason code measures the shortfall from.</summary>
    [JsonIgnore]
    public double MaxPoints => Math.Max(NeutralPoints, Points.Max());
}

/// <summary>
/// A points scorecard: log-odds of bad = <see cref="Intercept"/> + Σ weight × WoE, spread over the features as points
/// so the score is the sum of each feature's points. Higher scores are safer.
/// </summary>
/// <param name="Scaling">How log-odds become points.</param>
/// <param name="Intercept">The regression's intercept.</param>
/// <param name="Features">The selected features.</param>
public sealed record Scorecard(PointsScaling Scaling, double Intercept, IReadOnlyList<ScorecardFeature> Features)
{
    /// <summary>Builds the points table from a fitted regression.</summary>
    public static Scorecard From(PointsScaling scaling, double intercept, IReadOnlyList<(FeatureBinning Binning, double Weight)> fitted)
    {
        double share = (scaling.Offset - scaling.Factor * intercept) / fitted.Count;
        var features = fitted.Select(f => new ScorecardFeature(
            f.Binning, f.Weight, f.Binning.Bins.Select(b => share - scaling.Factor * f.Weight * b.Woe).ToList(), share)).ToList();
        return new Scorecard(scaling, intercept, features);
    }

    /// <summary>The probability of default given the bin of each feature (-1 for none).</summary>
    public double ProbabilityOf(ReadOnlySpan<int> bins)
    {
        double logit = Intercept;
        for (int i = 0; i < Features.Count; i++)
        {
            logit += Features[i].Weight * Features[i].Binning.WoeOf(bins[i]);
        }

        return 1 / (1 + Math.Exp(-logit));
    }
}
