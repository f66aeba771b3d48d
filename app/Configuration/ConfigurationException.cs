namespace JisuDai.App.Configuration;

/// <summary>A setting is missing, malformed or points somewhere unusable. The message names the setting.</summary>
public sealed class ConfigurationException(string setting, string problem, Exception? inner = null)
    : Exception($"Setting '{setting}': {problem}", inner)
{
    /// <summary>The configuration key at fault, as written in app settings (':' or '__' separated).</summary>
    public string Setting { get; } = setting;
}
