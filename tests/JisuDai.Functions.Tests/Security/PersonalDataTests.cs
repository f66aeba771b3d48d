using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using JisuDai.Adapters.Security;
using JisuDai.App.Security;
using JisuDai.Simulators.KeyVault;
using JisuDai.Tests;

namespace JisuDai.Functions.Tests.Security;

/// <summary>
/// Envelope encryption on Azurite with the Key Vault simulator: a data key per owner wrapped by the vault's key,
/// rotation that rewraps data keys and leaves data readable, crypto-shredding, and values sealed before it.
/// </summary>
public sealed class PersonalDataTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    const string Token = "envelope-test-token";
    static readonly byte[] RootKey = Convert.FromBase64String(TestTokens.PersonalDataKey);
    readonly string folder = Path.Combine(Path.GetTempPath(), "jisudai-vault-" + Guid.NewGuid().ToString("N"));
    KeyVaultSimulator vault = null!;
    TableServiceClient tables = null!;

    public async Task InitializeAsync()
    {
        vault = await KeyVaultSimulator.StartAsync("http://127.0.0.1:0", folder, Token, ["kek"]);
        tables = new TableServiceClient(azurite.Server.ConnectionString);
        await tables.DeleteTableAsync(TableDataKeys.TableName);
    }

    public async Task DisposeAsync()
    {
        await vault.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    KeyVaultKeys Keys() => new(new HttpClient(), new Uri(vault.Url), "kek", _ => ValueTask.FromResult(Token), TimeProvider.System);

    /// <summary>A fresh instance: nothing cached, so every open goes through the stored, wrapped data key.</summary>
    PersonalData Fresh() => new(RootKey, new TableDataKeys(tables), Keys(), TimeProvider.System);

    sealed record Identity(string Name, string IdNumber);

    [Fact]
    public async Task Each_owner_gets_a_data_key_of_its_own_and_a_value_opens_only_for_its_record()
    {
        PersonalData personalData = Fresh();
        string zhang = await personalData.SealAsync(new Identity("Zhang San", "110101199003070011"), "cust-zhang", "app-1.cust-zhang", default);
        string li = await personalData.SealAsync(new Identity("Li Si", "110101198506150027"), "cust-li", "app-2.cust-li", default);

        Assert.Equal("cust-zhang", PersonalData.OwnerOf(zhang));
        Assert.DoesNotContain("Zhang", zhang);
        List<DataKey> stored = await new TableDataKeys(tables).ListAsync(default).ToListAsync();
        Assert.Equal(["cust-li", "cust-zhang"], stored.Select(k => k.Owner).Order());
        Assert.All(stored, k => Assert.StartsWith(vault.Url + "keys/kek/", k.Wrapped.KeyId));
        Assert.Equal(new Identity("Zhang San", "110101199003070011"), await Fresh().OpenAsync<Identity>(zhang, "app-1.cust-zhang", default));

        await Assert.ThrowsAnyAsync<CryptographicException>(() => Fresh().OpenAsync<Identity>(zhang, "app-2.cust-li", default));
        // Relabelled as Li's: the owner is bound into the ciphertext, so it does not open under Li's key either.
        string relabelled = li.Split('.')[0] + "." + li.Split('.')[1] + "." + li.Split('.')[2] + "." + zhang.Split('.')[3];
        await Assert.ThrowsAnyAsync<CryptographicException>(() => Fresh().OpenAsync<Identity>(relabelled, "app-1.cust-zhang", default));
    }

    [Fact]
    public async Task Rotating_the_key_encryption_key_rewraps_every_data_key_and_every_sealed_value_still_opens()
    {
        PersonalData personalData = Fresh();
        var sealedValues = new List<(string Value, string Record, Identity Plain)>();
        foreach (string owner in new[] { "cust-a", "cust-b", "cust-c" })
        {
            var plain = new Identity($"Name {owner}", "110101199202200034");
            sealedValues.Add((await personalData.SealAsync(plain, owner, $"app.{owner}", default), $"app.{owner}", plain));
        }

        string before = await Keys().CurrentKeyIdAsync(default);
        string after = await Keys().RotateAsync(default);
        var rotation = new DataKeyRotation(new TableDataKeys(tables), Keys(), TimeProvider.System);
        RewrapReport report = await rotation.RewrapAsync(null, default);

        Assert.Equal(new RewrapReport(after, 3, 3, 0), report);
        Assert.All(await new TableDataKeys(tables).ListAsync(default).ToListAsync(), k => Assert.Equal(after, k.Wrapped.KeyId));
        foreach ((string value, string record, Identity plain) in sealedValues)
        {
            Assert.Equal(plain, await Fresh().OpenAsync<Identity>(value, record, default));
        }

        // With the old version gone from the vault, everything still opens: nothing depends on it any more.
        File.Delete(Path.Combine(folder, "kek", before.Split('/')[^1] + ".json"));
        Assert.Equal(sealedValues[0].Plain, await Fresh().OpenAsync<Identity>(sealedValues[0].Value, sealedValues[0].Record, default));
        Assert.Equal(new RewrapReport(after, 3, 0, 3), await rotation.RewrapAsync(null, default));
    }

    [Fact]
    public async Task Shredding_an_owners_data_key_makes_their_values_unreadable_and_leaves_everyone_elses()
    {
        PersonalData personalData = Fresh();
        string gone = await personalData.SealAsync(new Identity("Wang Wu", "110101197809090047"), "cust-gone", "app.cust-gone", default);
        string kept = await personalData.SealAsync(new Identity("Zhao Liu", "110101199003070011"), "cust-kept", "app.cust-kept", default);
        Assert.Equal("Wang Wu", (await personalData.OpenAsync<Identity>(gone, "app.cust-gone", default)).Name);

        Assert.True(await personalData.ShredAsync("cust-gone", default));

        var erased = await Assert.ThrowsAsync<PersonalDataErasedException>(() => personalData.OpenAsync<Identity>(gone, "app.cust-gone", default));
        Assert.Equal("cust-gone", erased.Owner);
        await Assert.ThrowsAsync<PersonalDataErasedException>(() => Fresh().OpenAsync<Identity>(gone, "app.cust-gone", default));
        Assert.Equal("Zhao Liu", (await Fresh().OpenAsync<Identity>(kept, "app.cust-kept", default)).Name);
        Assert.False(await personalData.ShredAsync("cust-gone", default));
    }

    [Fact]
    public async Task A_value_sealed_before_envelope_encryption_still_opens_under_the_old_key()
    {
        // The v1 form: AES-256-GCM under a key derived from Security:PersonalDataKey, bound to the record id.
        byte[] key = HKDF.DeriveKey(HashAlgorithmName.SHA256, RootKey, 32, info: "jisudai personal data seal"u8.ToArray());
        byte[] plain = JsonSerializer.SerializeToUtf8Bytes(new Identity("Sun Qi", "110101199003070011"));
        byte[] nonce = RandomNumberGenerator.GetBytes(12), cipher = new byte[plain.Length], tag = new byte[16];
        using (var aes = new AesGcm(key, 16))
        {
            aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes("app-old.cust-old"));
        }

        string legacy = "v1." + Convert.ToBase64String([.. nonce, .. cipher, .. tag]);

        Assert.True(PersonalData.IsLegacy(legacy));
        Assert.Equal("Sun Qi", (await Fresh().OpenAsync<Identity>(legacy, "app-old.cust-old", default)).Name);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => Fresh().OpenAsync<Identity>(legacy, "app-other.cust-old", default));
    }

    [Fact]
    public void Lookups_are_keyed_so_the_same_phone_fingerprints_differently_under_another_key()
    {
        PersonalData ours = Fresh();
        var theirs = new PersonalData(RandomNumberGenerator.GetBytes(32), new TableDataKeys(tables), Keys(), TimeProvider.System);

        Assert.Equal(ours.Fingerprint("sms-opt-out", "+8613800138000"), Fresh().Fingerprint("sms-opt-out", "+8613800138000"));
        Assert.NotEqual(ours.Fingerprint("sms-opt-out", "+8613800138000"), theirs.Fingerprint("sms-opt-out", "+8613800138000"));
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData("+8613800138000"u8)), ours.Digest("x", "+8613800138000"u8));
    }
}
