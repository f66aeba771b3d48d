using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using JisuDai.Adapters.Configuration;
using JisuDai.App.Configuration;
using JisuDai.App.Security;
using Microsoft.Extensions.Configuration;

namespace JisuDai.Adapters.Security;

/// <summary>
/// The key-encryption key in Key Vault, through the Keys REST API (api-version 7.4): <c>GET /keys/{name}</c> for the
/// current version, <c>POST /keys/{name}/{version}/wrapkey</c> and <c>/unwrapkey</c> with RSA-OAEP-256, and
/// <c>POST /keys/{name}/rotate</c> for a new version. Requests carry a Microsoft Entra bearer token for
/// <c>https://vault.azure.net</c> (the app's managed identity in Azure); locally, the Key Vault simulator's token.
/// The current version is asked for at most every <see cref="CurrentFor"/>, so a rotation is picked up within that.
/// A wrapped key is only ever sent to this vault and key: its stored key id gives the version, never the address (so a
/// token never goes where stored data points, and a vault reached at another address still unwraps its versions).
/// </summary>
public sealed class KeyVaultKeys : IKeyWrapper
{
    public const string ApiVersion = "7.4";
    public const string Algorithm = "RSA-OAEP-256";
    public const string Scope = "https://vault.azure.net/.default";
    public const string DefaultKeyName = "pii-key-encryption-key";
    public static readonly TimeSpan CurrentFor = TimeSpan.FromMinutes(5);

    readonly HttpClient http;
    readonly Uri vault;
    readonly string keyName;
    readonly Func<CancellationToken, ValueTask<string>> bearer;
    readonly TimeProvider clock;
    (string KeyId, DateTimeOffset Until)? current;

    public KeyVaultKeys(HttpClient http, Uri vault, string keyName, Func<CancellationToken, ValueTask<string>> bearer, TimeProvider clock)
    {
        (this.http, this.keyName, this.bearer, this.clock) = (http, keyName, bearer, clock);
        this.vault = vault.AbsoluteUri.EndsWith('/') ? vault : new Uri(vault.AbsoluteUri + "/");
    }

    /// <summary>
    /// The vault in <c>Security:KeyVaultUrl</c> and key <c>Security:KeyName</c>, reached with the managed identity
    /// (<c>Security:clientId</c>), or, for a loopback vault only, the static token in <c>Security:KeyVaultToken</c>.
    /// Null when no vault is configured.
    /// </summary>
    public static KeyVaultKeys? FromConfiguration(IConfiguration configuration, TimeProvider clock)
    {
        if (configuration[AppSettings.KeyVaultUrl] is not { Length: > 0 } url)
        {
            return null;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? vault) || vault.Scheme is not ("https" or "http") || (vault.Scheme == "http" && !vault.IsLoopback))
        {
            throw new ConfigurationException(AppSettings.KeyVaultUrl, "must be the vault's https URL (http only for a vault on this machine).");
        }

        string keyName = configuration[AppSettings.KeyName] is { Length: > 0 } name ? name : DefaultKeyName;
        Func<CancellationToken, ValueTask<string>> bearer;
        if (configuration[AppSettings.KeyVaultToken] is { Length: > 0 } token)
        {
            if (!vault.IsLoopback)
            {
                throw new ConfigurationException(AppSettings.KeyVaultToken, "is only for a vault on this machine (the Key Vault simulator); a real vault takes the managed identity.");
            }

            bearer = _ => ValueTask.FromResult(token);
        }
        else
        {
            TokenCredential credential = Credentials.FromConfiguration(configuration, AppSettings.KeyVaultClientId);
            bearer = async ct => (await credential.GetTokenAsync(new TokenRequestContext([Scope]), ct)).Token;
        }

