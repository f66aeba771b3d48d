using JisuDai.Tests.Shared.Security;
using System.Text;
using System.Text.Json;
using JisuDai.App.Payments;
using JisuDai.Functions.Composition;
using JisuDai.Functions.Payments;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;
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
        }.Concat(provider.Settings).Concat(TestKeyVault.Settings)).Build();
        ServiceProvider services = new ServiceCollection().AddLogging().AddJisuDaiFunctions(configuration).AddSingleton(clock).BuildServiceProvider();
        app = new AppWithProvider(azurite, provider, services);
        return app;
    }

    /// <summary>The day every test loan here was paid out.</summary>
    public static readonly DateOnly Disbursed = new(2026, 1, 15);

    /// <summary>
    /// Books an active Express loan of 12,000 yuan over 12 months at 18% for <paramref name="customer"/>, paid out on
    /// <see cref="Disbursed"/>: application <c>1.{customer}</c>, loan <c>loan-1.{customer}</c>.
    /// </summary>
    public async Task<Loan> BookAsync(string customer)
    {
        LoanProduct product = BuiltInProducts.Express;
        RepaymentSchedule schedule = Offers.Price(product, Offers.TermsFor(product, 12_000m, 12, 0.18m), Disbursed).Value!.Schedule;
        string applicationId = $"1.{customer}";
        var loan = new Loan($"loan-{applicationId}", customer, applicationId, 12_000m, LoanStatus.Active, Disbursed, product.Code, schedule, $"tr-{customer}");
        return (await Services.GetRequiredService<IDocumentStore<Loan>>().CreateAsync(loan.Raise(LoanEventType.LoanDisbursed, Disbursed, 12_000m, $"tr-{customer}"))).Document;
    }

    /// <summary>The borrower makes a payment over the HTTP handler (<c>POST /api/loans/{id}/payments</c>), which must answer 201.</summary>
    public async Task<PaymentView> MakePaymentAsync(string customer, string loanId, string idempotencyKey, object body)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = $"Bearer {TestTokens.For(customer, "applicant")}";
        context.Request.Headers["Idempotency-Key"] = idempotencyKey;
        context.Request.Body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(body));
        var made = Assert.IsType<ObjectResult>(await Payments.Create(context.Request, loanId, default));
        Assert.True(made.StatusCode == 201, JsonSerializer.Serialize(made.Value));
        return (PaymentView)made.Value!;
    }

    /// <summary>Delivers a notification to <c>POST /api/payments/notifications</c>; answers its status code.</summary>
    public async Task<int> NotifyAsync(IReadOnlyDictionary<string, string> headers, string body, Microsoft.DurableTask.Client.DurableTaskClient durable)
    {
        var context = new DefaultHttpContext();
        foreach ((string name, string value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        IActionResult answer = await Payments.Notify(context.Request, durable, default);
        return answer switch { StatusCodeResult s => s.StatusCode, ObjectResult o => o.StatusCode ?? 200, _ => 0 };
    }

    /// <summary>The payment as stored.</summary>
    public async Task<Payment> StoredAsync(PaymentView payment) =>
        (await Services.GetRequiredService<IDocumentStore<Payment>>().FindAsync(CustomerScopedId.CustomerOf(payment.Id)!, payment.Id))!.Document;

    /// <summary>Reads until <paramref name="done"/> holds (15 s at most, then fails with what it read last).</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        T value = await read();
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !done(value); value = await read())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), $"Not done within 15 s: {JsonSerializer.Serialize(value)}");
            await Task.Delay(50);
        }

        return value;
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Services.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
