using System.Text;
using System.Text.Json;
using JisuDai.App.Events;
using JisuDai.App.Loans;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using JisuDai.App.Payments;
using JisuDai.Functions.Loans;
using JisuDai.Functions.Payments;
using JisuDai.Functions.Tests.Payments;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using JisuDai.Lending.Products;
using JisuDai.Lending.Repayments;
using JisuDai.Lending.Schedules;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Tests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace JisuDai.Functions.Tests.Loans;

/// <summary>
/// Six loans lived for a year through the app's own edges, on Azurite, under a fake clock (a
/// <see cref="FakeTimeProvider"/> in place of the system clock): each morning at 10:00 Shanghai the borrowers pay what
/// their loan view says is due, as a borrower does: a payment made over the HTTP handlers, paid at the payment-provider
/// simulator (on the same clock), and recorded when its signed notification reaches the notification handler; each night at 00:10 the overdue sweep's timer function sweeps the
/// day that ended; on the 1st the write-off proposal's timer runs and an admin approves over HTTP. After every day the
/// ledger of every loan must balance. The Durable client is a substitute: the lifecycle it wakes is tested on its own
/// (RepaymentLifecycleTests); here it only has to be told of each change.
/// </summary>
public sealed class LoanYearTests : IAsyncLifetime
{
    static readonly DateOnly Disbursed = new(2026, 1, 15);
    static readonly DateOnly End = new(2027, 2, 15);
    static readonly LoanProduct Product = BuiltInProducts.Express;
    static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    readonly FakeTimeProvider clock = new(new DateTimeOffset(Disbursed.ToDateTime(new TimeOnly(9, 0)), Shanghai));
    readonly DurableTaskClient durable = Substitute.For<DurableTaskClient>("test");
    AppWithProvider app = null!;

    AzuriteServer azurite => app.Azurite;

    LocalProvider provider => app.Provider;

    ServiceProvider services => app.Services;

    PaymentFunctions payments => app.Payments;

    public async Task InitializeAsync() => app = await AppWithProvider.StartAsync(clock, durable);

    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>What a borrower pays on a morning, given their loan as the app shows it: an amount, and for a prepayment its mode.</summary>
    delegate (decimal Amount, string? Prepayment)? Borrower(LoanView loan, DateOnly today);

    static bool Due(LoanView loan, DateOnly day) => loan.Schedule.Any(i => i.DueDate == day);

    static (decimal, string?)? PayWhatIsDue(LoanView loan) => loan.DueNow > 0 ? (loan.DueNow, null) : null;

    static readonly Dictionary<string, Borrower> Borrowers = new()
    {
        ["on-time"] = (loan, today) => Due(loan, today) ? PayWhatIsDue(loan) : null,
        ["late"] = (loan, today) => Due(loan, today.AddDays(-10)) ? PayWhatIsDue(loan) : null,
        // Six tenths of each installment for half a year, then whatever is due on each due date.
        ["partial"] = (loan, today) => !Due(loan, today) ? null
            : today < Disbursed.AddMonths(7) ? (decimal.Round(loan.Schedule[0].Total * 0.6m, 2), null) : PayWhatIsDue(loan),
        ["prepaid"] = (loan, today) => today == Disbursed.AddMonths(4).AddDays(5) ? (5_000m, "reduce-term") : Due(loan, today) ? PayWhatIsDue(loan) : null,
        // Pays two installments, misses two, is restructured (below), then pays the new schedule.
        ["restructured"] = (loan, today) => Due(loan, today) && (today <= Disbursed.AddMonths(2) || today > Disbursed.AddMonths(4)) ? PayWhatIsDue(loan) : null,
        ["defaulted"] = (loan, today) => Due(loan, today) && today <= Disbursed.AddMonths(2) ? PayWhatIsDue(loan) : null,
    };

    static readonly DateOnly RestructuredOn = Disbursed.AddMonths(4).AddDays(5);

