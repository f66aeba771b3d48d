using System.Text.Json;
using System.Text.Json.Nodes;
using JisuDai.App.Configuration;
using Microsoft.Extensions.Configuration;

namespace JisuDai.Standalone;

/// <summary>
/// Settings for running the app under Azure Functions Core Tools (<c>func start</c>) on this machine: with
/// <c>JisuDai:FunctionsSettings</c> set to a path, the standalone host starts what it would start for itself (its
/// Azurite, the development keys, the simulators of the payment provider, real-name check, credit bureau and Key
/// Vault), writes every app setting they resolve to that file as a <c>local.settings.json</c>, and keeps them running
/// instead of serving the app. <c>functions/local.settings.json.example</c> lists the same names.
/// </summary>
static class FunctionsSettings
{
    public const string Setting = "JisuDai:FunctionsSettings";

    /// <summary>What the Functions host itself reads besides the app's settings.</summary>
    static readonly Dictionary<string, string> Platform = new() { ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated" };

    /// <summary>The app settings (in their environment-variable spelling) that <paramref name="configuration"/> resolves, with the platform's.</summary>
    public static SortedDictionary<string, string> Resolved(IConfiguration configuration)
    {
        var values = new SortedDictionary<string, string>(Platform, StringComparer.Ordinal);
        foreach (string key in AppSettings.InAzure.Concat(AppSettings.LocalOnly))
        {
            if (configuration[key] is { Length: > 0 } value)
            {
                values[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        return values;
    }

    /// <summary>Writes the settings file (owner-only: it holds the development keys).</summary>
    public static void Write(string path, IConfiguration configuration)
    {
        var document = new JsonObject { ["IsEncrypted"] = false, ["Values"] = new JsonObject(Resolved(configuration).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))) };
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
