using System.Security.Cryptography;
using JisuDai.Adapters.Security;
using JisuDai.App.Configuration;
using JisuDai.Simulators.KeyVault;

namespace JisuDai.Standalone.Simulators;

/// <summary>
/// The Key Vault of a local run: when none is configured, the Key Vault simulator is started on a free loopback port
/// over the key files in <c>.data/keys/key-vault</c> (so sealed data stays readable across restarts), with a bearer
/// token made for this run, and the app reaches it through the same Keys REST adapter it uses in Azure.
/// </summary>
static class LocalKeyVault
{
    public const string Folder = "key-vault";

    public static async Task<KeyVaultSimulator?> StartIfUnconfiguredAsync(ConfigurationManager configuration, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configuration[AppSettings.KeyVaultUrl]))
        {
            return null;
        }

        string keyName = configuration[AppSettings.KeyName] is { Length: > 0 } name ? name : KeyVaultKeys.DefaultKeyName;
        string token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        KeyVaultSimulator simulator = await KeyVaultSimulator.StartAsync("http://127.0.0.1:0", Path.Combine(dataDirectory, DevelopmentKeys.Folder, Folder), token, [keyName]);
        configuration[AppSettings.KeyVaultUrl] = simulator.Url;
        configuration[AppSettings.KeyName] = keyName;
        configuration[AppSettings.KeyVaultToken] = token;
        return simulator;
    }
}