    [Fact]
    public async Task Six_borrowers_a_year_on_the_fake_clock_end_as_they_paid_with_every_ledger_balanced_every_day_and_every_event_in_the_outbox_once()
    {
        var loans = services.GetRequiredService<IDocumentStore<Loan>>();
        var loanFunctions = ActivatorUtilities.CreateInstance<LoanFunctions>(services);
        var paymentStore = services.GetRequiredService<IDocumentStore<Payment>>();
        var restructurings = ActivatorUtilities.CreateInstance<RestructuringFunctions>(services);
        var writeOffs = ActivatorUtilities.CreateInstance<WriteOffFunctions>(services);
        var staffRequests = ActivatorUtilities.CreateInstance<JisuDai.Functions.Staff.StaffRequestFunctions>(services);
        var sweep = ActivatorUtilities.CreateInstance<OverdueSweepFunction>(services);
        RepaymentSchedule schedule = Offers.Price(Product, Offers.TermsFor(Product, 12_000m, 12, 0.18m), Disbursed).Value!.Schedule;
        foreach (string name in Borrowers.Keys)
        {
            await loans.CreateAsync(new Loan(LoanId(name), name, $"app-1.{name}", 12_000m, LoanStatus.Active, Disbursed, Product.Code, schedule, $"tr-{name}")
                .Raise(LoanEventType.LoanDisbursed, Disbursed, 12_000m, $"tr-{name}"));
        }

        int changesWoken = 0;
        for (DateOnly day = Disbursed; day <= End; day = day.AddDays(1))
        {
            At(day, 10, 0);
            foreach ((string name, Borrower borrower) in Borrowers)
            {
                var view = (LoanView)Ok(await loanFunctions.Get(Request(Applicant(name)), LoanId(name), default));
                Assert.Equal(day, view.AsOf);
                if (view.Status is "PaidOff" or "WrittenOff" || borrower(view, day) is not { } payment)
                {
                    continue;
                }

                string body = JsonSerializer.Serialize(payment.Prepayment is { } mode ? new { purpose = "prepayment", mode = (string?)mode, amount = (decimal?)payment.Amount }
                    : payment.Amount == view.DueNow ? new { purpose = "due", mode = (string?)null, amount = (decimal?)null }
                    : new { purpose = "due", mode = (string?)null, amount = (decimal?)payment.Amount });
                var made = Assert.IsType<ObjectResult>(await payments.Create(Request(Applicant(name), body, idempotencyKey: $"pay-{day:yyyyMMdd}"), LoanId(name), default));
                Assert.Equal(201, made.StatusCode);
                var pending = (PaymentView)made.Value!;
                Assert.Equal(payment.Amount, pending.Amount);
                await provider.PayAsync(pending.OrderNo);
                await RecordedAsync(paymentStore, name, pending.Id);
                changesWoken++;
            }

            if (day == RestructuredOn)
            {
                string terms = """{"reference":"rs-1","annualRate":0.12,"termMonths":12}""";
                // Four eyes: one member of staff proposes, another approves, and only the approval records it.
                StaffRequest proposed = Pending(await restructurings.Restructure(Request(TestTokens.For("staff-1", "reviewer"), terms), LoanId("restructured"), default));
                Assert.IsType<OkObjectResult>(await staffRequests.Approve(Request(TestTokens.For("staff-2", "reviewer"), JsonSerializer.Serialize(new { digest = proposed.Digest })), proposed.Id, durable, default));
                changesWoken++;
            }

            At(day.AddDays(1), 0, 10);
            await sweep.Run(new TimerInfo(), default);
            if (day.AddDays(1).Day == 1)
            {
                At(day.AddDays(1), 2, 0);
                await writeOffs.Propose(new TimerInfo(), default);
                At(day.AddDays(1), 9, 0);
                StaffRequest approval = Pending(await writeOffs.Approve(Request(TestTokens.Admin), $"{day.AddDays(1):yyyy-MM}", default));
                var answer = (StaffRequestAnswer)Ok(await staffRequests.Approve(Request(TestTokens.For("admin-2", "admin"), JsonSerializer.Serialize(new { digest = approval.Digest })), approval.Id, durable, default));
                var proposal = (WriteOffProposal)answer.Result!;
                changesWoken += proposal.Results!.Count(r => r.Skipped is null);
            }

            foreach (string name in Borrowers.Keys)
            {
                LedgerBalance.AssertBalanced((await loans.FindAsync(name, LoanId(name)))!.Document, Product, day);
            }
        }

        Dictionary<string, Loan> end = [];
        foreach (string name in Borrowers.Keys)
        {
            end[name] = (await loans.FindAsync(name, LoanId(name)))!.Document;
        }

        Assert.Equal(LoanStatus.PaidOff, end["on-time"].Status);
        Assert.Empty(end["on-time"].Charges ?? []);
        Assert.Equal([LoanEventType.LoanDisbursed, .. Enumerable.Repeat(LoanEventType.RepaymentReceived, 12), LoanEventType.LoanPaidOff], Types(end["on-time"]));

        // Paid on the tenth day past due each month: penalty on days 4 to 9 (3 grace days, paid the morning of day 10).
        Assert.Equal(LoanStatus.PaidOff, end["late"].Status);
        Assert.Equal(12 * 6, end["late"].Charges!.Count(c => c.Component == Component.Penalty));
        Assert.Equal(12, Types(end["late"]).Count(t => t == LoanEventType.LoanOverdue));
        Assert.Equal(schedule.Installments.Sum(i => i.Total) + end["late"].Charges!.Sum(c => c.Amount), end["late"].Repayments!.Sum(r => r.Amount));

        // Fell behind paying six tenths, caught up in the second half, paid off on the last due date.
        Assert.Equal(LoanStatus.PaidOff, end["partial"].Status);
        Assert.Contains(LoanEventType.LoanOverdue, Types(end["partial"]));
        Assert.Contains(end["partial"].Charges!, c => c.Component == Component.Penalty);
        Assert.Equal(schedule.Installments[^1].DueDate, end["partial"].Events![^1].On);

        LoanEventRecord prepaidOff = end["prepaid"].Events!.Single(e => e.Type == LoanEventType.LoanPaidOff);
        Assert.True(prepaidOff.On < schedule.Installments[^1].DueDate.AddMonths(-3), $"Prepaid loan paid off on {prepaidOff.On}, not months early.");
        Assert.Empty(end["prepaid"].Charges ?? []);

        // Restructured with two installments in arrears, which the first payment on the new terms cleared.
        Loan restructured = end["restructured"];
        Assert.Contains(LoanEventType.LoanRestructured, Types(restructured));
        Assert.Equal(LoanEventType.LoanCured, Types(restructured).Last(t => t is LoanEventType.LoanOverdue or LoanEventType.LoanCured));
        Assert.Equal(0, restructured.DaysPastDue);
        Assert.Equal(0m, LoanSweep.LedgerOf(restructured, Product).PositionOn(End).Balances.Where(b => b.DueDate <= End).Sum(b => b.Total));

        // Written off on the first proposal after day 180 of its third installment (due 2026-04-15): November's.
        Loan defaulted = end["defaulted"];
        Assert.Equal(LoanStatus.WrittenOff, defaulted.Status);
        Assert.Equal(new DateOnly(2026, 11, 1), defaulted.WriteOff!.On);
        Assert.DoesNotContain(defaulted.Charges!, c => c.Date > defaulted.WriteOff.On);
        Assert.Equal(0m, LoanSweep.LedgerOf(defaulted, Product).PositionOn(End).Outstanding);
        Assert.All(end.Values.Where(l => l != defaulted), l => Assert.Null(l.WriteOff));

        // Every event of every loan reached the outbox, once; every change woke the loan's lifecycle.
        var outbox = services.GetRequiredService<ILoanEventOutbox>();
        IReadOnlyList<LoanEventRecord> waiting = await outbox.PendingAsync(10_000, default);
        Assert.Equal(end.Values.SelectMany(l => l.Events!).OrderBy(e => e.Id), waiting.OrderBy(e => e.Id));
        Assert.All(end.Values, l => Assert.Equal(l.Events!.Count, l.EventsInOutbox));
        await durable.Received(changesWoken).RaiseEventAsync(Arg.Any<string>(), RepaymentOrchestrator.LoanChangedEvent, true, Arg.Any<CancellationToken>());
    }

