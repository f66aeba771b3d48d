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
}
