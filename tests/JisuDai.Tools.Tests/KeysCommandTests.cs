using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using JisuDai.Adapters.Security;
using JisuDai.Adapters.Storage;
using JisuDai.App.Applications;
using JisuDai.App.Security;
using JisuDai.Lending.Applications;
using JisuDai.Simulators.KeyVault;
using JisuDai.Tests;

namespace JisuDai.Tools.Tests;

/// <summary>
/// <c>jisudai keys rotate</c> and <c>migrate</c> as a user runs them beside a local host: the vault is the host's key
/// files in <c>.data/keys/key-vault</c>, storage the host's Azurite.
/// </summary>
public sealed class KeysCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    const string KeyName = "pii-key-encryption-key";
    static readonly byte[] RootKey = Convert.FromBase64String(TestTokens.PersonalDataKey);

    [Fact]
    public async Task Rotate_rewraps_every_data_key_under_a_new_key_version_and_migrate_reseals_old_applications_and_everything_still_opens()
    {
        string folder = Directory.CreateTempSubdirectory("jisudai-keys-").FullName;
        string vaultFolder = Path.Combine(folder, ".data", "keys", "key-vault");
        Directory.CreateDirectory(Path.Combine(folder, ".data", "keys"));
        await File.WriteAllTextAsync(Path.Combine(folder, ".data", "keys", "personal-data-key"), TestTokens.PersonalDataKey);
        await using KeyVaultSimulator vault = await KeyVaultSimulator.StartAsync("http://127.0.0.1:0", vaultFolder, "host-token", [KeyName]);
        var tables = new TableServiceClient(azurite.Server.ConnectionString);
        PersonalData Fresh() => new(RootKey, new TableDataKeys(tables), new KeyVaultKeys(new HttpClient(), new Uri(vault.Url), KeyName, _ => ValueTask.FromResult("host-token"), TimeProvider.System), TimeProvider.System);
        var applications = new TableDocumentStore<LoanApplication>(tables, DocumentKinds.CollectionOf<LoanApplication>(), DocumentKinds.TablesOf<LoanApplication>());
        var identity = new ApplicantIdentitySealed("Zhou Ba", "110101199003070011", "+8613900001111", "6222020200112230", null, null);
        string enveloped = await Fresh().SealAsync(identity, "cust-k1", "app-k1.cust-k1", default);
        await applications.CreateAsync(new LoanApplication("app-k1.cust-k1", "cust-k1", "express", 5000m, 12, ApplicationStatus.Submitted, DateTimeOffset.UtcNow, ProtectedIdentity: enveloped));
        await applications.CreateAsync(new LoanApplication("app-k2.cust-k2", "cust-k2", "express", 5000m, 12, ApplicationStatus.Submitted, DateTimeOffset.UtcNow,
            ProtectedIdentity: LegacySeal(identity, "app-k2.cust-k2")));
        string before = (await new TableDataKeys(tables).FindAsync("cust-k1", 1, default))!.Wrapped.KeyId;

        var rotated = JisudaiCli.RunIn(folder, "keys", "rotate", "--storage", azurite.Server.ConnectionString);
        var migrated = JisudaiCli.RunIn(folder, "keys", "migrate", "--storage", azurite.Server.ConnectionString);
        var again = JisudaiCli.RunIn(folder, "keys", "migrate", "--storage", azurite.Server.ConnectionString);

        Assert.True(rotated.ExitCode == 0, rotated.Error);
        JsonNode rotation = JsonNode.Parse(rotated.Out)!;
        // The command reached the same vault at another address (the key files are the vault): versions are what match.
        Assert.Equal(before.Split('/')[^1], rotation["previousKeyId"]!.GetValue<string>().Split('/')[^1]);
        string after = rotation["keyId"]!.GetValue<string>();
        Assert.NotEqual(before.Split('/')[^1], after.Split('/')[^1]);
        Assert.Equal(1, rotation["rewrapped"]!.GetValue<int>());
        Assert.Equal(after.Split('/')[^1], (await new TableDataKeys(tables).FindAsync("cust-k1", 1, default))!.Wrapped.KeyId.Split('/')[^1]);

        Assert.True(migrated.ExitCode == 0, migrated.Error);
        Assert.Equal((2, 1, 1), Report(migrated.Out));
        Assert.Equal((2, 0, 2), Report(again.Out));
        LoanApplication resealed = (await applications.FindAsync("cust-k2", "app-k2.cust-k2"))!.Document;
        Assert.Equal("cust-k2", PersonalData.OwnerOf(resealed.ProtectedIdentity));
        Assert.Equal(identity, await Fresh().OpenAsync<ApplicantIdentitySealed>(resealed.ProtectedIdentity, resealed.Id, default));
        Assert.Equal(identity, await Fresh().OpenAsync<ApplicantIdentitySealed>(enveloped, "app-k1.cust-k1", default));
    }

    [Fact]
    public void Without_a_vault_the_command_says_where_it_looked()
    {
        string empty = Directory.CreateTempSubdirectory("jisudai-keys-none-").FullName;
        var result = JisudaiCli.RunIn(empty, "keys", "rewrap", "--storage", azurite.Server.ConnectionString);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Security:KeyVaultUrl", result.Error);
        Assert.Contains("names no vault: pass --vault, set Security__KeyVaultUrl", result.Error);
    }

    static (int Examined, int Resealed, int Already) Report(string json)
    {
        JsonNode report = JsonNode.Parse(json)!;
        return (report["examined"]!.GetValue<int>(), report["resealed"]!.GetValue<int>(), report["alreadyEnveloped"]!.GetValue<int>());
    }

    /// <summary>How applications were sealed before envelope encryption: under a key derived from Security:PersonalDataKey.</summary>
    static string LegacySeal<T>(T value, string recordId)
    {
        byte[] key = HKDF.DeriveKey(HashAlgorithmName.SHA256, RootKey, 32, info: "jisudai personal data seal"u8.ToArray());
        byte[] plain = JsonSerializer.SerializeToUtf8Bytes(value);
        byte[] nonce = RandomNumberGenerator.GetBytes(12), cipher = new byte[plain.Length], tag = new byte[16];
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(recordId));
        return "v1." + Convert.ToBase64String([.. nonce, .. cipher, .. tag]);
    }
}