    static string LoanId(string customer) => $"loan-1.{customer}";

    static string Applicant(string customer) => TestTokens.For(customer, "applicant");

    static LoanEventType[] Types(Loan loan) => loan.Events!.Select(e => e.Type).ToArray();

    void At(DateOnly day, int hour, int minute) => clock.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, minute)), Shanghai));

    /// <summary>Waits for the provider's notification to reach the handler and the payment to be recorded.</summary>
    static async Task RecordedAsync(IDocumentStore<Payment> store, string customerId, string id)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(15); await Task.Delay(20))
        {
            if ((await store.FindAsync(customerId, id))!.Document.Status == PaymentStatus.Succeeded)
            {
                return;
            }
        }

        Assert.Fail($"Payment {id} was not recorded from its notification within 15 s.");
    }

    static HttpRequest Request(string token, string? json = null, string? idempotencyKey = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = $"Bearer {token}";
        if (idempotencyKey is not null)
        {
            context.Request.Headers["Idempotency-Key"] = idempotencyKey;
        }

        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json ?? ""));
        return context.Request;
    }

    static object Ok(IActionResult result) => Assert.IsType<OkObjectResult>(result).Value!;

    /// <summary>The staff request a proposal answered with (202), waiting for a second person.</summary>
    static StaffRequest Pending(IActionResult result)
    {
        return Assert.IsType<Answers.PendingStaffRequest>(Assert.IsType<AcceptedResult>(result).Value).Request;
    }
}
