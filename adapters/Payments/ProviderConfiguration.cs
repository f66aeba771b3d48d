using JisuDai.Adapters.Payments.WeChatPay;
using JisuDai.App.Configuration;
using JisuDai.App.Payments;
using Microsoft.Extensions.Configuration;

namespace JisuDai.Adapters.Payments;

/// <summary>The payment provider's settings, read once: the merchant account and its keys (Key Vault references in Azure), and how long a payout waits.</summary>
public static class ProviderConfiguration
{
    /// <summary>Our merchant account from configuration; every setting is required (the standalone host fills them for its simulator).</summary>
    public static MerchantAccount AccountFrom(IConfiguration configuration)
    {
        string Required(string key) => configuration[key] is { Length: > 0 } value
            ? value
            : throw new ConfigurationException(key, "is required: the payment provider cannot be reached without it (the standalone host sets it for its simulator).");
        string baseUrl = Required(AppSettings.PaymentsBaseUrl);
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out Uri? uri))
        {
            throw new ConfigurationException(AppSettings.PaymentsBaseUrl, "must be an absolute URL.");
        }

        try
        {
            return new MerchantAccount(uri, Required(AppSettings.PaymentsMerchantId), Required(AppSettings.PaymentsAppId), Required(AppSettings.PaymentsMerchantKey),
                Required(AppSettings.PaymentsMerchantSerial), Required(AppSettings.PaymentsPlatformCertificate), Required(AppSettings.PaymentsApiV3Key), Required(AppSettings.PaymentsNotifyUrl),
                configuration[AppSettings.PaymentsDebitPlanId] is { Length: > 0 } plan ? PlanId(plan) : null);
        }
        catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new ConfigurationException(AppSettings.PaymentsMerchantKey, $"the payment keys do not load: {e.Message}");
        }
    }

    static string PlanId(string plan) => long.TryParse(plan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long id) && id > 0
        ? plan
        : throw new ConfigurationException(AppSettings.PaymentsDebitPlanId, "must be the number of the debit plan registered with the provider.");

    /// <summary>
    /// The settings that reach a merchant account, from its parts as a provider hands them over (the serial is read
    /// from the merchant certificate): what the standalone host sets for its simulator, and the tests and benchmarks too.
    /// </summary>
    public static Dictionary<string, string?> Settings(string baseUrl, string merchantId, string appId, string merchantKeyPem, string merchantCertificatePem,
        string platformCertificatePem, string apiV3Key, string notifyUrl, string? debitPlanId = null)
    {
        using var merchant = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(merchantCertificatePem);
        return new Dictionary<string, string?>
        {
            [AppSettings.PaymentsBaseUrl] = baseUrl, [AppSettings.PaymentsMerchantId] = merchantId, [AppSettings.PaymentsAppId] = appId,
            [AppSettings.PaymentsMerchantSerial] = merchant.SerialNumber.ToUpperInvariant(), [AppSettings.PaymentsMerchantKey] = merchantKeyPem,
            [AppSettings.PaymentsPlatformCertificate] = platformCertificatePem, [AppSettings.PaymentsApiV3Key] = apiV3Key, [AppSettings.PaymentsNotifyUrl] = notifyUrl,
            [AppSettings.PaymentsDebitPlanId] = debitPlanId,
        };
    }

    /// <summary>How long a payout waits for its transfer within one try (default 60 s), asking every second.</summary>
    public static PayoutWait PayoutWaitFrom(IConfiguration configuration) =>
        new(TimeSpan.FromSeconds(int.TryParse(configuration[AppSettings.PaymentsPayoutWaitSeconds], out int s) && s > 0 ? s : 60), TimeSpan.FromSeconds(1));
}
