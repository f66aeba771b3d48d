using JisuDai.App.Configuration;
using Microsoft.Extensions.Configuration;

namespace JisuDai.Functions.Diagnostics;

/// <summary>
/// The diagnostics endpoints start orchestrations on request, so they answer only where
/// <c>JisuDai:Diagnostics:Enabled</c> is true: the standalone host's defaults, never Azure's.
/// </summary>
public sealed record DiagnosticsOptions(bool Enabled)
{
    public const string Setting = AppSettings.DiagnosticsEnabled;

    public static DiagnosticsOptions FromConfiguration(IConfiguration configuration) =>
        new(bool.TryParse(configuration[Setting], out bool enabled) && enabled);
}
