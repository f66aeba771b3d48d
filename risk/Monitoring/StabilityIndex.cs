using System.Text.Json.Serialization;

namespace JisuDai.Risk.Monitoring;

/// <summary>How far a distribution has moved from its baseline, in the bands credit risk teams use.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StabilityBand>))]
public enum StabilityBand
{
    /// <summary>Below 0.1: no meaningful change.</summary>
    Stable,
    /// <summary>0.1 to 0.25: a change worth watching.</summary>
    Watch,
    /// <summary>0.25 or more: the population has shifted; the model may no longer fit it.</summary>
    Shifted,
}

/// <summary>A population (or characteristic) stability index and its band.</summary>
/// <param name="Value">Σ (actual − expected) · ln(actual / expected) over the bins.</param>
/// <param name="Band">The band <paramref name="Value"/> falls in.</param>
/// <param name="Count">How many observations the actual shares come from.</param>
public sealed record Stability(double Value, StabilityBand Band, long Count);

/// <summary>
/// The population stability index (PSI) of a score, or the characteristic stability index (CSI) of one model input:
/// the same formula over the bins fixed at training. A bin empty on one side would make the logarithm infinite, so
/// shares are floored at <see cref="ShareFloor"/> (the usual practice); a bin empty on both sides adds nothing.
/// </summary>
public static class StabilityIndex
{
    /// <summary>The smallest share a bin counts with: 0.01%.</summary>
    public const double ShareFloor = 1e-4;

    /// <summary>Upper bound of <see cref="StabilityBand.Stable"/>.</summary>
    public const double WatchFrom = 0.1;

    /// <summary>Lower bound of <see cref="StabilityBand.Shifted"/>.</summary>
    public const double ShiftedFrom = 0.25;

    /// <summary>
    /// The index of <paramref name="actualCounts"/> against <paramref name="expectedShares"/> (same bins, same order), or
    /// null when there is nothing to compare: no actual observations, or no baseline.
    /// </summary>
    public static Stability? Of(IReadOnlyList<double>? expectedShares, IReadOnlyList<long> actualCounts)
    {
        if (expectedShares is null || expectedShares.Count == 0)
        {
            return null;
        }

        if (expectedShares.Count != actualCounts.Count)
        {
            throw new ArgumentException($"The baseline has {expectedShares.Count} bins but the counts have {actualCounts.Count}.", nameof(actualCounts));
        }

        long total = 0;
        foreach (long c in actualCounts)
        {
            total += c;
        }

        if (total == 0)
        {
            return null;
        }

        double index = 0;
        for (int i = 0; i < expectedShares.Count; i++)
        {
            if (expectedShares[i] <= 0 && actualCounts[i] == 0)
            {
                continue;
            }

            double expected = Math.Max(expectedShares[i], ShareFloor);
            double actual = Math.Max(actualCounts[i] / (double)total, ShareFloor);
            index += (actual - expected) * Math.Log(actual / expected);
        }

        return new Stability(index, BandOf(index), total);
    }

    /// <summary>The band of an index value.</summary>
    public static StabilityBand BandOf(double index) =>
        index >= ShiftedFrom ? StabilityBand.Shifted : index >= WatchFrom ? StabilityBand.Watch : StabilityBand.Stable;
}
