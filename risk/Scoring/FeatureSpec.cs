using System.Text.Json.Serialization;

namespace JisuDai.Risk.Scoring;

/// <summary>A reason's text in the two languages borrowers read: the factor's name, e.g. "Savings" / "储蓄".</summary>
/// <param name="En">English.</param>
/// <param name="ZhCn">Simplified Chinese.</param>
public sealed record ReasonText(
    [property: JsonPropertyName("en")] string En,
    [property: JsonPropertyName("zh-CN")] string ZhCn);

/// <summary>One band of a numeric source value: values below <see cref="Below"/> (or any value, for the last band) map to <see cref="Value"/>.</summary>
public sealed record Band(double? Below, string Value);

/// <summary>
/// Where a model input comes from in an application: the applicant field, and how its value becomes the model's value:
/// through <see cref="Values"/> (text to category), <see cref="Bands"/> (number to category or code), or as it is.
/// </summary>
/// <param name="Source">The application field (camelCase, as in the API); null when the API has no field for it.</param>
/// <param name="Values">Allowed application values and the model value each maps to.</param>
/// <param name="Bands">Numeric bands, in ascending order, the last without a bound.</param>
/// <param name="Reason">What a reason code on this feature says.</param>
public sealed record FeatureSource(string? Source, IReadOnlyDictionary<string, string>? Values = null, IReadOnlyList<Band>? Bands = null, ReasonText? Reason = null);

/// <summary>
/// The feature spec: how the application API's fields map onto a model's inputs, and the reason text of each feature.
/// Features the spec does not name are read from an application field of the same name.
/// </summary>
/// <param name="Features">Per model input name.</param>
public sealed record FeatureSpec(IReadOnlyDictionary<string, FeatureSource> Features)
{
    /// <summary>The spec that reads every input from a field of its own name, with generic reason texts.</summary>
    public static FeatureSpec Identity { get; } = new(new Dictionary<string, FeatureSource>());

    /// <summary>The source of <paramref name="feature"/>.</summary>
    public FeatureSource SourceOf(string feature) => Features.TryGetValue(feature, out FeatureSource? s) ? s : new FeatureSource(feature);

    /// <summary>The reason text of <paramref name="feature"/>.</summary>
    public ReasonText ReasonOf(string feature) => SourceOf(feature).Reason
        ?? new ReasonText(feature, feature);
}
