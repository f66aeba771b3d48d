using Azure.Data.Tables;
using JisuDai.Adapters.Composition;
using JisuDai.App.Privacy;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Tests;
using JisuDai.Tests.Shared.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace JisuDai.Functions.Tests.Privacy;

/// <summary>Erasure for a customer who borrowed: refused while a loan is open, and once it is repaid the data is kept for the retention period, then shredded.</summary>
public sealed class CustomerErasureTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_borrower_is_refused_while_a_loan_is_open_and_once_repaid_is_shredded_only_after_five_years()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero));
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.Server.ConnectionString, ["Security:PersonalDataKey"] = TestTokens.PersonalDataKey,
        }.Concat(TestKeyVault.Settings)).Build();
        await using ServiceProvider services = new ServiceCollection().AddLogging().AddJisuDai(configuration).AddSingleton<TimeProvider>(clock).BuildServiceProvider();
        var customers = services.GetRequiredService<IDocumentStore<Customer>>();
        var loans = services.GetRequiredService<IDocumentStore<Loan>>();
        var erasure = services.GetRequiredService<CustomerErasure>();
        var personalData = services.GetRequiredService<PersonalData>();
        string id = $"cust-{Guid.NewGuid():N}"[..20];
        var caller = new Caller(id, new HashSet<string> { Roles.Applicant });
        await customers.CreateAsync(new Customer(id, clock.GetUtcNow()));
        string sealedValue = await personalData.SealAsync("Zhou Yi, 110101199202200034", id, $"app.{id}", default);
        var schedule = Offers.Price(BuiltInProducts.Express, Offers.TermsFor(BuiltInProducts.Express, 6_000m, 12, 0.18m), new DateOnly(2026, 1, 10)).Value!.Schedule;
        Versioned<Loan> loan = await loans.CreateAsync(new Loan($"loan-1.{id}", id, $"app-1.{id}", 6_000m, LoanStatus.Active, new DateOnly(2026, 1, 10), "express", schedule, "tr", []));

        Result<ErasureAnswer> refused = await erasure.RequestAsync(caller, default);
        Assert.Equal(Refusal.Conflict, refused.Refused);
        Assert.Contains($"Loan loan-1.{id} is Active", refused.Detail);

        await loans.ReplaceAsync(loan.Document with { Status = LoanStatus.PaidOff }, loan.ETag);
        ErasureAnswer answer = (await erasure.RequestAsync(caller, default)).Value!;
        Assert.Equal(("restricted", clock.GetUtcNow() + CustomerErasure.LoanRecordRetention), (answer.Status, answer.ShredAfter));
        Assert.Contains("AML", answer.Basis);

        clock.Advance(TimeSpan.FromDays(5 * 365));
        Assert.Equal(0, await erasure.ShredDueAsync(clock.GetUtcNow(), default));
        Assert.Equal("Zhou Yi, 110101199202200034", await personalData.OpenAsync<string>(sealedValue, $"app.{id}", default));

        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await erasure.ShredDueAsync(clock.GetUtcNow(), default));
        await Assert.ThrowsAsync<PersonalDataErasedException>(() => personalData.OpenAsync<string>(sealedValue, $"app.{id}", default));
        Assert.Equal(clock.GetUtcNow(), (await customers.FindAsync(id, id))!.Document.Erasure!.ShreddedAt);
        Assert.Equal(0, await erasure.ShredDueAsync(clock.GetUtcNow(), default));
        Assert.NotNull((await loans.FindAsync(id, $"loan-1.{id}"))); // the ledger the law keeps stays
    }
}
