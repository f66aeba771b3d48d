using System.Net;
using System.Security.Cryptography;
using JisuDai.Adapters.Security;
using JisuDai.App.Security;
using JisuDai.Simulators.KeyVault;

namespace JisuDai.Functions.Tests.Security;

/// <summary>The Keys REST adapter against the Key Vault simulator over HTTP: wrap and unwrap, rotation, and the refusals.</summary>
public sealed class KeyVaultKeysTests : IAsyncLifetime
{
    const string Token = "test-vault-token";
    readonly string folder = Path.Combine(Path.GetTempPath(), "jisudai-vault-" + Guid.NewGuid().ToString("N"));
    KeyVaultSimulator vault = null!;

    public async Task InitializeAsync() => vault = await KeyVaultSimulator.StartAsync("http://127.0.0.1:0", folder, Token, ["kek"]);

    public async Task DisposeAsync()
    {
        await vault.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    KeyVaultKeys Keys(string token = Token, string key = "kek") => new(new HttpClient(), new Uri(vault.Url), key, _ => ValueTask.FromResult(token), TimeProvider.System);

    [Fact]
    public async Task A_data_key_wrapped_under_one_version_unwraps_after_the_key_is_rotated_and_new_keys_wrap_under_the_new_version()
    {
        byte[] dataKey = RandomNumberGenerator.GetBytes(32);
        KeyVaultKeys keys = Keys();
        string first = await keys.CurrentKeyIdAsync(default);
        WrappedKey wrapped = await keys.WrapAsync(dataKey, default);
        Assert.StartsWith(vault.Url + "keys/kek/", first);
        Assert.Equal((first, "RSA-OAEP-256"), (wrapped.KeyId, wrapped.Algorithm));
        Assert.NotEqual(dataKey, wrapped.Value);

        string second = await keys.RotateAsync(default);
        WrappedKey again = await keys.WrapAsync(dataKey, default);

        Assert.NotEqual(first, second);
        Assert.Equal(second, again.KeyId);
        Assert.Equal(second, await Keys().CurrentKeyIdAsync(default));
        Assert.Equal(dataKey, await keys.UnwrapAsync(wrapped, default));
        Assert.Equal(dataKey, await Keys().UnwrapAsync(again, default));
        // The versions are files: a vault started again over the same folder unwraps what this one wrapped.
        await using KeyVaultSimulator restarted = await KeyVaultSimulator.StartAsync("http://127.0.0.1:0", folder, Token, ["kek"]);
        var elsewhere = new KeyVaultKeys(new HttpClient(), new Uri(restarted.Url), "kek", _ => ValueTask.FromResult(Token), TimeProvider.System);
        Assert.Equal(dataKey, await elsewhere.UnwrapAsync(again, default));
    }

    [Fact]
    public async Task A_call_without_the_right_token_is_refused_with_Key_Vaults_challenge_and_error()
    {
        using var http = new HttpClient();
        HttpResponseMessage anonymous = await http.GetAsync(vault.Url + "keys/kek?api-version=7.4");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("resource=\"https://vault.azure.net\"", anonymous.Headers.WwwAuthenticate.ToString());

        var wrongToken = await Assert.ThrowsAsync<KeyWrappingException>(() => Keys("another-token").WrapAsync(new byte[32], default));
        Assert.Contains("401 Unauthorized", wrongToken.Message);
        var noSuchKey = await Assert.ThrowsAsync<KeyWrappingException>(() => Keys(key: "missing").CurrentKeyIdAsync(default));
        Assert.Contains("404 KeyNotFound", noSuchKey.Message);
    }

    [Fact]
    public async Task A_wrapped_key_is_only_sent_to_the_configured_vault_and_opens_only_under_its_own_version()
    {
        byte[] dataKey = RandomNumberGenerator.GetBytes(32);
        WrappedKey wrapped = await Keys().WrapAsync(dataKey, default);

        // A stored key id naming another address gives only the version: the request still goes to this vault.
        Assert.Equal(dataKey, await Keys().UnwrapAsync(wrapped with { KeyId = "https://attacker.example/keys/kek/" + wrapped.KeyId.Split('/')[^1] }, default));
        var otherKey = await Assert.ThrowsAsync<KeyWrappingException>(() => Keys().UnwrapAsync(wrapped with { KeyId = vault.Url + "keys/another/abc" }, default));
        Assert.Contains("is not a version of the key kek", otherKey.Message);
        string other = await Keys().RotateAsync(default);
        var wrongVersion = await Assert.ThrowsAsync<KeyWrappingException>(() => Keys().UnwrapAsync(wrapped with { KeyId = other }, default));
        Assert.Contains("400 BadParameter", wrongVersion.Message);
        var changed = await Assert.ThrowsAsync<KeyWrappingException>(() => Keys().UnwrapAsync(wrapped with { Value = [.. wrapped.Value[..^1], (byte)(wrapped.Value[^1] ^ 1)] }, default));
        Assert.Contains("400 BadParameter", changed.Message);
    }

    [Fact]
    public async Task A_vault_that_is_down_is_a_clear_failure_after_a_few_tries()
    {
        using var http = new HttpClient();
        (await http.PostAsync(vault.Url + "simulator/faults", new StringContent("""{"unavailable": true}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var down = await Assert.ThrowsAsync<KeyWrappingException>(() => Keys().CurrentKeyIdAsync(default));
        Assert.Contains("503 ServiceUnavailable", down.Message);

        (await http.PostAsync(vault.Url + "simulator/faults", new StringContent("""{"unavailable": false}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        Assert.StartsWith(vault.Url, await Keys().CurrentKeyIdAsync(default));
    }
}
