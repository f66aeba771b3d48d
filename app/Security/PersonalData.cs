using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JisuDai.App.Configuration;
using Microsoft.Extensions.Configuration;

namespace JisuDai.App.Security;

/// <summary>
/// Personal data at rest: sealed with AES-256-GCM under the key in <c>Security:PersonalDataKey</c> (Key Vault in
/// Azure, a development key in .data/keys locally), bound to the record it belongs to so a sealed value cannot be
/// moved to another record. Lookups (is this ID number a known customer?) use a keyed HMAC, never the plain value.
/// </summary>
public sealed class PersonalData
{
    const string Prefix = "v1.";
    readonly byte[] sealKey;
    readonly byte[] lookupKey;

    public PersonalData(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ConfigurationException(AppSettings.PersonalDataKey, "must be 32 bytes, base64-encoded.");
        }

        sealKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: "jisudai personal data seal"u8.ToArray());
        lookupKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: "jisudai personal data lookup"u8.ToArray());
    }

    public static PersonalData FromConfiguration(IConfiguration configuration)
    {
        string text = configuration[AppSettings.PersonalDataKey] is { Length: > 0 } k
            ? k
            : throw new ConfigurationException(AppSettings.PersonalDataKey, "is required: a base64 key of 32 bytes (the standalone host makes a development key in .data/keys).");
        try
        {
            return new PersonalData(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            throw new ConfigurationException(AppSettings.PersonalDataKey, "is not base64.");
        }
    }

    /// <summary>Seals <paramref name="value"/> (as JSON) for the record <paramref name="recordId"/>.</summary>
    public string Seal<T>(T value, string recordId)
    {
        byte[] plain = JsonSerializer.SerializeToUtf8Bytes(value);
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        byte[] cipher = new byte[plain.Length];
        byte[] tag = new byte[16];
        using (var aes = new AesGcm(sealKey, 16))
        {
            aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(recordId));
        }

        CryptographicOperations.ZeroMemory(plain);
        return Prefix + Convert.ToBase64String([.. nonce, .. cipher, .. tag]);
    }

    /// <summary>Opens a value sealed for <paramref name="recordId"/>; throws <see cref="CryptographicException"/> when it was changed or belongs elsewhere.</summary>
    public T Open<T>(string sealedValue, string recordId)
    {
        if (!sealedValue.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("Not a sealed value.");
        }

        byte[] all = Convert.FromBase64String(sealedValue[Prefix.Length..]);
        byte[] plain = new byte[all.Length - 28];
        using (var aes = new AesGcm(sealKey, 16))
        {
            aes.Decrypt(all.AsSpan(0, 12), all.AsSpan(12, plain.Length), all.AsSpan(12 + plain.Length, 16), plain, Encoding.UTF8.GetBytes(recordId));
        }

        try
        {
            return JsonSerializer.Deserialize<T>(plain)!;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>A stable, keyed fingerprint of an identifier, for lookups without storing it.</summary>
    public string Fingerprint(string kind, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(lookupKey, Encoding.UTF8.GetBytes($"{kind}:{value.Trim().ToUpperInvariant()}")))[..40];
}
