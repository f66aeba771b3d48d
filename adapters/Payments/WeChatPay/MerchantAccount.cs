using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace JisuDai.Adapters.Payments.WeChatPay;

/// <summary>
/// Our merchant account at the provider and the keys of WeChat Pay API v3's signing: our RSA key signs each request
/// (the provider knows it by our certificate's serial), the platform's certificate verifies each answer and
/// notification and encrypts sensitive fields, and the API v3 key opens notifications' resources.
/// </summary>
public sealed class MerchantAccount : IDisposable
{
    readonly RSA merchantKey;
    readonly X509Certificate2 platformCertificate;

    /// <param name="baseUrl">The provider's API root (https://api.mch.weixin.qq.com for WeChat Pay; the simulator's URL locally).</param>
    /// <param name="merchantId">Our merchant number (mchid).</param>
    /// <param name="appId">Our app id (appid).</param>
    /// <param name="merchantKeyPem">Our API private key, PEM.</param>
    /// <param name="merchantSerial">Our API certificate's serial number.</param>
    /// <param name="platformCertificatePem">The platform's certificate, PEM.</param>
    /// <param name="apiV3Key">The API v3 key (32 characters).</param>
    /// <param name="notifyUrl">Where the provider sends notifications: our /api/payments/notifications.</param>
    /// <param name="debitPlanId">The debit plan agreements are signed under (plan_id), or null when the merchant has none.</param>
    public MerchantAccount(Uri baseUrl, string merchantId, string appId, string merchantKeyPem, string merchantSerial, string platformCertificatePem, string apiV3Key, string notifyUrl,
        string? debitPlanId = null)
    {
        if (Encoding.ASCII.GetByteCount(apiV3Key) != 32)
        {
            throw new ArgumentException("The API v3 key must be 32 characters.", nameof(apiV3Key));
        }

        BaseUrl = baseUrl;
        MerchantId = merchantId;
        AppId = appId;
        MerchantSerial = merchantSerial.ToUpperInvariant();
        NotifyUrl = notifyUrl;
        DebitPlanId = debitPlanId is { Length: > 0 } ? long.Parse(debitPlanId, System.Globalization.CultureInfo.InvariantCulture) : null;
        merchantKey = RSA.Create();
        merchantKey.ImportFromPem(merchantKeyPem);
        platformCertificate = X509Certificate2.CreateFromPem(platformCertificatePem);
        PlatformSerial = platformCertificate.SerialNumber.ToUpperInvariant();
        ApiV3Key = Encoding.ASCII.GetBytes(apiV3Key);
    }

    public Uri BaseUrl { get; }

    /// <summary>The debit plan agreements are signed under, or null when the merchant has none.</summary>
    public long? DebitPlanId { get; }

    public string MerchantId { get; }

    public string AppId { get; }

    public string MerchantSerial { get; }

    public string PlatformSerial { get; }

    public string NotifyUrl { get; }

    internal byte[] ApiV3Key { get; }

    /// <summary>The <c>Authorization</c> header of a request: <c>WECHATPAY2-SHA256-RSA2048</c> over method, URL, time, nonce and body.</summary>
    public string Authorize(string method, string pathAndQuery, string body, DateTimeOffset now)
    {
        string timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        string message = method + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n" + body + "\n";
        string signature = Convert.ToBase64String(merchantKey.SignData(Encoding.UTF8.GetBytes(message), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return $"WECHATPAY2-SHA256-RSA2048 mchid=\"{MerchantId}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{MerchantSerial}\"";
    }

    /// <summary>True when <paramref name="signature"/> is the platform's over <c>timestamp\nnonce\nbody\n</c> and names its certificate.</summary>
    public bool IsPlatformSigned(string? serial, string? timestamp, string? nonce, string? signature, string body)
    {
        if (serial is null || timestamp is null || nonce is null || signature is null || !string.Equals(serial, PlatformSerial, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> raw = stackalloc byte[512];
        if (!Convert.TryFromBase64String(signature, raw, out int length))
        {
            return false;
        }

        using RSA platformKey = platformCertificate.GetRSAPublicKey()!;
        return platformKey.VerifyData(Encoding.UTF8.GetBytes(timestamp + "\n" + nonce + "\n" + body + "\n"), raw[..length], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>A sensitive field (a name, an account number) encrypted to the platform's certificate, RSA-OAEP with SHA-1 as WeChat Pay asks.</summary>
    public string EncryptSensitive(string value)
    {
        using RSA platformKey = platformCertificate.GetRSAPublicKey()!;
        return Convert.ToBase64String(platformKey.Encrypt(Encoding.UTF8.GetBytes(value), RSAEncryptionPadding.OaepSHA1));
    }

    /// <summary>A notification's resource opened with the API v3 key (AEAD_AES_256_GCM: the last 16 bytes are the tag), or null when it does not open.</summary>
    public string? OpenResource(string ciphertext, string nonce, string associatedData)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(ciphertext);
        }
        catch (FormatException)
        {
            return null;
        }

        if (sealedBytes.Length < 16 || Encoding.UTF8.GetByteCount(nonce) != 12)
        {
            return null;
        }

        byte[] plain = new byte[sealedBytes.Length - 16];
        try
        {
            using var gcm = new AesGcm(ApiV3Key, 16);
            gcm.Decrypt(Encoding.UTF8.GetBytes(nonce), sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), plain, Encoding.UTF8.GetBytes(associatedData));
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        merchantKey.Dispose();
        platformCertificate.Dispose();
    }
}
