using System.Text.Json.Serialization;

namespace JisuDai.Risk.Scorecards;

/// <summary>
/// Turns odds into score points: <see cref="BaseScore"/> points at good:bad odds of <see cref="BaseOdds"/>:1, and
/// <see cref="PointsToDoubleOdds"/> more points each time the odds double. The default is 600 points at 50:1, PDO 20.
/// </summary>
public sealed record PointsScaling(double BaseScore = 600, double BaseOdds = 50, double PointsToDoubleOdds = 20)
{
    /// <summary>Points per unit of log-odds.</summary>
    [JsonIgnore]
    public double Factor => PointsToDoubleOdds / Math.Log(2);

    /// <summary>The score at even log-odds (odds 1:1).</summary>
    [JsonIgnore]
    public double Offset => BaseScore - Factor * Math.Log(BaseOdds);

    /// <summary>The score of a probability of default.</summary>
    public double ScoreOf(double probabilityOfDefault)
    {
        double p = Math.Clamp(probabilityOfDefault, 1e-9, 1 - 1e-9);
        return Offset + Factor * Math.Log((1 - p) / p);
    }

    /// <summary>The probability of default of a score.</summary>
    public double ProbabilityOf(double score) => 1 / (1 + Math.Exp((score - Offset) / Factor));
}
