using JisuDai.Adapters.Payments;
using JisuDai.App.Configuration;
using JisuDai.Simulators.Payments;

namespace JisuDai.Standalone.Simulators;

/// <summary>
/// The payment provider of a local run: when no provider is configured, the simulator is started (on
/// 127.0.0.1:7072 unless told otherwise) with its merchant account's keys in the data folder's <c>keys/payments</c>,
/// and the app is configured to reach it and to be notified at its own <c>/api/payments/notifications</c>, with a debit
/// plan for debit agreements, as it would be configured for the real provider.
/// </summary>
static class LocalPaymentProvider
{
    public const string DefaultUrl = "http://127.0.0.1:7072";

    /// <summary>The debit plan the simulator's merchant signs debit agreements under (the simulator takes any).</summary>
    public const string DebitPlanId = "1001";

    public static async Task<PaymentSimulator?> StartIfUnconfiguredAsync(ConfigurationManager configuration, string dataDirectory, string routePrefix)
    {
        if (!string.IsNullOrWhiteSpace(configuration[AppSettings.PaymentsBaseUrl]))
        {
            return null;
        }

        ProviderKeys keys = ProviderKeys.Ensure(Path.Combine(dataDirectory, DevelopmentKeys.Folder, "payments"));
        string url = configuration[StandaloneSettings.PaymentSimulatorUrl] is { Length: > 0 } configured ? configured : DefaultUrl;
        PaymentSimulator simulator;
        try
        {
            simulator = await PaymentSimulator.StartAsync(new PaymentSimulatorOptions
            {
                Url = url,
                Keys = keys,
                StateFile = configuration[StandaloneSettings.PaymentSimulatorState] is { Length: > 0 } state ? state : Path.Combine(dataDirectory, "payment-simulator", "book.json"),
                SettleAfter = TimeSpan.FromMilliseconds(int.TryParse(configuration[StandaloneSettings.PaymentSimulatorSettleMs], out int ms) && ms >= 0 ? ms : 1000),
            });
        }
        catch (IOException e)
        {
            throw new ConfigurationException(StandaloneSettings.PaymentSimulatorUrl, $"the payment simulator cannot listen on {url} ({e.Message}); set another URL, or set {AppSettings.PaymentsBaseUrl} to use a provider.");
        }

        string appUrl = (configuration["urls"] is { Length: > 0 } urls ? urls.Split(';')[0] : StandaloneHost.DefaultUrl).TrimEnd('/');
        string notifyUrl = $"{appUrl}/{routePrefix.Trim('/')}/payments/notifications".Replace("//payments", "/payments", StringComparison.Ordinal);
        foreach ((string key, string? value) in ProviderConfiguration.Settings(simulator.Url, keys.MerchantId, keys.AppId, keys.MerchantKeyPem,
            keys.MerchantCertificatePem, keys.PlatformCertificatePem, keys.ApiV3Key, notifyUrl, DebitPlanId))
        {
            configuration[key] = value;
        }

        return simulator;
    }
}
