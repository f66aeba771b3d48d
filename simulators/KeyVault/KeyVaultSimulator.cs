using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JisuDai.Simulators.KeyVault;

/// <summary>
/// A local Key Vault speaking the Keys REST API (api-version 7.4) for RSA keys: <c>GET /keys/{name}</c> and
/// <c>/keys/{name}/{version}</c> (the key bundle: kid, kty, key_ops, n, e, attributes), <c>POST /keys/{name}/create</c>,
/// <c>POST /keys/{name}/rotate</c>, and <c>POST /keys/{name}/{version}/wrapkey</c> and <c>/unwrapkey</c> with RSA-OAEP-256
/// or RSA-OAEP (<c>{"alg", "value"}</c> in, <c>{"kid", "value"}</c> out, base64url). Every call needs
/// <c>Authorization: Bearer</c> with its token: none is a 401 with Key Vault's challenge, a wrong one a 401
/// <c>Unauthorized</c>; errors come in Key Vault's <c>{"error": {"code", "message"}}</c>. Key versions are kept as
/// files (owner-only) in its folder, so they outlive restarts and another process over the same folder sees the same
/// keys. <c>POST /simulator/faults</c> <c>{"unavailable": true}</c> answers 503 until cleared; <c>GET
/// /simulator/operations</c> counts wraps and unwraps.
/// </summary>
public sealed class KeyVaultSimulator : IAsyncDisposable
{
    const int DefaultKeySize = 2048;
    readonly WebApplication app;
    readonly string directory, token;
    readonly Lock writing = new();
    readonly ConcurrentDictionary<string, int> operations = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, RSA> loaded = new(StringComparer.Ordinal);
    volatile bool unavailable;

    KeyVaultSimulator(WebApplication app, string directory, string token) => (this.app, this.directory, this.token) = (app, directory, token);

    /// <summary>Where it listens (the vault URL, ending in /).</summary>
    public string Url { get; private set; } = "";

    /// <summary>
    /// Starts it on <paramref name="url"/> (port 0: any free port) over the keys in <paramref name="directory"/>,
    /// taking calls with <paramref name="token"/>; makes <paramref name="keys"/> where they do not exist yet, as Bicep
    /// makes the real vault's.
    /// </summary>
    public static async Task<KeyVaultSimulator> StartAsync(string url, string directory, string token, IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var simulator = new KeyVaultSimulator(builder.Build(), directory, token);
        foreach (string name in keys)
        {
            if (simulator.Versions(name).Count == 0)
            {
                simulator.NewVersion(name, DefaultKeySize);
            }
        }

        WebApplication app = simulator.app;
        app.Use(simulator.GuardAsync);
        app.MapGet("/keys/{name}", (string name, HttpContext context) => simulator.Bundle(context, name, null));
        app.MapGet("/keys/{name}/{version}", (string name, string version, HttpContext context) => simulator.Bundle(context, name, version));
        app.MapPost("/keys/{name}/create", async (string name, HttpContext context) => await simulator.CreateAsync(context, name));
        app.MapPost("/keys/{name}/rotate", (string name, HttpContext context) => simulator.Rotate(context, name));
        app.MapPost("/keys/{name}/{version}/wrapkey", async (string name, string version, HttpContext context) => await simulator.OperateAsync(context, name, version, wrap: true));
        app.MapPost("/keys/{name}/{version}/unwrapkey", async (string name, string version, HttpContext context) => await simulator.OperateAsync(context, name, version, wrap: false));
        await app.StartAsync(cancellationToken);
        simulator.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
        return simulator;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        foreach (RSA key in loaded.Values)
        {
            key.Dispose();
        }
    }

