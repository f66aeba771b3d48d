using JisuDai.Risk.Data;
using JisuDai.Risk.Models;

namespace JisuDai.Risk.Scoring;

/// <summary>
/// One application's model inputs, by input index: a number (NaN when missing) for numeric inputs, a category (null when
/// missing) for categorical ones.
/// </summary>
public sealed class FeatureVector(int inputs)
{
    /// <summary>Numeric values.</summary>
    public double[] Numbers { get; } = Enumerable.Repeat(double.NaN, inputs).ToArray();

    /// <summary>Categorical values.</summary>
    public string?[] Categories { get; } = new string?[inputs];

    /// <summary>Row <paramref name="row"/> of <paramref name="data"/> as <paramref name="inputs"/> (for scoring past applications in bulk).</summary>
    public static FeatureVector Of(CreditDataset data, int row, IReadOnlyList<ModelInput> inputs)
    {
        var vector = new FeatureVector(inputs.Count);
        for (int i = 0; i < inputs.Count; i++)
        {
            FeatureColumn column = data.Features.FirstOrDefault(f => f.Name == inputs[i].Name)
                ?? throw new CreditDataException($"The data has no column '{inputs[i].Name}', which the model reads.");
            if (column.Kind == FeatureKind.Numeric)
            {
                vector.Numbers[i] = column.Numbers![row];
            }
            else
            {
                vector.Categories[i] = column.Categories![row];
            }
        }

        return vector;
    }
}
