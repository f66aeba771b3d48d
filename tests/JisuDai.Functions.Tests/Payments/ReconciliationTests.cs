using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using JisuDai.App.Payments;
using JisuDai.App.Staff;
using JisuDai.Functions.Payments;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using JisuDai.Lending.Products;
using JisuDai.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace JisuDai.Functions.Tests.Payments;

/// <summary>
/// The daily reconciliation over HTTP, on Azurite, against the simulator's settlement statement: what matches is
/// counted, and a line missing on either side, an amount off by one fen, and a payout no loan holds are each found,
/// reported and alerted, with nothing recorded from the statement.
/// </summary>
public sealed class ReconciliationTests : IAsyncLifetime
{
    static readonly DateOnly Day = new(2026, 3, 2);
    static readonly LoanProduct Product = BuiltInProducts.Express;

    readonly FakeTimeProvider clock = new(new DateTimeOffset(Day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)));
    readonly DurableTaskClient durable = Substitute.For<DurableTaskClient>("test");
    AppWithProvider app = null!;

    AzuriteServer azurite => app.Azurite;

    LocalProvider provider => app.Provider;

    ServiceProvider services => app.Services;

    PaymentFunctions payments => app.Payments;

    public async Task InitializeAsync() => app = await AppWithProvider.StartAsync(clock, durable);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_days_statement_is_matched_and_a_missing_line_an_extra_line_a_fen_off_and_a_payout_without_a_loan_are_each_found()
    {
        var paymentProvider = services.GetRequiredService<IPaymentProvider>();
        PricedOffer offer = Offers.Price(Product, Offers.TermsFor(Product, 12_000m, 12, 0.18m), Day).Value!;
        Loan loan = LoanBookings.Book("loan-1.cust-r", "cust-r", "1.cust-r", Product, offer, Day, "poloan1", offer.NetDisbursement).Value!;
        await services.GetRequiredService<IDocumentStore<Loan>>().CreateAsync(loan);
        await paymentProvider.RequestPayoutAsync(new PayoutOrder("poloan1", offer.NetDisbursement, "Zhang San", "6222020200112230", "JisuDai loan"), default);
        await paymentProvider.RequestPayoutAsync(new PayoutOrder("ponoloan", 500m, "Li Si", "6222020200114459", "JisuDai loan"), default);

        var made = new List<PaymentView>();
        foreach ((string key, decimal amount) in new[] { ("k-1", 100m), ("k-2", 200m), ("k-3", 300m) })
        {
            made.Add(await PayAsync(key, amount));
        }

        // An order paid at the provider that no payment of ours holds: its notification is refused (422) and it reaches no ledger.
        await paymentProvider.CreateCollectionAsync(new CollectionOrder(Orphan, "cust-r", 77m, "paid elsewhere"), default);
        await provider.PayAsync(Orphan);

        using (HttpResponseMessage faults = await provider.Control.PostAsJsonAsync("simulator/faults",
            new { dropFromStatement = made[1].OrderNo, offByOneFen = made[2].OrderNo, extraStatementLine = true }))
        {
            Assert.True(faults.IsSuccessStatusCode);
        }

        await WaitUntilAsync(async () => (await paymentProvider.FindPayoutAsync("ponoloan", default))!.State == ProviderState.Succeeded
            && (await paymentProvider.FindPayoutAsync("poloan1", default))!.State == ProviderState.Succeeded);
        clock.SetUtcNow(clock.GetUtcNow().AddDays(1));
        var functions = ActivatorUtilities.CreateInstance<ReconciliationFunctions>(services);
        Assert.IsType<ObjectResult>(await functions.Get(Request(TestTokens.Admin), $"{Day:yyyy-MM-dd}", default)); // 404: not reconciled yet
        Assert.Equal(403, ((ObjectResult)await functions.Reconcile(Request(TestTokens.For("cust-r", "applicant")), $"{Day:yyyy-MM-dd}", default)).StatusCode);
        Assert.Equal(400, ((ObjectResult)await functions.Reconcile(Request(TestTokens.Admin), "yesterday", default)).StatusCode);

        var report = (ReconciliationReport)Assert.IsType<OkObjectResult>(await functions.Reconcile(Request(TestTokens.Admin), $"{Day:yyyy-MM-dd}", default)).Value!;

        Assert.Equal((6, 4, 2), (report.StatementLines, report.BookedMovements, report.Matched)); // k-2 left off theirs, one line added; matched: k-1 and the loan's payout
        Assert.Equal(
            [(ReconciliationIssue.MissingOurs, "pmtnobodymadethis000000"), (ReconciliationIssue.MissingOurs, Orphan), (ReconciliationIssue.MissingTheirs, made[1].OrderNo),
             (ReconciliationIssue.AmountMismatch, made[2].OrderNo), (ReconciliationIssue.PayoutWithoutLoan, "ponoloan")],
            report.Findings.Select(f => (f.Issue, f.Reference)).OrderBy(f => f.Issue).ThenBy(f => f.Reference));
        ReconciliationFinding off = report.Findings.Single(f => f.Issue == ReconciliationIssue.AmountMismatch);
        Assert.Equal((300.00m, 300.01m), (off.Ours, off.Theirs));
        var seen = (ReconciliationReport)Assert.IsType<OkObjectResult>(await functions.Get(Request(TestTokens.For("rev-1", "reviewer")), $"{Day:yyyy-MM-dd}", default)).Value!;
        Assert.Equal(report.Findings, seen.Findings);
        IReadOnlyList<StaffAlert> alerts = await services.GetRequiredService<IStaffAlerts>().ListAsync(default);
        Assert.Equal(5, alerts.Count(a => a.Kind.StartsWith("reconciliation-", StringComparison.Ordinal)));

        // Nothing was recorded from the statement: the loan holds exactly the three payments the provider notified.
        Assert.Equal(3, (await services.GetRequiredService<IDocumentStore<Loan>>().FindAsync("cust-r", loan.Id))!.Document.Repayments!.Count);

        // A payment missing from our books is recorded only when two staff resolve it, and only one the provider reports paid.
        var staffRequests = ActivatorUtilities.CreateInstance<JisuDai.Functions.Staff.StaffRequestFunctions>(services);
        string reviewer = TestTokens.For("rev-1", "reviewer");
        Assert.Equal(409, ((ObjectResult)await functions.Resolve(Request(reviewer, """{"loanId":"loan-1.cust-r"}"""), $"{Day:yyyy-MM-dd}", "pmtnobodymadethis000000", default)).StatusCode);
        Assert.Equal(400, ((ObjectResult)await functions.Resolve(Request(reviewer), $"{Day:yyyy-MM-dd}", Orphan, default)).StatusCode);
        Assert.Equal(404, ((ObjectResult)await functions.Resolve(Request(reviewer), $"{Day:yyyy-MM-dd}", made[0].OrderNo, default)).StatusCode);
        // Nobody resolves a payment onto their own loan.
        Assert.Equal(403, ((ObjectResult)await functions.Resolve(Request(TestTokens.For("cust-r", "reviewer"), """{"loanId":"loan-1.cust-r"}"""), $"{Day:yyyy-MM-dd}", Orphan, default)).StatusCode);
        var proposed = Assert.IsType<AcceptedResult>(await functions.Resolve(Request(reviewer, """{"loanId":"loan-1.cust-r"}"""), $"{Day:yyyy-MM-dd}", Orphan, default));
        StaffRequest request = ((JisuDai.Functions.Http.Answers.PendingStaffRequest)proposed.Value!).Request;
        Assert.Equal(3, (await services.GetRequiredService<IDocumentStore<Loan>>().FindAsync("cust-r", loan.Id))!.Document.Repayments!.Count);
        string digest = JsonSerializer.Serialize(new { digest = request.Digest });
        Assert.Equal(403, ((ObjectResult)await staffRequests.Approve(Request(TestTokens.For("rev-1", "reviewer", "admin"), digest), request.Id, durable, default)).StatusCode);
        var approved = (StaffRequestAnswer)Assert.IsType<OkObjectResult>(await staffRequests.Approve(Request(TestTokens.For("admin-2", "admin"), digest), request.Id, durable, default)).Value!;
        Assert.Equal(PaymentStatus.Succeeded, ((PaymentView)approved.Result!).Status);
        RecordedRepayment adopted = (await services.GetRequiredService<IDocumentStore<Loan>>().FindAsync("cust-r", loan.Id))!.Document.Repayments!.Last();
        Assert.Equal((77m, Day), (adopted.Amount, adopted.PaidOn));

        // Reconciled again, the resolved payment matches.
        var again = (ReconciliationReport)Assert.IsType<OkObjectResult>(await functions.Reconcile(Request(TestTokens.Admin), $"{Day:yyyy-MM-dd}", default)).Value!;
        Assert.Equal(3, again.Matched);
        Assert.DoesNotContain(again.Findings, f => f.Reference == Orphan);
    }

    const string Orphan = "pmtpaidelsewhere0000001";

    async Task<PaymentView> PayAsync(string key, decimal amount)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = $"Bearer {TestTokens.For("cust-r", "applicant")}";
        context.Request.Headers["Idempotency-Key"] = key;
        context.Request.Body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(new { purpose = "due", amount }));
        var made = (PaymentView)Assert.IsType<ObjectResult>(await payments.Create(context.Request, "loan-1.cust-r", default)).Value!;
        await provider.PayAsync(made.OrderNo);
        var store = services.GetRequiredService<IDocumentStore<Payment>>();
        await WaitUntilAsync(async () => (await store.FindAsync("cust-r", made.Id))!.Document.Status == PaymentStatus.Succeeded);
        return made;
    }

    static async Task WaitUntilAsync(Func<Task<bool>> done)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(15); await Task.Delay(50))
        {
            if (await done())
            {
                return;
            }
        }

        Assert.Fail("Not done within 15 s.");
    }

    static HttpRequest Request(string token, string body = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = $"Bearer {token}";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return context.Request;
    }
}