    async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        PathString path = context.Request.Path;
        if (path.StartsWithSegments("/simulator"))
        {
            if (path == "/simulator/faults" && HttpMethods.IsPost(context.Request.Method))
            {
                unavailable = (await JsonNode.ParseAsync(context.Request.Body))?["unavailable"]?.GetValue<bool>() == true;
                context.Response.StatusCode = 204;
            }
            else if (path == "/simulator/operations")
            {
                await context.Response.WriteAsJsonAsync(operations.ToDictionary());
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            return;
        }

        string? authorization = context.Request.Headers.Authorization;
        if (string.IsNullOrEmpty(authorization))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer authorization=\"https://login.microsoftonline.com/common\", resource=\"https://vault.azure.net\"";
            await Error(context, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
            return;
        }

        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(authorization), System.Text.Encoding.UTF8.GetBytes("Bearer " + token)))
        {
            await Error(context, 401, "Unauthorized", "AKV10032: Invalid issuer or token.");
            return;
        }

        if (string.IsNullOrEmpty(context.Request.Query["api-version"]))
        {
            await Error(context, 400, "BadParameter", "The request URI contains an invalid API version.");
            return;
        }

        if (unavailable)
        {
            await Error(context, 503, "ServiceUnavailable", "The service is unavailable (simulated).");
            return;
        }

        await next(context);
    }

    IResult Bundle(HttpContext context, string name, string? version)
    {
        (string Version, RSA Key, DateTimeOffset Created)? key = Find(name, version);
        return key is { } k ? BundleOf(context, name, k) : NotFound(name, version);
    }

    async Task<IResult> CreateAsync(HttpContext context, string name)
    {
        JsonNode? body = await ReadAsync(context);
        if (body?["kty"]?.GetValue<string>() is not ("RSA" or "RSA-HSM"))
        {
            return ErrorResult(400, "BadParameter", "Property kty must be RSA or RSA-HSM here.");
        }

        int size = body["key_size"]?.GetValue<int>() ?? DefaultKeySize;
        if (size is not (2048 or 3072 or 4096))
        {
            return ErrorResult(400, "BadParameter", "Property key_size must be 2048, 3072 or 4096.");
        }

        NewVersion(name, size);
        return BundleOf(context, name, Find(name, null)!.Value);
    }

    IResult Rotate(HttpContext context, string name)
    {
        if (Find(name, null) is not { } latest)
        {
            return NotFound(name, null);
        }

        NewVersion(name, latest.Key.KeySize);
        return BundleOf(context, name, Find(name, null)!.Value);
    }

    async Task<IResult> OperateAsync(HttpContext context, string name, string version, bool wrap)
    {
        if (Find(name, version) is not { } key)
        {
            return NotFound(name, version);
        }

        JsonNode? body = await ReadAsync(context);
        RSAEncryptionPadding? padding = body?["alg"]?.GetValue<string>() switch
        {
            "RSA-OAEP-256" => RSAEncryptionPadding.OaepSHA256,
            "RSA-OAEP" => RSAEncryptionPadding.OaepSHA1,
            _ => null,
        };
        if (padding is null)
        {
            return ErrorResult(400, "BadParameter", "Property alg must be RSA-OAEP-256 or RSA-OAEP.");
        }

        byte[] value;
        try
        {
            value = Base64Url.DecodeFromChars(body!["value"]?.GetValue<string>() ?? "");
        }
        catch (FormatException)
        {
            return ErrorResult(400, "BadParameter", "Property value is not base64url.");
        }

        byte[] result;
        try
        {
            result = wrap ? key.Key.Encrypt(value, padding) : key.Key.Decrypt(value, padding);
        }
        catch (CryptographicException)
        {
            return ErrorResult(400, "BadParameter", wrap ? "The value is too long for this key." : "Error unwrapping: the value was not wrapped by this key version.");
        }

        operations.AddOrUpdate(wrap ? "wrapkey" : "unwrapkey", 1, (_, n) => n + 1);
        return Results.Json(new JsonObject { ["kid"] = KeyId(context, name, key.Version), ["value"] = Base64Url.EncodeToString(result) });
    }

    IResult BundleOf(HttpContext context, string name, (string Version, RSA Key, DateTimeOffset Created) key)
    {
        RSAParameters p = key.Key.ExportParameters(false);
        long created = key.Created.ToUnixTimeSeconds();
        return Results.Json(new JsonObject
        {
            ["key"] = new JsonObject
            {
                ["kid"] = KeyId(context, name, key.Version), ["kty"] = "RSA", ["key_ops"] = new JsonArray("wrapKey", "unwrapKey"),
                ["n"] = Base64Url.EncodeToString(p.Modulus!), ["e"] = Base64Url.EncodeToString(p.Exponent!),
            },
            ["attributes"] = new JsonObject { ["enabled"] = true, ["created"] = created, ["updated"] = created, ["recoveryLevel"] = "Recoverable" },
        });
    }

    static string KeyId(HttpContext context, string name, string version) => $"{context.Request.Scheme}://{context.Request.Host}/keys/{name}/{version}";

    /// <summary>The versions of a key, oldest first.</summary>
    List<(string Version, DateTimeOffset Created, string Path)> Versions(string name)
    {
        string folder = Path.Combine(directory, SafeName(name));
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.GetFiles(folder, "*.json")
            .Select(path => (Path.GetFileNameWithoutExtension(path), JsonNode.Parse(File.ReadAllText(path))!, path))
            .Select(v => (v.Item1, DateTimeOffset.FromUnixTimeMilliseconds(v.Item2["createdMs"]!.GetValue<long>()), v.path))
            .OrderBy(v => v.Item2).ThenBy(v => v.Item1, StringComparer.Ordinal)
            .ToList();
    }

    (string Version, RSA Key, DateTimeOffset Created)? Find(string name, string? version)
    {
        if (!IsSafe(name) || (version is not null && !IsSafe(version)))
        {
            return null;
        }

        var versions = Versions(name);
        var chosen = version is null ? versions.LastOrDefault() : versions.FirstOrDefault(v => v.Version == version);
        if (chosen.Path is null)
        {
            return null;
        }

        // A version's file never changes once written, so its key is read once.
        RSA rsa = loaded.GetOrAdd(chosen.Path, path =>
        {
            var key = RSA.Create();
            key.ImportFromPem(JsonNode.Parse(File.ReadAllText(path))!["pem"]!.GetValue<string>());
            return key;
        });
        return (chosen.Version, rsa, chosen.Created);
    }

    void NewVersion(string name, int size)
    {
        using RSA rsa = RSA.Create(size);
        string folder = Path.Combine(directory, SafeName(name));
        lock (writing)
        {
            Directory.CreateDirectory(folder);
            long created = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Versions(name).Select(v => v.Created.ToUnixTimeMilliseconds() + 1).DefaultIfEmpty(0).Max());
            string version = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            string content = new JsonObject { ["createdMs"] = created, ["pem"] = rsa.ExportPkcs8PrivateKeyPem() }.ToJsonString();
            string path = Path.Combine(folder, version + ".json");
            string written = path + "." + Guid.NewGuid().ToString("N");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(new FileStream(written, options)))
            {
                writer.Write(content);
            }

            File.Move(written, path);
        }
    }

    static bool IsSafe(string name) => name.Length is > 0 and <= 127 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    static string SafeName(string name) => IsSafe(name) ? name : throw new ArgumentException("A key name is 1-127 letters, digits and dashes.", nameof(name));

    static async Task<JsonNode?> ReadAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static IResult NotFound(string name, string? version) =>
        ErrorResult(404, "KeyNotFound", $"A key with (name/id) {name}{(version is null ? "" : "/" + version)} was not found in this key vault.");

    static IResult ErrorResult(int status, string code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, statusCode: status);

    static Task Error(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });
    }
}
