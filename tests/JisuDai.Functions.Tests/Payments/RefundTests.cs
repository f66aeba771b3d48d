using System.Net.Http.Json;
using System.Text.Json;
using JisuDai.App.Payments;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using JisuDai.Lending.Products;
using JisuDai.Simulators.Payments;
using JisuDai.Tests;
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
    static readonly DateOnly Day = new(2026, 3, 2);
    static readonly LoanProduct Product = BuiltInProducts.Express;

    readonly FakeTimeProvider clock = new(new DateTimeOffset(Day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)));
    readonly DurableTaskClient durable = Substitute.For<DurableTaskClient>("test");
    AppWithProvider app = null!;

    public async Task InitializeAsync() => app = await AppWithProvider.StartAsync(clock, durable);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_payment_the_paid_off_loan_cannot_take_is_refunded_whole_and_its_replayed_notification_changes_nothing()
    {
        string loanId = (await app.BookAsync("cust-r")).Id;
        PaymentView first = await app.MakePaymentAsync("cust-r", loanId, "k-1", new { purpose = "payoff" });
        PaymentView second = await app.MakePaymentAsync("cust-r", loanId, "k-2", new { purpose = "payoff" });
        await app.Provider.PayAsync(first.OrderNo);
        await AppWithProvider.UntilAsync(() => app.StoredAsync(first), p => p.Status == PaymentStatus.Succeeded);
        await app.Provider.PayAsync(second.OrderNo);

        Payment refunded = await AppWithProvider.UntilAsync(() => app.StoredAsync(second), p => p.Status == PaymentStatus.Refunded);
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
        Assert.Equal(204, await app.NotifyAsync(platform.Sign(body, clock.GetUtcNow()), body, durable));
        Payment after = await app.StoredAsync(second);
        Assert.Equal((PaymentStatus.Refunded, RefundStatus.Succeeded), (after.Status, after.Refund!.Status));
        Assert.Single(await RefundsAtProviderAsync(second.OrderNo));
    }

    [Fact]
    public async Task Credit_a_payoff_left_goes_back_to_the_borrower_leaves_the_ledger_and_the_days_reconciliation_matches_it()
    {
        string loanId = (await app.BookAsync("cust-c")).Id;
        // A prepayment and a payoff made together; the prepayment lands first, so the payoff pays more than is owed.
        PaymentView prepayment = await app.MakePaymentAsync("cust-c", loanId, "k-1", new { purpose = "prepayment", mode = "reduce-term", amount = 1_010m });
        PaymentView payoff = await app.MakePaymentAsync("cust-c", loanId, "k-2", new { purpose = "payoff" });
        await app.Provider.PayAsync(prepayment.OrderNo);
        await AppWithProvider.UntilAsync(() => app.StoredAsync(prepayment), p => p.Status == PaymentStatus.Succeeded);
        await app.Provider.PayAsync(payoff.OrderNo);

        Payment refunded = await AppWithProvider.UntilAsync(() => app.StoredAsync(payoff), p => p.Refund?.Status == RefundStatus.Succeeded);
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

    async Task<List<JsonElement>> RefundsAtProviderAsync(string orderNo) =>
        (await app.Provider.Control.GetFromJsonAsync<JsonElement>("simulator/notifications")).EnumerateArray()
            .Where(n => n.GetProperty("eventType").GetString() == "REFUND.SUCCESS" && n.GetProperty("subject").GetString() == "rf" + orderNo).ToList();

    async Task<Loan> LoanAsync(string customer, string loanId) =>
        (await app.Services.GetRequiredService<IDocumentStore<Loan>>().FindAsync(customer, loanId))!.Document;
}
