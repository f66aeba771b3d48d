using Microsoft.Extensions.Configuration;

namespace JisuDai.App.Configuration;

/// <summary>Durations in configuration: written as hh:mm:ss or d.hh:mm:ss, or as whole days.</summary>
public static class Durations
{
    /// <summary>The duration at <paramref name="key"/>, <paramref name="fallback"/> when unset; a value that is not a duration fails naming the key.</summary>
    public static TimeSpan Read(IConfiguration configuration, string key, TimeSpan fallback) =>
        configuration[key] is not { Length: > 0 } text || string.IsNullOrWhiteSpace(text) ? fallback
        : TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out TimeSpan value) ? value
        : throw new ConfigurationException(key, $"must be a duration as hh:mm:ss (or d.hh:mm:ss); got '{text}'.");

    /// <summary>A number of whole days at <paramref name="key"/> (0 to 3,650), <paramref name="fallback"/> when unset; anything else fails naming the key.</summary>
    public static int WholeDays(IConfiguration configuration, string key, int fallback) =>
        configuration[key] is not { Length: > 0 } text || string.IsNullOrWhiteSpace(text) ? fallback
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int days) && days <= 3650 ? days
        : throw new ConfigurationException(key, $"must be a whole number of days from 0 to 3650; got '{text}'.");
}
