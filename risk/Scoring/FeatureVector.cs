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

    /// <summary>
    /// The vector as input name to value, as a decision records it: numbers in invariant round-trip form, categories as
    /// they are, null where missing. <see cref="FromRecord"/> reads it back to the same vector.
    /// </summary>
    public IReadOnlyDictionary<string, string?> ToRecord(IReadOnlyList<ModelInput> inputs)
    {
        var record = new Dictionary<string, string?>(inputs.Count, StringComparer.Ordinal);
        for (int i = 0; i < inputs.Count; i++)
        {
            record[inputs[i].Name] = inputs[i].Kind == FeatureKind.Numeric
                ? double.IsNaN(Numbers[i]) ? null : Numbers[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)
                : Categories[i];
        }

        return record;
    }

    /// <summary>A vector from a decision's record of its inputs; an input the record lacks, or cannot read as a number, is missing.</summary>
    public static FeatureVector FromRecord(IReadOnlyDictionary<string, string?> record, IReadOnlyList<ModelInput> inputs)
    {
        var vector = new FeatureVector(inputs.Count);
        for (int i = 0; i < inputs.Count; i++)
        {
            string? value = record.GetValueOrDefault(inputs[i].Name);
            if (inputs[i].Kind == FeatureKind.Numeric)
            {
                vector.Numbers[i] = double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
            }
            else
            {
                vector.Categories[i] = value;
            }
        }

        return vector;
    }

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
