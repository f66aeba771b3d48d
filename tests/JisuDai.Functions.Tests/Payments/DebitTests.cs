using System.Net.Http.Json;
using System.Text.Json;
using JisuDai.App.Loans;
using JisuDai.App.Payments;
using JisuDai.Functions.Payments;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using JisuDai.Lending.Products;
using JisuDai.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace JisuDai.Functions.Tests.Payments;

/// <summary>
/// Automatic debit (委托代扣) on Azurite against the simulator over HTTP: a borrower signs a debit agreement, the
/// repayment lifecycle's due-date step debits what is due, the provider's notification puts it in the ledger; a refused
/// debit fails, is tried again on the retry days, and stops when the borrower ends the agreement; payoff ends it too.
/// </summary>
public sealed class DebitTests : IAsyncLifetime
{
    static readonly DateOnly Disbursed = AppWithProvider.Disbursed;
    static readonly LoanProduct Product = BuiltInProducts.Express;

    readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 20, 10, 0, 0, TimeSpan.FromHours(8)));
    readonly DurableTaskClient durable = Substitute.For<DurableTaskClient>("test");
    AppWithProvider app = null!;
    DebitAgreementFunctions agreements = null!;

    public async Task InitializeAsync()
    {
        app = await AppWithProvider.StartAsync(clock, durable);
        agreements = ActivatorUtilities.CreateInstance<DebitAgreementFunctions>(app.Services);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_signed_agreement_debits_what_is_due_on_the_due_date_into_the_ledger_once_and_payoff_ends_it()
    {
        Loan loan = await app.BookAsync("cust-d");
        DebitAgreementView made = await SignAsync("cust-d", loan.Id, expect: 201);
        Assert.Equal((DebitAgreementStatus.Pending, "da1"), (made.Status, made.ContractCode));
        Assert.NotNull(made.SigningId);
        Assert.Equal(made.Id, (await SignAsync("cust-d", loan.Id, expect: 200)).Id); // signing again answers the same agreement

        // Not signed yet in the payment app: the due date debits nothing.
        DateOnly due = loan.Schedule!.Installments[0].DueDate;
        clock.SetUtcNow(new DateTimeOffset(due.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8)));
        await TakeAsync(loan, FollowUpStage.DueToday, due, 0);
        Assert.Empty(await PaymentsAsync("cust-d"));

        await SimulatorAsync($"simulator/contracts/{made.ContractCode}/sign");
        DebitAgreementView signed = await AppWithProvider.UntilAsync(() => GetAgreementAsync("cust-d", loan.Id), a => a.Status == DebitAgreementStatus.Signed);
        Assert.NotNull(signed.SignedAt);

        await TakeAsync(loan, FollowUpStage.DueToday, due, 0);
        await TakeAsync(loan, FollowUpStage.DueToday, due, 0); // a retried step asks nothing more
        Payment debit = (await AppWithProvider.UntilAsync(() => PaymentsAsync("cust-d"), p => p.Count == 1 && p[0].Status == PaymentStatus.Succeeded)).Single();
        decimal installment = loan.Schedule.Installments[0].Total;
        Assert.Equal((PaymentChannel.Debit, installment, installment), (debit.Channel, debit.Amount, debit.AmountPaid));
        Loan after = await LoanAsync("cust-d", loan.Id);
        RecordedRepayment repayment = Assert.Single(after.Repayments!);
        Assert.Equal((debit.TransactionId, installment), (repayment.Reference, repayment.Amount));
        Assert.Equal([LoanEventType.LoanDisbursed, LoanEventType.DebitRequested, LoanEventType.RepaymentReceived], after.Events!.Select(e => e.Type));
        LedgerBalance.AssertBalanced(after, Product, due);

        // Paying the loan off ends the agreement at the provider: nothing more will be debited.
        PaymentView payoff = await app.MakePaymentAsync("cust-d", loan.Id, "payoff-1", new { purpose = "payoff" });
        await app.Provider.PayAsync(payoff.OrderNo);
        DebitAgreementView ended = await AppWithProvider.UntilAsync(() => GetAgreementAsync("cust-d", loan.Id), a => a.Status == DebitAgreementStatus.Terminated);
        Assert.Equal("loan paid off", ended.TerminatedBy);
        Assert.Equal(LoanStatus.PaidOff, (await LoanAsync("cust-d", loan.Id)).Status);
        using HttpResponseMessage contract = await app.Provider.Control.PostAsync($"simulator/contracts/{made.ContractCode}/sign", null);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, contract.StatusCode); // terminated at the provider too
    }

    [Fact]
    public async Task A_refused_debit_fails_into_the_loans_history_is_tried_again_on_a_retry_day_and_stops_when_the_borrower_ends_the_agreement()
    {
        Loan loan = await app.BookAsync("cust-f");
        DebitAgreementView made = await SignAsync("cust-f", loan.Id, expect: 201);
        await SimulatorAsync($"simulator/contracts/{made.ContractCode}/sign");
        await AppWithProvider.UntilAsync(() => GetAgreementAsync("cust-f", loan.Id), a => a.Status == DebitAgreementStatus.Signed);
        await SimulatorAsync("simulator/faults", new { failDebits = "NOT_ENOUGH" });

        DateOnly due = loan.Schedule!.Installments[0].DueDate;
        clock.SetUtcNow(new DateTimeOffset(due.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8)));
        await TakeAsync(loan, FollowUpStage.DueToday, due, 0);
        Payment failed = (await AppWithProvider.UntilAsync(() => PaymentsAsync("cust-f"), p => p.Count == 1 && p[0].Status == PaymentStatus.Failed)).Single();
        Assert.Equal("NOT_ENOUGH", failed.FailReason);
        Assert.Empty((await LoanAsync("cust-f", loan.Id)).Repayments ?? []);

        // Day 1 past due is a retry day: another debit, refused again; both attempts and results are in the loan's history.
        clock.Advance(TimeSpan.FromDays(1));
        await TakeAsync(loan, FollowUpStage.Overdue, due.AddDays(1), 1);
        await AppWithProvider.UntilAsync(() => PaymentsAsync("cust-f"), p => p.Count == 2 && p.All(x => x.Status == PaymentStatus.Failed));
        Loan history = await LoanAsync("cust-f", loan.Id);
        Assert.Equal([LoanEventType.DebitRequested, LoanEventType.DebitFailed, LoanEventType.DebitRequested, LoanEventType.DebitFailed],
            history.Events!.Select(e => e.Type).Where(t => t is LoanEventType.DebitRequested or LoanEventType.DebitFailed));
        Assert.All(history.Events!.Where(e => e.Type == LoanEventType.DebitFailed), e => Assert.Contains("NOT_ENOUGH", e.Reference));

        // Day 15 is not a retry day (the default is 1, 3 and 7): no debit.
        await SimulatorAsync("simulator/faults", new { });
        await TakeAsync(loan, FollowUpStage.Overdue, due.AddDays(15), 15);
        Assert.Equal(2, (await PaymentsAsync("cust-f")).Count);

        // The borrower ends the agreement: the provider is told, and day 3's retry debits nothing.
        var context = Request("cust-f");
        var cancelled = Assert.IsType<OkObjectResult>(await agreements.Cancel(context.Request, loan.Id, default));
        Assert.Equal(DebitAgreementStatus.Terminated, ((DebitAgreementView)cancelled.Value!).Status);
        await TakeAsync(loan, FollowUpStage.Overdue, due.AddDays(3), 3);
        Assert.Equal(2, (await PaymentsAsync("cust-f")).Count);
        using HttpResponseMessage debit = await app.Provider.Control.PostAsync($"simulator/contracts/{made.ContractCode}/sign", null);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, debit.StatusCode);
    }

    [Fact]
    public async Task Another_borrower_cannot_see_sign_or_end_a_loans_agreement()
    {
        Loan loan = await app.BookAsync("cust-o");
        await SignAsync("cust-o", loan.Id, expect: 201);
        Assert.IsType<ObjectResult>(await agreements.Get(Request("cust-x").Request, loan.Id, default), exactMatch: false);
        Assert.Equal(404, ((ObjectResult)await agreements.Get(Request("cust-x").Request, loan.Id, default)).StatusCode);
        Assert.Equal(404, ((ObjectResult)await agreements.Sign(Request("cust-x").Request, loan.Id, default)).StatusCode);
        Assert.Equal(404, ((ObjectResult)await agreements.Cancel(Request("cust-x").Request, loan.Id, default)).StatusCode);
        Assert.Equal(DebitAgreementStatus.Pending, (await GetAgreementAsync("cust-o", loan.Id)).Status);
    }

    static DefaultHttpContext Request(string customer, object? body = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = $"Bearer {TestTokens.For(customer, "applicant")}";
        context.Request.Body = new MemoryStream(body is null ? [] : JsonSerializer.SerializeToUtf8Bytes(body));
        return context;
    }

    async Task<DebitAgreementView> SignAsync(string customer, string loanId, int expect)
    {
        var answer = Assert.IsType<ObjectResult>(await agreements.Sign(Request(customer).Request, loanId, default));
        Assert.True(answer.StatusCode == expect, JsonSerializer.Serialize(answer.Value));
        return (DebitAgreementView)answer.Value!;
    }

    async Task<DebitAgreementView> GetAgreementAsync(string customer, string loanId) =>
        (DebitAgreementView)Assert.IsType<OkObjectResult>(await agreements.Get(Request(customer).Request, loanId, default)).Value!;

    Task TakeAsync(Loan loan, FollowUpStage stage, DateOnly day, int daysPastDue)
    {
        var calendar = new RepaymentCalendar(Disbursed, Disbursed.ToDateTime(TimeOnly.MinValue), TimeSpan.FromDays(1), TimeSpan.FromHours(9));
        var step = new FollowUpStep(new RepaymentInput(loan.CustomerId, loan.Id, loan.ApplicationId, 1, calendar), stage, day, daysPastDue);
        return app.Services.GetRequiredService<IInstallmentFollowUp>().TakeAsync(step, default);
    }

    async Task SimulatorAsync(string path, object? body = null)
    {
        using HttpResponseMessage answer = await app.Provider.Control.PostAsJsonAsync(path, body ?? new { });
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
    }

    async Task<IReadOnlyList<Payment>> PaymentsAsync(string customer) =>
        (await app.Services.GetRequiredService<IDocumentStore<Payment>>().ListByCustomerAsync(customer)).Select(v => v.Document).OrderBy(p => p.CreatedAt).ToList();

    async Task<Loan> LoanAsync(string customer, string loanId) =>
        (await app.Services.GetRequiredService<IDocumentStore<Loan>>().FindAsync(customer, loanId))!.Document;
}
