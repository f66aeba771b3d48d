using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using JisuDai.Adapters.Security;
using JisuDai.App.Configuration;
using JisuDai.App.Security;
using JisuDai.Simulators.KeyVault;
using JisuDai.Tools.Risk;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Tools.Security;

/// <summary>
/// <c>jisudai keys rotate | rewrap | migrate</c>: the personal-data keys. <c>rotate</c> makes a new version of the
/// key-encryption key and rewraps every data key under it; <c>rewrap</c> only rewraps (after Key Vault's own rotation
/// policy made the version); <c>migrate</c> reseals applications sealed before envelope encryption. Each prints one
/// JSON report. The vault is <c>--vault</c>, else <c>$Security__KeyVaultUrl</c> (reached with az login's identity,
/// which needs Key Vault Crypto Officer to rotate), else the local host's key files in <c>.data/keys/key-vault</c>;
/// <c>migrate</c> opens old values under <c>$Security__PersonalDataKey</c>, else the local host's <c>.data/keys/personal-data-key</c>.
/// </summary>
static class KeysCommand
{
    const string LocalVaultFolder = ".data/keys/key-vault";
    const string LocalPersonalDataKey = ".data/keys/personal-data-key";

    public static Command Create()
    {
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: $AzureWebJobsStorage, else the running local host's Azurite).", Recursive = true };
        var vaultOption = new Option<string?>("--vault") { Description = "The Key Vault URL (default: $Security__KeyVaultUrl, else the local host's key files).", Recursive = true };
        var account = new Option<string?>("--account-name") { Description = "A storage account reached with az login's identity (Azure turns shared keys off); instead of --storage.", Recursive = true };
        var keyOption = new Option<string?>("--key") { Description = $"The key-encryption key's name (default: $Security__KeyName, else {KeyVaultKeys.DefaultKeyName}).", Recursive = true };

        var rotate = new Command("rotate", "Makes a new version of the key-encryption key and rewraps every data key under it; no sealed value changes.");
        rotate.SetAction((parse, ct) => RunAsync(parse.GetValue(storage), parse.GetValue(account), parse.GetValue(vaultOption), parse.GetValue(keyOption), async (services, vault) =>
        {
            string previous = await vault.CurrentKeyIdAsync(ct);
            string current = await vault.RotateAsync(ct);
            await Console.Error.WriteLineAsync($"rotated {previous} -> {current}; rewrapping data keys");
            RewrapReport report = await services.GetRequiredService<DataKeyRotation>().RewrapAsync(Counter("data keys"), ct);
            Print(new { previousKeyId = previous, report.KeyId, report.Examined, report.Rewrapped, report.AlreadyCurrent });
        }));

        var rewrap = new Command("rewrap", "Rewraps every data key still wrapped under an older version of the key-encryption key.");
        rewrap.SetAction((parse, ct) => RunAsync(parse.GetValue(storage), parse.GetValue(account), parse.GetValue(vaultOption), parse.GetValue(keyOption), async (services, _) =>
            Print(await services.GetRequiredService<DataKeyRotation>().RewrapAsync(Counter("data keys"), ct))));

        var migrate = new Command("migrate", "Reseals applications sealed before envelope encryption (v1) under their customer's data key.");
        migrate.SetAction((parse, ct) => RunAsync(parse.GetValue(storage), parse.GetValue(account), parse.GetValue(vaultOption), parse.GetValue(keyOption), async (services, _) =>
            Print(await services.GetRequiredService<PersonalDataMigration>().ResealApplicationsAsync(Counter("applications"), ct))));

        return new Command("keys", "The personal-data keys: rotation of the key-encryption key, rewrapping, migration.") { storage, account, vaultOption, keyOption, rotate, rewrap, migrate };
    }

    static async Task<int> RunAsync(string? storage, string? accountName, string? vaultUrl, string? keyName, Func<ServiceProvider, KeyVaultKeys, Task> action)
    {
        var settings = new Dictionary<string, string?>();
        if (vaultUrl is not null)
        {
            settings[AppSettings.KeyVaultUrl] = vaultUrl;
        }

        if (keyName is not null)
        {
            settings[AppSettings.KeyName] = keyName;
        }

        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("Security__PersonalDataKey")) && File.Exists(LocalPersonalDataKey))
        {
            settings[AppSettings.PersonalDataKey] = (await File.ReadAllTextAsync(LocalPersonalDataKey)).Trim();
        }

        await using KeyVaultSimulator? local = await LocalVaultIfUnconfiguredAsync(settings);
        return await StorageConnection.RunComposedAsync(storage, accountName, settings, async services =>
        {
            if (services.GetRequiredService<IKeyWrapper>() is not KeyVaultKeys vault)
            {
                throw new ConfigurationException(AppSettings.KeyVaultUrl, $"names no vault: pass --vault, set Security__KeyVaultUrl, or run this where the local host keeps {LocalVaultFolder}.");
            }

            await action(services, vault);
        }, typeof(KeyWrappingException));
    }

    /// <summary>The local host's vault is files; a simulator over the same files here is the same vault.</summary>
    static async Task<KeyVaultSimulator?> LocalVaultIfUnconfiguredAsync(Dictionary<string, string?> settings)
    {
        if (settings.ContainsKey(AppSettings.KeyVaultUrl) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("Security__KeyVaultUrl")) || !Directory.Exists(LocalVaultFolder))
        {
            return null;
        }

        string token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        string keyName = settings.GetValueOrDefault(AppSettings.KeyName) ?? Environment.GetEnvironmentVariable("Security__KeyName") ?? KeyVaultKeys.DefaultKeyName;
        KeyVaultSimulator simulator = await KeyVaultSimulator.StartAsync("http://127.0.0.1:0", LocalVaultFolder, token, []);
        settings[AppSettings.KeyVaultUrl] = simulator.Url;
        settings[AppSettings.KeyName] = keyName;
        settings[AppSettings.KeyVaultToken] = token;
        return simulator;
    }

    static IProgress<int> Counter(string what) => new Progress<int>(n =>
    {
        if (n % 1000 == 0)
        {
            Console.Error.WriteLine($"progress: {n} {what}");
        }
    });

    static void Print<T>(T report) => Console.Out.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
}