        return new KeyVaultKeys(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(15) },
            vault, keyName, bearer, clock);
    }

    /// <summary>Fails at start when no vault is configured: a host that cannot seal personal data must not take any.</summary>
    public static void RequireConfigured(IServiceProvider services)
    {
        if (services.GetService(typeof(IKeyWrapper)) is null or UnconfiguredKeyWrapper)
        {
            throw new ConfigurationException(AppSettings.KeyVaultUrl, "is required: the vault whose key wraps personal-data keys (the standalone host starts its Key Vault simulator when unset).");
        }
    }

    public async Task<string> CurrentKeyIdAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = clock.GetUtcNow();
        if (current is { } c && c.Until > now)
        {
            return c.KeyId;
        }

        JsonObject bundle = await SendAsync(HttpMethod.Get, new Uri(vault, $"keys/{Uri.EscapeDataString(keyName)}?api-version={ApiVersion}"), null, cancellationToken);
        string keyId = KeyIdOf(bundle["key"]?["kid"]?.GetValue<string>());
        current = (keyId, now + CurrentFor);
        return keyId;
    }

    public async Task<WrappedKey> WrapAsync(byte[] dataKey, CancellationToken cancellationToken)
    {
        string keyId = await CurrentKeyIdAsync(cancellationToken);
        JsonObject result = await SendAsync(HttpMethod.Post, new Uri($"{keyId}/wrapkey?api-version={ApiVersion}"),
            new JsonObject { ["alg"] = Algorithm, ["value"] = Base64Url.EncodeToString(dataKey) }, cancellationToken);
        return new WrappedKey(KeyIdOf(result["kid"]?.GetValue<string>()), Algorithm, ValueOf(result));
    }

    public async Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken)
    {
        string keyId = VersionOf(wrapped.KeyId);
        JsonObject result = await SendAsync(HttpMethod.Post, new Uri($"{keyId}/unwrapkey?api-version={ApiVersion}"),
            new JsonObject { ["alg"] = wrapped.Algorithm, ["value"] = Base64Url.EncodeToString(wrapped.Value) }, cancellationToken);
        return ValueOf(result);
    }

    /// <summary>Makes a new version of the key (needs the Key Vault Crypto Officer role); new data keys are wrapped under it from now on.</summary>
    public async Task<string> RotateAsync(CancellationToken cancellationToken)
    {
        JsonObject bundle = await SendAsync(HttpMethod.Post, new Uri(vault, $"keys/{Uri.EscapeDataString(keyName)}/rotate?api-version={ApiVersion}"), new JsonObject(), cancellationToken);
        string keyId = KeyIdOf(bundle["key"]?["kid"]?.GetValue<string>());
        current = (keyId, clock.GetUtcNow() + CurrentFor);
        return keyId;
    }

    /// <summary>A key id of this vault's key with its version (<c>{vault}keys/{name}/{version}</c>); anything else is refused, so no token goes elsewhere.</summary>
    string KeyIdOf(string? kid)
    {
        string prefix = $"{vault.AbsoluteUri}keys/{keyName}/";
        return kid is { } k && k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && k.Length > prefix.Length && !k[prefix.Length..].Contains('/') && !k.Contains('?')
            ? k
            : throw new KeyWrappingException($"The key id '{kid}' is not a version of {prefix.TrimEnd('/')}.");
    }

    /// <summary>This vault's URL of the key version a stored key id names (<c>…/keys/{name}/{version}</c> of this key).</summary>
    string VersionOf(string stored)
    {
        string[] path = Uri.TryCreate(stored, UriKind.Absolute, out Uri? uri) ? uri.AbsolutePath.Trim('/').Split('/') : [];
        return path is ["keys", { } name, { Length: > 0 } version] && string.Equals(name, keyName, StringComparison.OrdinalIgnoreCase)
               && version.All(char.IsAsciiLetterOrDigit)
            ? $"{vault.AbsoluteUri}keys/{keyName}/{version}"
            : throw new KeyWrappingException($"The key id '{stored}' is not a version of the key {keyName}.");
    }

    static byte[] ValueOf(JsonObject result)
    {
        string value = result["value"]?.GetValue<string>() is { Length: > 0 } v ? v : throw new KeyWrappingException("Key Vault answered without a value.");
        try
        {
            return Base64Url.DecodeFromChars(value);
        }
        catch (FormatException e)
        {
            throw new KeyWrappingException("Key Vault answered with a value that is not base64url.", e);
        }
    }

    async Task<JsonObject> SendAsync(HttpMethod method, Uri uri, JsonObject? body, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await bearer(cancellationToken));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (attempt < 3)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
                    continue;
                }

                throw new KeyWrappingException($"Key Vault at {vault.Host} cannot be reached: {e.Message}", e);
            }

            using (response)
            {
                if ((response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500) && attempt < 3)
                {
                    TimeSpan wait = response.Headers.RetryAfter?.Delta is { } d && d < TimeSpan.FromSeconds(2) ? d : TimeSpan.FromMilliseconds(200 * attempt);
                    await Task.Delay(wait, cancellationToken);
                    continue;
                }

                JsonObject? answer = null;
                try
                {
                    answer = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
                }
                catch (System.Text.Json.JsonException)
                {
                }

                if (!response.IsSuccessStatusCode || answer is null)
                {
                    string code = answer?["error"]?["code"]?.GetValue<string>() ?? response.StatusCode.ToString();
                    string message = answer?["error"]?["message"]?.GetValue<string>() ?? "no details";
                    throw new KeyWrappingException($"Key Vault refused {method} {uri.AbsolutePath}: {(int)response.StatusCode} {code}: {message}");
                }

                return answer;
            }
        }
    }
}

/// <summary>Where no vault is configured (<c>Security:KeyVaultUrl</c>): nothing can be sealed or opened, and saying so is the answer.</summary>
public sealed class UnconfiguredKeyWrapper : IKeyWrapper
{
    const string Message = "No key-encryption key is configured (Security:KeyVaultUrl); personal data cannot be sealed or opened.";

    public Task<string> CurrentKeyIdAsync(CancellationToken cancellationToken) => throw new KeyWrappingException(Message);

    public Task<WrappedKey> WrapAsync(byte[] dataKey, CancellationToken cancellationToken) => throw new KeyWrappingException(Message);

    public Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken) => throw new KeyWrappingException(Message);
}
