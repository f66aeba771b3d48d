using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using JisuDai.App.Payments;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;
using JisuDai.Simulators.Payments;
using JisuDai.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace JisuDai.Functions.Tests.Payments;

/// <summary>
/// Money the lender may not keep goes back through the provider, on Azurite against the simulator over HTTP: a payment
/// the loan can no longer take is refunded whole, credit a payoff left is refunded and leaves the ledger, a replayed
/// notification after the refund changes nothing, and the day's reconciliation matches the refunds.
/// </summary>
public sealed class RefundTests : IAsyncLifetime
{
    static readonly DateOnly Disbursed = new(2026, 1, 15);
    static readonly DateOnly Day = new(2026, 3, 2);
    static readonly LoanProduct Product = ProductCatalog.Express;

    readonly FakeTimeProvider clock = new(new DateTimeOffset(Day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)));
    readonly DurableTaskClient durable = Substitute.For<DurableTaskClient>("test");
    AppWithProvider app = null!;

    public async Task InitializeAsync() => app = await AppWithProvider.StartAsync(clock, durable);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_payment_the_paid_off_loan_cannot_take_is_refunded_whole_and_its_replayed_notification_changes_nothing()
    {
        string loanId = await BookAsync("cust-r");
        PaymentView first = await MakeAsync("cust-r", loanId, "k-1", new { purpose = "payoff" });
        PaymentView second = await MakeAsync("cust-r", loanId, "k-2", new { purpose = "payoff" });
        await app.Provider.PayAsync(first.OrderNo);
        await UntilAsync(() => StoredAsync(first), p => p.Status == PaymentStatus.Succeeded);
        await app.Provider.PayAsync(second.OrderNo);

        Payment refunded = await UntilAsync(() => StoredAsync(second), p => p.Status == PaymentStatus.Refunded);
        Assert.Equal((second.Amount, RefundStatus.Succeeded, "rf" + second.OrderNo), (refunded.RefundOwed, refunded.Refund!.Status, refunded.Refund.RefundNo));
        Assert.Equal(second.Amount, refunded.Refund.Amount);
        Loan loan = await LoanAsync("cust-r", loanId);
        Assert.Equal(LoanStatus.PaidOff, loan.Status);
        Assert.Single(loan.Repayments!); // the second never reached the ledger
        Assert.Null(loan.Refunds);

        // The provider delivers the second payment's success again, after the refund: answered, nothing changes.
        JsonElement notice = (await app.Provider.Control.GetFromJsonAsync<JsonElement>("simulator/notifications")).EnumerateArray()
            .First(n => n.GetProperty("eventType").GetString() == "TRANSACTION.SUCCESS" && n.GetProperty("subject").GetString() == second.OrderNo);
        string body = notice.GetProperty("body").GetString()!;
        using var platform = new PlatformCrypto(app.Provider.Keys);
        Assert.Equal(204, await DeliverAsync(platform.Sign(body, clock.GetUtcNow()), body));
        Payment after = await StoredAsync(second);
        Assert.Equal((PaymentStatus.Refunded, RefundStatus.Succeeded), (after.Status, after.Refund!.Status));
        Assert.Single(await RefundsAtProviderAsync(second.OrderNo));
    }

    [Fact]
    public async Task Credit_a_payoff_left_goes_back_to_the_borrower_leaves_the_ledger_and_the_days_reconciliation_matches_it()
    {
        string loanId = await BookAsync("cust-c");
        // A prepayment and a payoff made together; the prepayment lands first, so the payoff pays more than is owed.
        PaymentView prepayment = await MakeAsync("cust-c", loanId, "k-1", new { purpose = "prepayment", mode = "reduce-term", amount = 1_010m });
        PaymentView payoff = await MakeAsync("cust-c", loanId, "k-2", new { purpose = "payoff" });
        await app.Provider.PayAsync(prepayment.OrderNo);
        await UntilAsync(() => StoredAsync(prepayment), p => p.Status == PaymentStatus.Succeeded);
        await app.Provider.PayAsync(payoff.OrderNo);

        Payment refunded = await UntilAsync(() => StoredAsync(payoff), p => p.Refund?.Status == RefundStatus.Succeeded);
        Assert.Equal(PaymentStatus.Succeeded, refunded.Status);
        Loan loan = await LoanAsync("cust-c", loanId);
        Assert.Equal(LoanStatus.PaidOff, loan.Status);
        RecordedRefund onLoan = Assert.Single(loan.Refunds!);
        Assert.Equal((refunded.Refund!.RefundNo, refunded.RefundOwed!.Value), (onLoan.RefundNo, onLoan.Amount));
        // 1,010 prepaid 1,000 of principal and its 10.00 fee, so the payoff quoted before it takes 1,010 too much.
        Assert.Equal(1_010m, onLoan.Amount);
        Assert.Contains(loan.Events!, e => e.Type == LoanEventType.CreditRefunded && e.Reference == onLoan.RefundNo);
        Assert.Equal(0m, LoanSweep.LedgerOf(loan, Product).PositionOn(Day).Credit);
        LedgerBalance.AssertBalanced(loan, Product, Day);

        // The next morning, the day's statement holds both payments and the refund, and every line matches.
        clock.Advance(TimeSpan.FromDays(1));
        ReconciliationReport report = (await app.Services.GetRequiredService<ReconciliationDesk>().RunAsync(Day, default)).Value!;
        Assert.Empty(report.Findings);
        Assert.Equal((3, 3), (report.StatementLines, report.Matched));
    }

    async Task<string> BookAsync(string customer)
    {
        RepaymentSchedule schedule = Offers.Price(Product, Offers.TermsFor(Product, 12_000m, 12, 0.18m), Disbursed).Value!.Schedule;
        string loanId = $"loan-1.{customer}";
        await app.Services.GetRequiredService<IDocumentStore<Loan>>().CreateAsync(
            new Loan(loanId, customer, $"1.{customer}", 12_000m, LoanStatus.Active, Disbursed, Product.Code, schedule, $"tr-{customer}")
                .Raise(LoanEventType.LoanDisbursed, Disbursed, 12_000m, $"tr-{customer}"));
        return loanId;
    }

    async Task<PaymentView> MakeAsync(string customer, string loanId, string key, object body)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = $"Bearer {TestTokens.For(customer, "applicant")}";
        context.Request.Headers["Idempotency-Key"] = key;
        context.Request.Body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(body));
        var made = Assert.IsType<ObjectResult>(await app.Payments.Create(context.Request, loanId, default));
        Assert.True(made.StatusCode == 201, JsonSerializer.Serialize(made.Value));
        return (PaymentView)made.Value!;
    }

    async Task<int> DeliverAsync(IReadOnlyDictionary<string, string> headers, string body)
    {
        var context = new DefaultHttpContext();
        foreach ((string name, string value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        IActionResult answer = await app.Payments.Notify(context.Request, durable, default);
        return answer switch { StatusCodeResult s => s.StatusCode, ObjectResult o => o.StatusCode ?? 200, _ => 0 };
    }

    async Task<List<JsonElement>> RefundsAtProviderAsync(string orderNo) =>
        (await app.Provider.Control.GetFromJsonAsync<JsonElement>("simulator/notifications")).EnumerateArray()
            .Where(n => n.GetProperty("eventType").GetString() == "REFUND.SUCCESS" && n.GetProperty("subject").GetString() == "rf" + orderNo).ToList();

    async Task<Payment> StoredAsync(PaymentView payment) =>
        (await app.Services.GetRequiredService<IDocumentStore<Payment>>().FindAsync(CustomerScopedId.CustomerOf(payment.Id)!, payment.Id))!.Document;

    async Task<Loan> LoanAsync(string customer, string loanId) =>
        (await app.Services.GetRequiredService<IDocumentStore<Loan>>().FindAsync(customer, loanId))!.Document;

    static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        T value = await read();
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !done(value); value = await read())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), $"Not done within 15 s: {JsonSerializer.Serialize(value)}");
            await Task.Delay(50);
        }

        return value;
    }
}
