using System.Security.Cryptography;
using Azure.Data.Tables;
using JisuDai.Adapters.Security;
using JisuDai.App.Configuration;
using JisuDai.App.Security;
using JisuDai.Simulators.KeyVault;

namespace JisuDai.Tests.Shared.Security;

/// <summary>
/// One Key Vault simulator for the test process (over a temporary folder, on a free loopback port; it stops with the
/// process), so tests that compose the app seal personal data the way the app does: data keys wrapped through the
/// Keys REST adapter.
/// </summary>
public static class TestKeyVault
{
    public const string KeyName = "pii-key-encryption-key";
    static readonly string Token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    static readonly Lazy<Task<KeyVaultSimulator>> Vault = new(() =>
        KeyVaultSimulator.StartAsync("http://127.0.0.1:0", Path.Combine(Path.GetTempPath(), "jisudai-test-vault-" + Guid.NewGuid().ToString("N")), Token, [KeyName]));

    /// <summary>The vault's URL.</summary>
    public static string Url => Vault.Value.GetAwaiter().GetResult().Url;

    /// <summary>The settings that point the app at this vault.</summary>
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [AppSettings.KeyVaultUrl] = Url, [AppSettings.KeyName] = KeyName, [AppSettings.KeyVaultToken] = Token,
    };

    /// <summary>The adapter over this vault.</summary>
    public static KeyVaultKeys Keys(TimeProvider? clock = null) =>
        new(new HttpClient(), new Uri(Url), KeyName, _ => ValueTask.FromResult(Token), clock ?? TimeProvider.System);

    /// <summary>Personal data sealed as the app seals it, with its data keys in <paramref name="tables"/>.</summary>
    public static PersonalData PersonalData(TableServiceClient tables, string rootKey) =>
        new(Convert.FromBase64String(rootKey), new TableDataKeys(tables), Keys(), TimeProvider.System);
}
