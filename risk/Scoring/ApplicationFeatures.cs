using System.Globalization;
using JisuDai.Lending;
using JisuDai.Risk.Data;
using JisuDai.Risk.Models;

namespace JisuDai.Risk.Scoring;

/// <summary>
/// Maps application fields onto a model's inputs through a <see cref="FeatureSpec"/>. A field that is absent leaves its
/// input missing (the model has a bin or a default for that); a field that is present but wrong is an error naming it.
/// </summary>
public sealed class ApplicationFeatures
{
    readonly IReadOnlyList<ModelInput> inputs;
    readonly Dictionary<string, List<(int Input, FeatureSource Source)>> byField = new(StringComparer.Ordinal);

    /// <summary>Compiles the mapping of <paramref name="spec"/> onto <paramref name="inputs"/>.</summary>
    public ApplicationFeatures(IReadOnlyList<ModelInput> inputs, FeatureSpec spec)
    {
        this.inputs = inputs;
        for (int i = 0; i < inputs.Count; i++)
        {
            FeatureSource source = spec.SourceOf(inputs[i].Name);
            if (source.Source is { } field)
            {
                if (!byField.TryGetValue(field, out var list))
                {
                    byField[field] = list = [];
                }

                list.Add((i, source));
            }
        }

        ReadsBehaviour = byField.Keys.Any(f => f.StartsWith("behaviour.", StringComparison.Ordinal));
    }

    /// <summary>True when some input takes a behaviour feature (<c>behaviour.*</c>) as its source.</summary>
    public bool ReadsBehaviour { get; }

    /// <summary>The application fields this model reads.</summary>
    public IEnumerable<string> Fields => byField.Keys.Order(StringComparer.Ordinal);

    /// <summary>True for a field read as a number (numeric input or banded), false for one read as text.</summary>
    public bool IsNumeric(string field) =>
        byField[field].Any(t => t.Source.Bands is not null || (t.Source.Values is null && inputs[t.Input].Kind == FeatureKind.Numeric));

    /// <summary>Maps <paramref name="fields"/> (text, numbers in invariant form; null or absent for unknown) to model inputs.</summary>
    public Outcome<FeatureVector> Map(IReadOnlyDictionary<string, string?> fields)
    {
        var vector = new FeatureVector(inputs.Count);
        List<DomainError>? errors = null;
        foreach ((string field, string? value) in fields)
        {
            if (!byField.TryGetValue(field, out var targets))
            {
                (errors ??= []).Add(new DomainError(field, "unknown-field",
                    $"'{field}' is not an input of this model. Known fields: {string.Join(", ", Fields)}."));
                continue;
            }

            if (value is null)
            {
                continue;
            }

            foreach ((int input, FeatureSource source) in targets)
            {
                if (Convert(input, source, field, value) is { } error)
                {
                    (errors ??= []).Add(error);
                    break;
                }

                Assign(vector, input, source, value);
            }
        }

        return errors is null ? Outcome<FeatureVector>.Success(vector) : Outcome<FeatureVector>.Failure(errors);
    }

    DomainError? Convert(int input, FeatureSource source, string field, string value)
    {
        if (source.Values is { } values && !values.ContainsKey(value))
        {
            return new DomainError(field, "allowed-values", $"'{field}' must be one of {string.Join(", ", values.Keys)}; got '{value}'.");
        }

        bool needsNumber = source.Bands is not null || (source.Values is null && inputs[input].Kind == FeatureKind.Numeric);
        if (needsNumber && (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number)))
        {
            return new DomainError(field, "number", $"'{field}' must be a number; got '{value}'.");
        }

        return null;
    }

    void Assign(FeatureVector vector, int input, FeatureSource source, string value)
    {
        string mapped = value;
        if (source.Values is { } values)
        {
            mapped = values[value];
        }
        else if (source.Bands is { } bands)
        {
            double number = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            mapped = bands.First(b => b.Below is null || number < b.Below).Value;
        }

        if (inputs[input].Kind == FeatureKind.Numeric)
        {
            vector.Numbers[input] = double.Parse(mapped, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        else
        {
            vector.Categories[input] = mapped;
        }
    }
}
