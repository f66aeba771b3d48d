using System.Net;
using System.Net.Http.Json;
using System.Text;
using JisuDai.Adapters.Payments;
using JisuDai.Simulators.Payments;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JisuDai.Functions.Tests.Payments;

/// <summary>
/// The payment-provider simulator for a test: its own keys in a temporary folder, on a free port, reading the test's
/// clock, and the app settings that point the adapter at it. Notifications go over HTTP to <c>notify</c>, or, when a
/// test calls the handlers directly, to the handler it is given.
/// </summary>
sealed class LocalProvider : IAsyncDisposable
{
    readonly DirectoryInfo folder;

    LocalProvider(PaymentSimulator simulator, ProviderKeys keys, DirectoryInfo folder, string notifyUrl)
    {
        Simulator = simulator;
        Keys = keys;
        this.folder = folder;
        Control = new HttpClient { BaseAddress = new Uri(simulator.Url) };
        Settings = ProviderConfiguration.Settings(simulator.Url, keys.MerchantId, keys.AppId, keys.MerchantKeyPem, keys.MerchantCertificatePem,
            keys.PlatformCertificatePem, keys.ApiV3Key, notifyUrl, debitPlanId: "1001");
        Settings["Payments:PayoutWaitSeconds"] = "10";
    }

    public PaymentSimulator Simulator { get; }

    public ProviderKeys Keys { get; }

    /// <summary>The simulator's own controls (pay an order, set faults).</summary>
    public HttpClient Control { get; }

    /// <summary>The app settings that reach this simulator.</summary>
    public Dictionary<string, string?> Settings { get; }

    public static async Task<LocalProvider> StartAsync(TimeProvider clock, Func<HttpRequest, Task<IActionResult>>? notify = null, string notifyUrl = "http://127.0.0.1:9/api/payments/notifications")
    {
        DirectoryInfo folder = Directory.CreateTempSubdirectory("jisudai-provider-");
        ProviderKeys keys = ProviderKeys.Ensure(folder.FullName);
        PaymentSimulator simulator = await PaymentSimulator.StartAsync(new PaymentSimulatorOptions
        {
            Url = "http://127.0.0.1:0", Keys = keys, Clock = clock, SettleAfter = TimeSpan.FromMilliseconds(100),
            NotificationRetries = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)],
            NotificationHandler = notify is null ? null : new ToHandler(notify),
        });
        return new LocalProvider(simulator, keys, folder, notifyUrl);
    }

    /// <summary>The borrower pays order <paramref name="orderNo"/> in their app.</summary>
    public async Task PayAsync(string orderNo, string outcome = "success")
    {
        using HttpResponseMessage paid = await Control.PostAsJsonAsync($"simulator/transactions/{orderNo}/pay", new { outcome });
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await Simulator.DisposeAsync();
        folder.Delete(recursive: true);
    }

    /// <summary>Delivers the simulator's notifications to a handler called in-process, as the Functions host would call it.</summary>
    sealed class ToHandler(Func<HttpRequest, Task<IActionResult>> notify) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var context = new DefaultHttpContext();
            foreach (var header in request.Headers)
            {
                context.Request.Headers[header.Key] = string.Join(",", header.Value);
            }

            context.Request.Method = "POST";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(await request.Content!.ReadAsStringAsync(cancellationToken)));
            IActionResult result = await notify(context.Request);
            int status = result switch { StatusCodeResult s => s.StatusCode, ObjectResult o => o.StatusCode ?? 200, _ => 500 };
            return new HttpResponseMessage((HttpStatusCode)status);
        }
    }
}
