using System.Security.Cryptography;
using JisuDai.App.Configuration;
using Microsoft.Extensions.Configuration;

namespace JisuDai.Standalone;

/// <summary>
/// Keys a local run needs and nobody configured: made once at random, kept in the data folder (readable by the owner
/// only) and reused on every start, so tokens minted with <c>jisudai token</c> stay valid across restarts. They are for
/// this machine; Azure reads its keys from Key Vault.
/// </summary>
static class DevelopmentKeys
{
    public const string Folder = "keys";
    public const string SigningKeyFile = "auth-signing-key";
    public const string PersonalDataKeyFile = "personal-data-key";
    public const string CustomerSigningKeyFile = "customer-signing-key.pem";

    public static void ApplyIfUnconfigured(ConfigurationManager configuration, string dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(configuration[AppSettings.AuthSigningKey]))
        {
            configuration[AppSettings.AuthSigningKey] = LoadOrCreate(Path.Combine(dataDirectory, Folder, SigningKeyFile));
        }

        if (string.IsNullOrWhiteSpace(configuration[AppSettings.PersonalDataKey]))
        {
            configuration[AppSettings.PersonalDataKey] = LoadOrCreate(Path.Combine(dataDirectory, Folder, PersonalDataKeyFile));
        }

        if (string.IsNullOrWhiteSpace(configuration[AppSettings.AuthCustomerSigningKey]))
        {
            configuration[AppSettings.AuthCustomerSigningKey] = LoadOrCreate(Path.Combine(dataDirectory, Folder, CustomerSigningKeyFile), () =>
            {
                using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                return ec.ExportPkcs8PrivateKeyPem();
            });
        }
    }

    static string LoadOrCreate(string path, Func<string>? make = null)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string key = make?.Invoke() ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        // Written whole to a file of its own, then moved into place: hosts starting at once never read half a key, and
        // the one that loses the move uses the key that won.
        string written = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(new FileStream(written, options)))
        {
            writer.Write(key);
        }

        try
        {
            File.Move(written, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(written);
            return File.ReadAllText(path).Trim();
        }
    }
}
