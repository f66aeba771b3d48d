using System.Globalization;

namespace JisuDai.Risk.Scoring;

/// <summary>Values computed for a decision (behaviour features, bureau findings) as fields a feature spec can take as sources.</summary>
public static class SourceFields
{
    /// <summary><c>{prefix}.{name}</c> for each known value, in invariant text; unknown values are left out.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Of(string prefix, IReadOnlyList<string> names, double?[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is { } v)
            {
                yield return new($"{prefix}.{names[i]}", v.ToString("R", CultureInfo.InvariantCulture));
            }
        }
    }
}
