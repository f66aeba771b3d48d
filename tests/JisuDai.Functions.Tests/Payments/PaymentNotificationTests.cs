using System.Collections.Concurrent;
using System.Text.Json;
using JisuDai.App.Payments;
using JisuDai.Functions.Payments;
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
/// The provider's notifications at <c>POST /api/payments/notifications</c>, on Azurite, with the simulator over HTTP
/// for the payments and the notifications it signs: only a verified, fresh notification that matches one of our
/// payments reaches a ledger, once, however often and in whatever order it comes.
/// </summary>
public sealed class PaymentNotificationTests : IAsyncLifetime
{
    static readonly LoanProduct Product = BuiltInProducts.Express;

    readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(8)));
    readonly DurableTaskClient durable = Substitute.For<DurableTaskClient>("test");
    readonly ConcurrentQueue<(Dictionary<string, string> Headers, string Body)> captured = new();
    AppWithProvider app = null!;

    AzuriteServer azurite => app.Azurite;

    LocalProvider provider => app.Provider;

    ServiceProvider services => app.Services;

    PaymentFunctions payments => app.Payments;

    public async Task InitializeAsync() => app = await AppWithProvider.StartAsync(clock, durable, async request =>
    {
        // The simulator's notifications are captured here and acknowledged; each test delivers them as it means to.
        using var reader = new StreamReader(request.Body);
        captured.Enqueue((request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()), await reader.ReadToEndAsync()));
        return new NoContentResult();
    });

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_changed_forged_stale_unknown_or_mismatched_notification_changes_nothing_and_a_replay_is_answered_and_changes_nothing()
    {
        await BookAsync("cust-n");
        PaymentView payment = await MakeAsync("cust-n", "k-1", 250.00m);
        await provider.PayAsync(payment.OrderNo);
        (Dictionary<string, string> headers, string body) = await NextNotificationAsync();

        Assert.Equal(401, await DeliverAsync(headers, body.Replace("\"id\":\"", "\"id\":\"x")));
        Assert.Equal(401, await DeliverAsync(new Dictionary<string, string>(headers) { ["Wechatpay-Signature"] = Convert.ToBase64String(new byte[256]) }, body));
        Assert.Equal(401, await DeliverAsync(headers.Where(h => !h.Key.Equals("Wechatpay-Signature", StringComparison.OrdinalIgnoreCase)).ToDictionary(), body));
        // Signed by the platform, but six minutes ago; about an order of no payment of ours; with another amount than ours.
        using var platform = new PlatformCrypto(provider.Keys);
        Assert.Equal(401, await DeliverAsync(platform.Sign(body, clock.GetUtcNow().AddMinutes(-6)), body));
        Assert.Equal(422, await DeliverAsync(platform, "pmtnotours000000000000", "cust-n", 25000));
        Assert.Equal(422, await DeliverAsync(platform, payment.OrderNo, "cust-n", 25001));
        Assert.Equal(PaymentStatus.Pending, (await StoredAsync(payment)).Status);
        Assert.Empty(await RepaymentsAsync("cust-n"));

        Assert.Equal(204, await DeliverAsync(headers, body));
        Assert.Equal(204, await DeliverAsync(headers, body));
        Payment recorded = await StoredAsync(payment);
        Assert.Equal((PaymentStatus.Succeeded, 250.00m), (recorded.Status, recorded.AmountPaid));
        RecordedRepayment repayment = Assert.Single(await RepaymentsAsync("cust-n"));
        Assert.Equal((recorded.TransactionId, 250.00m, new DateOnly(2026, 3, 1)), (repayment.Reference, repayment.Amount, repayment.PaidOn));
        await durable.Received(1).RaiseEventAsync(Arg.Any<string>(), Arg.Any<string>(), true, Arg.Any<CancellationToken>());

        // The notification is in the log once, with what came of it; the refused ones are not.
        string noticeId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        var log = new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).GetTableClient("paymentnotices");
        Azure.Data.Tables.TableEntity entry = Assert.Single(log.Query<Azure.Data.Tables.TableEntity>());
        Assert.Equal((noticeId, "TRANSACTION.SUCCESS"), (entry.RowKey, entry.GetString("EventType")));
        Assert.Contains("Succeeded", entry.GetString("Outcome"));
    }

    [Fact]
    public async Task A_thousand_notifications_for_a_hundred_payments_shuffled_and_duplicated_record_each_payment_once_with_every_ledger_balanced()
    {
        var random = new Random(20261202);
        var made = new List<PaymentView>();
        for (int l = 0; l < 10; l++)
        {
            await BookAsync($"cust-{l}");
            for (int p = 0; p < 10; p++)
            {
                made.Add(await MakeAsync($"cust-{l}", $"k-{p}", random.Next(1_00, 300_00) / 100m));
            }
        }

        foreach (PaymentView payment in made)
        {
            await provider.PayAsync(payment.OrderNo);
        }

        var notices = new List<(Dictionary<string, string>, string)>();
        while (notices.Count < made.Count)
        {
            notices.Add(await NextNotificationAsync());
        }

        List<(Dictionary<string, string> Headers, string Body)> deliveries = notices.SelectMany(n => Enumerable.Repeat(n, 10)).OrderBy(_ => random.Next()).ToList();
        var answers = new ConcurrentBag<int>();
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (d, _) => answers.Add(await DeliverAsync(d.Headers, d.Body)));

        Assert.All(answers, status => Assert.Equal(204, status));
        foreach (IGrouping<string, PaymentView> loan in made.GroupBy(p => p.LoanId))
        {
            string customer = CustomerScopedId.CustomerOf(loan.Key)!;
            IReadOnlyList<RecordedRepayment> repayments = await RepaymentsAsync(customer);
            Assert.Equal(10, repayments.Count);
            Assert.Equal(loan.Sum(p => p.Amount), repayments.Sum(r => r.Amount));
            foreach (PaymentView payment in loan)
            {
                Assert.Equal(PaymentStatus.Succeeded, (await StoredAsync(payment)).Status);
            }

            LedgerBalance.AssertBalanced((await services.GetRequiredService<IDocumentStore<Loan>>().FindAsync(customer, loan.Key))!.Document, Product, new DateOnly(2026, 3, 1));
        }

        await durable.Received(made.Count).RaiseEventAsync(Arg.Any<string>(), Arg.Any<string>(), true, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_transfer_notification_wakes_the_version_4_approval_paying_it_out_and_no_other()
    {
        var asked = new List<OrchestrationQuery>();
        durable.GetAllInstancesAsync(Arg.Any<OrchestrationQuery>()).Returns(call =>
        {
            var query = call.Arg<OrchestrationQuery>();
            asked.Add(query);
            OrchestrationMetadata[] found = query.InstanceIdPrefix switch
            {
                "a4new." => [new OrchestrationMetadata(nameof(Orchestrations.Approval.LoanApprovalOrchestratorV4), "a4new.cust-t") { RuntimeStatus = OrchestrationRuntimeStatus.Running }],
                "a3old." => [new OrchestrationMetadata(nameof(Orchestrations.Approval.LoanApprovalOrchestratorV3), "a3old.cust-t") { RuntimeStatus = OrchestrationRuntimeStatus.Running }],
                _ => [],
            };
            return Microsoft.DurableTask.Pageable.Create((string? _, CancellationToken _) => Task.FromResult(new Microsoft.DurableTask.Page<OrchestrationMetadata>(found, null)));
        });
        using var platform = new PlatformCrypto(provider.Keys);

        Assert.Equal(204, await DeliverTransferAsync(platform, "poa4new", "SUCCESS"));
        Assert.Equal(204, await DeliverTransferAsync(platform, "poa3old", "SUCCESS")); // version 3 listens for nothing: not raised
        Assert.Equal(204, await DeliverTransferAsync(platform, "ponobody", "FAIL"));

        Assert.Equal(["a4new.", "a3old.", "nobody."], asked.Select(q => q.InstanceIdPrefix));
        await durable.Received(1).RaiseEventAsync("a4new.cust-t", Orchestrations.Approval.LoanApprovalOrchestratorV4.PayoutFinishedEvent, true, Arg.Any<CancellationToken>());
        await durable.DidNotReceive().RaiseEventAsync("a3old.cust-t", Arg.Any<string>(), Arg.Any<object?>(), Arg.Any<CancellationToken>());
    }

    /// <summary>A transfer notification the platform signs and seals itself.</summary>
    Task<int> DeliverTransferAsync(PlatformCrypto platform, string outBillNo, string state)
    {
        string resource = JsonSerializer.Serialize(new
        {
            mch_id = provider.Keys.MerchantId, out_bill_no = outBillNo, transfer_bill_no = "1330" + outBillNo, state, transfer_amount = 1_960_000, account_ending = "2233",
            create_time = "2026-03-01T10:00:00+08:00", update_time = "2026-03-01T10:00:05+08:00", fail_reason = state == "FAIL" ? "ACCOUNT_FROZEN" : null,
        });
        EncryptedResource sealedResource = platform.Encrypt(resource, "mch_payment", "mch_payment");
        string body = JsonSerializer.Serialize(new
        {
            id = Guid.NewGuid().ToString(), create_time = "2026-03-01T10:00:05+08:00", resource_type = "encrypt-resource", event_type = "MCHTRANSFER.BILL.FINISHED",
            resource = new { algorithm = sealedResource.Algorithm, ciphertext = sealedResource.Ciphertext, associated_data = sealedResource.AssociatedData, original_type = "mch_payment", nonce = sealedResource.Nonce },
        });
        return DeliverAsync(platform.Sign(body, clock.GetUtcNow()), body);
    }

    Task BookAsync(string customer) => app.BookAsync(customer);

    Task<PaymentView> MakeAsync(string customer, string key, decimal amount) => app.MakePaymentAsync(customer, LoanId(customer), key, new { purpose = "due", amount });

    async Task<(Dictionary<string, string>, string)> NextNotificationAsync()
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(15); await Task.Delay(20))
        {
            if (captured.TryDequeue(out var notice))
            {
                return notice;
            }
        }

        throw new TimeoutException("The simulator sent no notification within 15 s.");
    }

    Task<int> DeliverAsync(IReadOnlyDictionary<string, string> headers, string body) => app.NotifyAsync(headers, body, durable);

    /// <summary>A notification the platform signs and seals itself: a paid order of <paramref name="fen"/>.</summary>
    Task<int> DeliverAsync(PlatformCrypto platform, string orderNo, string customer, long fen)
    {
        string resource = JsonSerializer.Serialize(new
        {
            out_trade_no = orderNo, transaction_id = "4200999999999999999999999999", trade_state = "SUCCESS", attach = customer,
            success_time = "2026-03-01T10:00:00+08:00", amount = new { total = fen, payer_total = fen, currency = "CNY" },
        });
        EncryptedResource sealedResource = platform.Encrypt(resource, "transaction", "transaction");
        string body = JsonSerializer.Serialize(new
        {
            id = Guid.NewGuid().ToString(), create_time = "2026-03-01T10:00:00+08:00", resource_type = "encrypt-resource", event_type = "TRANSACTION.SUCCESS",
            resource = new { algorithm = sealedResource.Algorithm, ciphertext = sealedResource.Ciphertext, associated_data = sealedResource.AssociatedData, original_type = "transaction", nonce = sealedResource.Nonce },
        });
        return DeliverAsync(platform.Sign(body, clock.GetUtcNow()), body);
    }

    Task<Payment> StoredAsync(PaymentView payment) => app.StoredAsync(payment);

    async Task<IReadOnlyList<RecordedRepayment>> RepaymentsAsync(string customer) =>
        (await services.GetRequiredService<IDocumentStore<Loan>>().FindAsync(customer, LoanId(customer)))!.Document.Repayments ?? [];

    static string LoanId(string customer) => $"loan-1.{customer}";
}
