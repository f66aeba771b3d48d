using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace JisuDai.Simulators.Payments;

/// <summary>
/// The platform's side of WeChat Pay API v3's cryptography: it checks the merchant's <c>Authorization</c> signature
/// (SHA256-RSA2048 over <c>METHOD\nURL\ntimestamp\nnonce\nbody\n</c>), signs its answers and notifications
/// (<c>timestamp\nnonce\nbody\n</c>, sent as <c>Wechatpay-Timestamp/-Nonce/-Signature/-Serial</c>), encrypts a
/// notification's resource with AEAD_AES_256_GCM under the API v3 key, and opens fields the merchant encrypted to the
/// platform's certificate (RSA-OAEP).
/// </summary>
public sealed class PlatformCrypto : IDisposable
{
    /// <summary>The authorization scheme of merchant requests.</summary>
    public const string Scheme = "WECHATPAY2-SHA256-RSA2048";

    readonly RSA platformKey;
    readonly X509Certificate2 merchantCertificate;
    readonly byte[] apiV3Key;

    public PlatformCrypto(ProviderKeys keys)
    {
        platformKey = RSA.Create();
        platformKey.ImportFromPem(keys.PlatformKeyPem);
        merchantCertificate = X509Certificate2.CreateFromPem(keys.MerchantCertificatePem);
        using var platformCertificate = X509Certificate2.CreateFromPem(keys.PlatformCertificatePem);
        PlatformSerial = ProviderKeys.SerialOf(platformCertificate);
        MerchantSerial = ProviderKeys.SerialOf(merchantCertificate);
        MerchantId = keys.MerchantId;
        apiV3Key = Encoding.ASCII.GetBytes(keys.ApiV3Key);
    }

    public string PlatformSerial { get; }

    public string MerchantSerial { get; }

    public string MerchantId { get; }

    /// <summary>Why the request's <c>Authorization</c> does not hold, or null when it does.</summary>
    public string? CheckAuthorization(string? header, string method, string pathAndQuery, string body, DateTimeOffset now)
    {
        if (header is null || !header.StartsWith(Scheme + " ", StringComparison.Ordinal))
        {
            return $"Authorization must use the {Scheme} scheme.";
        }

        var fields = new Dictionary<string, string>();
        foreach (string part in header[(Scheme.Length + 1)..].Split(','))
        {
            int eq = part.IndexOf('=');
            if (eq > 0)
            {
                fields[part[..eq].Trim()] = part[(eq + 1)..].Trim().Trim('"');
            }
        }

        if (!fields.TryGetValue("mchid", out string? mchid) || mchid != MerchantId)
        {
            return "mchid is not this merchant.";
        }

        if (!fields.TryGetValue("serial_no", out string? serial) || !string.Equals(serial, MerchantSerial, StringComparison.OrdinalIgnoreCase))
        {
            return "serial_no is not the merchant's certificate.";
        }

        if (!fields.TryGetValue("timestamp", out string? timestamp) || !long.TryParse(timestamp, out long seconds) ||
            Math.Abs(now.ToUnixTimeSeconds() - seconds) > 300)
        {
            return "timestamp is missing or more than 5 minutes from the platform's clock.";
        }

        if (!fields.TryGetValue("nonce_str", out string? nonce) || !fields.TryGetValue("signature", out string? signature))
        {
            return "nonce_str and signature are required.";
        }

        byte[] message = Encoding.UTF8.GetBytes($"{method}\n{pathAndQuery}\n{timestamp}\n{nonce}\n{body}\n");
        using RSA merchantKey = merchantCertificate.GetRSAPublicKey()!;
        try
        {
            return merchantKey.VerifyData(message, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                ? null
                : "signature does not verify with the merchant's certificate.";
        }
        catch (FormatException)
        {
            return "signature is not base64.";
        }
    }

    /// <summary>The four headers that sign <paramref name="body"/> as the platform's, at <paramref name="now"/>.</summary>
    public IReadOnlyDictionary<string, string> Sign(string body, DateTimeOffset now)
    {
        string timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        byte[] signature = platformKey.SignData(Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n{body}\n"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new Dictionary<string, string>
        {
            ["Wechatpay-Timestamp"] = timestamp,
            ["Wechatpay-Nonce"] = nonce,
            ["Wechatpay-Signature"] = Convert.ToBase64String(signature),
            ["Wechatpay-Serial"] = PlatformSerial,
        };
    }

    /// <summary>A notification's <c>resource</c>: <paramref name="plaintext"/> under AEAD_AES_256_GCM with a fresh 12-character nonce.</summary>
    public EncryptedResource Encrypt(string plaintext, string originalType, string associatedData)
    {
        string nonce = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 12);
        byte[] input = Encoding.UTF8.GetBytes(plaintext);
        byte[] output = new byte[input.Length + 16];
        using var aes = new AesGcm(apiV3Key, 16);
        aes.Encrypt(Encoding.ASCII.GetBytes(nonce), input, output.AsSpan(0, input.Length), output.AsSpan(input.Length), Encoding.UTF8.GetBytes(associatedData));
        return new EncryptedResource("AEAD_AES_256_GCM", Convert.ToBase64String(output), associatedData, originalType, nonce);
    }

    /// <summary>A field the merchant encrypted to the platform's certificate (RSA/ECB/OAEPWithSHA-1AndMGF1Padding), opened.</summary>
    public string OpenSensitive(string ciphertext) =>
        Encoding.UTF8.GetString(platformKey.Decrypt(Convert.FromBase64String(ciphertext), RSAEncryptionPadding.OaepSHA1));

    public void Dispose()
    {
        platformKey.Dispose();
        merchantCertificate.Dispose();
    }
}

/// <summary>A notification's encrypted resource, as WeChat Pay API v3 sends it.</summary>
public sealed record EncryptedResource(string Algorithm, string Ciphertext, string AssociatedData, string OriginalType, string Nonce);
