using JisuDai.App.Configuration;
using JisuDai.Risk.Defaults;
using Microsoft.Extensions.Configuration;

namespace JisuDai.App.Risk;

/// <summary>Which model scores applications, and how often the champion pointer is checked for a promotion or rollback.</summary>
public sealed record RiskOptions(string ModelName, TimeSpan RefreshInterval)
{
    public static RiskOptions FromConfiguration(IConfiguration configuration)
    {
        string name = configuration[AppSettings.RiskModelName] is { Length: > 0 } n ? n : DefaultModel.Name;
        int seconds = 60;
        if (configuration[AppSettings.RiskModelRefreshSeconds] is { Length: > 0 } text && (!int.TryParse(text, out seconds) || seconds < 1))
        {
            throw new ConfigurationException(AppSettings.RiskModelRefreshSeconds, $"must be a whole number of seconds, at least 1; got '{text}'.");
        }

        return new RiskOptions(name, TimeSpan.FromSeconds(seconds));
    }
}
