using JisuDai.Risk.Data;

namespace JisuDai.Risk.Binning;

/// <summary>
/// One bin of a feature. A numeric bin holds values below <see cref="Upper"/> (and at or above the previous bin's upper);
/// a categorical bin holds its <see cref="Categories"/>; the missing bin holds rows with no value; the other bin holds
/// categories too rare to stand alone, and any category first seen after training.
/// </summary>
/// <param name="Label">How the bin reads in a report, e.g. "[25, 33)" or "'own'".</param>
/// <param name="Upper">The exclusive upper bound of a numeric bin; null for the last one.</param>
/// <param name="Categories">The categories of a categorical bin.</param>
/// <param name="Missing">True for the bin of missing values.</param>
/// <param name="Other">True for the bin of rare and unseen categories.</param>
/// <param name="Goods">Good rows in training.</param>
/// <param name="Bads">Bad rows in training.</param>
/// <param name="Woe">Weight of evidence: ln(share of goods / share of bads); above zero is safer than average.</param>
public sealed record Bin(string Label, double? Upper, IReadOnlyList<string>? Categories, bool Missing, bool Other, int Goods, int Bads, double Woe);

/// <summary>The bins of one feature with their weights of evidence and the feature's information value.</summary>
/// <param name="Feature">The feature's name.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Bins">The bins, numeric ones in ascending order, the missing bin last.</param>
/// <param name="InformationValue">Σ (share of goods − share of bads) × WoE over the bins.</param>
/// <param name="Monotonic">True when the bad rate rises or falls steadily across the numeric bins.</param>
public sealed record FeatureBinning(string Feature, FeatureKind Kind, IReadOnlyList<Bin> Bins, double InformationValue, bool Monotonic)
{
    /// <summary>The bin a numeric value falls in, or -1 when it is missing and training had no missing values.</summary>
    public int BinOf(double value)
    {
        if (double.IsNaN(value))
        {
            return MissingBin;
        }

        for (int i = 0; i < Bins.Count; i++)
        {
            Bin bin = Bins[i];
            if (!bin.Missing && (bin.Upper is null || value < bin.Upper))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The bin a category falls in: its own, else the other bin, else -1 (no evidence either way).</summary>
    public int BinOf(string? category)
    {
        if (category is null)
        {
            return MissingBin;
        }

        int other = -1;
        for (int i = 0; i < Bins.Count; i++)
        {
            Bin bin = Bins[i];
            if (bin.Categories is { } categories && categories.Contains(category, StringComparer.Ordinal))
            {
                return i;
            }

            if (bin.Other)
            {
                other = i;
            }
        }

        return other;
    }

    /// <summary>The weight of evidence of a bin index; 0 (neutral) for -1.</summary>
    public double WoeOf(int bin) => bin < 0 ? 0 : Bins[bin].Woe;

    /// <summary>The bin of row <paramref name="row"/> of <paramref name="column"/>.</summary>
    public int BinOf(FeatureColumn column, int row) =>
        column.Kind == FeatureKind.Numeric ? BinOf(column.Numbers![row]) : BinOf(column.Categories![row]);

    int MissingBin
    {
        get
        {
            for (int i = 0; i < Bins.Count; i++)
            {
                if (Bins[i].Missing)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
