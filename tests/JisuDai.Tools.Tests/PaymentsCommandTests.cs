using System.Security.Cryptography.X509Certificates;
using JisuDai.Adapters.Payments.WeChatPay;
using JisuDai.App.Payments;
using JisuDai.Simulators.Payments;

namespace JisuDai.Tools.Tests;

/// <summary><c>jisudai payments pay</c>: the borrower's step in their payment app, against a running simulator.</summary>
public sealed class PaymentsCommandTests
{
    [Fact]
    public async Task Paying_a_payment_by_its_id_settles_its_order_at_the_simulator_and_a_second_pay_is_refused()
    {
        DirectoryInfo folder = Directory.CreateTempSubdirectory("jisudai-cli-provider-");
        try
        {
            ProviderKeys keys = ProviderKeys.Ensure(Path.Combine(folder.FullName, "keys"));
            await using PaymentSimulator simulator = await PaymentSimulator.StartAsync(new PaymentSimulatorOptions { Url = "http://127.0.0.1:0", Keys = keys });
            using X509Certificate2 merchant = X509Certificate2.CreateFromPem(keys.MerchantCertificatePem);
            using var account = new MerchantAccount(new Uri(simulator.Url), keys.MerchantId, keys.AppId, keys.MerchantKeyPem, ProviderKeys.SerialOf(merchant),
                keys.PlatformCertificatePem, keys.ApiV3Key, "http://127.0.0.1:9/api/payments/notifications");
            var provider = new WeChatPayProvider(new HttpClient(), account, TimeProvider.System);
            await provider.CreateCollectionAsync(new CollectionOrder("pmtcli00000000000000000", "cust-1", 123.45m, "test"), default);

            (int exit, string output, string error) = JisudaiCli.Run("payments", "pay", "pmtcli00000000000000000.cust-1", "--simulator", simulator.Url);
            Assert.True(exit == 0, error);
            Assert.Contains("SUCCESS (123.45 yuan)", output);
            CollectionStatus paid = (await provider.FindCollectionAsync("pmtcli00000000000000000", default))!;
            Assert.Equal((ProviderState.Succeeded, 123.45m, "cust-1"), (paid.State, paid.Amount, paid.CustomerId));

            Assert.Equal(1, JisudaiCli.Run("payments", "pay", "pmtcli00000000000000000.cust-1", "--simulator", simulator.Url).ExitCode);
            Assert.Equal(2, JisudaiCli.Run("payments", "pay", "pmtx.cust-1", "--simulator", "http://127.0.0.1:9").ExitCode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
