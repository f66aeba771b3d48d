using System.Text.Json.Serialization;
using JisuDai.Risk.Data;

namespace JisuDai.Risk.Trees;

/// <summary>
/// How features become the float vector the tree model reads: a numeric feature is one slot (NaN when missing); a
/// categorical feature is one slot per category seen in training (one-hot; all zero when missing or unseen).
/// </summary>
/// <param name="Features">The features in slot order.</param>
public sealed record TreeLayout(IReadOnlyList<TreeLayoutFeature> Features)
{
    /// <summary>The vector's length.</summary>
    [JsonIgnore]
    public int Width => Features.Sum(f => f.Categories?.Count ?? 1);

    /// <summary>Lays out every feature of <paramref name="data"/>, with the categories seen there.</summary>
    public static TreeLayout Of(CreditDataset data) => new(data.Features.Select(f => new TreeLayoutFeature(
        f.Name, f.Kind,
        f.Kind == FeatureKind.Categorical ? f.Categories!.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() : null)).ToList());

    /// <summary>The vectors of every row of <paramref name="data"/>, which must have this layout's features.</summary>
    public float[][] Vectors(CreditDataset data)
    {
        var columns = Features.Select(f => data.Features.Single(c => c.Name == f.Name)).ToList();
        var rows = new float[data.Count][];
        for (int r = 0; r < data.Count; r++)
        {
            rows[r] = new float[Width];
            int slot = 0;
            for (int i = 0; i < Features.Count; i++)
            {
                slot = Write(i, columns[i].Kind == FeatureKind.Numeric ? columns[i].Numbers![r] : double.NaN,
                    columns[i].Kind == FeatureKind.Categorical ? columns[i].Categories![r] : null, rows[r], slot);
            }
        }

        return rows;
    }

    /// <summary>Writes feature <paramref name="feature"/>'s value into <paramref name="vector"/> at <paramref name="slot"/>; returns the next slot.</summary>
    public int Write(int feature, double number, string? category, Span<float> vector, int slot)
    {
        TreeLayoutFeature f = Features[feature];
        if (f.Categories is null)
        {
            vector[slot] = (float)number;
            return slot + 1;
        }

        for (int c = 0; c < f.Categories.Count; c++)
        {
            vector[slot + c] = category is not null && string.Equals(f.Categories[c], category, StringComparison.Ordinal) ? 1f : 0f;
        }

        return slot + f.Categories.Count;
    }
}

/// <summary>One feature of a <see cref="TreeLayout"/>.</summary>
/// <param name="Name">The feature's name.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Categories">The one-hot categories of a categorical feature; null for a numeric one.</param>
public sealed record TreeLayoutFeature(string Name, FeatureKind Kind, IReadOnlyList<string>? Categories);
