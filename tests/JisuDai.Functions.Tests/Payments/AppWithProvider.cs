using JisuDai.Functions.Composition;
using JisuDai.Functions.Payments;
using JisuDai.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Functions.Tests.Payments;

/// <summary>
/// The app's own composition (<c>AddJisuDaiFunctions</c>) on a fresh Azurite, under a test's clock, with the payment
/// simulator on the same clock. The simulator's notifications go to <c>notify</c> (by default, the app's own
/// notification handler, called in-process).
/// </summary>
sealed class AppWithProvider : IAsyncDisposable
{
    AppWithProvider(AzuriteServer azurite, LocalProvider provider, ServiceProvider services)
    {
        Azurite = azurite;
        Provider = provider;
        Services = services;
        Payments = ActivatorUtilities.CreateInstance<PaymentFunctions>(services);
    }

    public AzuriteServer Azurite { get; }

    public LocalProvider Provider { get; }

    public ServiceProvider Services { get; }

    public PaymentFunctions Payments { get; }

    /// <summary>Starts it all; <paramref name="notify"/> gets each notification (given the app's payment functions), or the app's handler does.</summary>
    public static async Task<AppWithProvider> StartAsync(TimeProvider clock, Microsoft.DurableTask.Client.DurableTaskClient durable, Func<HttpRequest, Task<IActionResult>>? notify = null)
    {
        AzuriteServer azurite = await AzuriteServer.StartAsync();
        AppWithProvider? app = null;
        LocalProvider provider = await LocalProvider.StartAsync(clock, request => notify is not null ? notify(request) : app!.Payments.Notify(request, durable, default));
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Security:PersonalDataKey"] = TestTokens.PersonalDataKey,
        }.Concat(provider.Settings)).Build();
        ServiceProvider services = new ServiceCollection().AddLogging().AddJisuDaiFunctions(configuration).AddSingleton(clock).BuildServiceProvider();
        app = new AppWithProvider(azurite, provider, services);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Services.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
