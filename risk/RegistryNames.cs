using System.Text.RegularExpressions;

namespace JisuDai.Risk;

/// <summary>
/// The one rule for the names and versions of what the risk registries store (models, rule sets): a name is what a
/// blob path segment and a person can both read; a version is a content hash's first 16 hex digits.
/// </summary>
public static partial class RegistryNames
{
    /// <summary>True for 1–63 lowercase letters, digits or hyphens, starting with a letter or digit.</summary>
    public static bool IsName(string? name) => name is not null && Name().IsMatch(name);

    /// <summary>True for 16 lowercase hex digits.</summary>
    public static bool IsVersion(string? version) => version is not null && Version().IsMatch(version);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\z")]
    private static partial Regex Name();

    [GeneratedRegex(@"^[0-9a-f]{16}\z")]
    private static partial Regex Version();
}
