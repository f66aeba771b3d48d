using JisuDai.Tests.Shared.Security;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Notifications;
using JisuDai.Adapters.Staff;
using JisuDai.Adapters.Storage;
using JisuDai.App.Applications;
using JisuDai.App.Notifications;
using JisuDai.App.Security;
using JisuDai.Functions.Notifications;
using JisuDai.Lending.Applications;
using JisuDai.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace JisuDai.Functions.Tests.Notifications;

/// <summary>The queue-triggered sender on Azurite, with a fixed clock and a provider whose answers the test sets.</summary>
public sealed class NotificationFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    sealed class ScriptedProvider : ISmsSender
    {
        public List<SmsMessage> Sent { get; } = [];
        public bool Fail { get; set; }

        public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
        {
            int count;
            lock (Sent)
            {
                Sent.Add(message);
                count = Sent.Count;
            }

            await Task.Delay(50, cancellationToken); // a provider takes a moment: long enough for a duplicate to race
            return Fail ? new SmsSendResult(false, null, "HTTP 503: try later") : new SmsSendResult(true, $"acs-{count}", null);
        }
    }

    readonly ScriptedProvider provider = new();
    StorageAccount storage = null!;

    public async Task InitializeAsync()
    {
        storage = StorageAccount.FromConnectionString(azurite.Server.ConnectionString);
        // Each test class run starts from empty tables and queue.
        foreach (string table in new[] { SendRecords.TableName, OptOuts.TableName })
        {
            await storage.Tables.DeleteTableAsync(table);
        }

        await storage.Queues.GetQueueClient(NotificationRequest.QueueName).DeleteIfExistsAsync();
        await storage.Queues.GetQueueClient(NotificationRequest.QueueName).CreateAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    PersonalData Sealer => field ??= TestKeyVault.PersonalData(storage.Tables, TestTokens.PersonalDataKey);

    TableDocumentStore<LoanApplication> Applications => new(storage.Tables, "applications");

    NotificationFunction Function(DateTimeOffset now, IEmailSender? email = null) =>
        new(new NotificationDelivery(provider, email ?? new RecordedMessages(storage, new FixedClock(now)), new SendRecords(storage), new OptOuts(storage, Sealer), new RecipientDirectory(Applications, Sealer), new StorageNotificationQueue(storage),
            new TableDailyTally(storage.Tables), Sealer, new FixedClock(now), NullLogger<NotificationDelivery>.Instance));

    [Fact]
    public async Task A_message_to_an_application_is_sent_to_the_phone_sealed_in_it_and_names_nothing_else()
    {
        string id = $"{Guid.NewGuid():N}"[..20] + ".cust-n1";
        await Applications.CreateAsync(new LoanApplication(id, "cust-n1", "express", 5000m, 12, ApplicationStatus.Submitted, Noon,
            ProtectedIdentity: await Sealer.SealAsync(new ApplicantIdentitySealed("Li Si", "110101199003070011", "+8613912345678", "6222020200112230", null, null), "cust-n1", id, CancellationToken.None)));
        string message = $$$"""{"idempotencyKey":"{{{id}}}-ApplicationReceived","recipient":"application:{{{id}}}","template":"ApplicationReceived","parameters":{"amount":"5000.00"}}""";

        await Function(Noon).Run(message, CancellationToken.None);

        SmsMessage sent = Assert.Single(provider.Sent, m => m.IdempotencyKey == $"{id}-ApplicationReceived");
        Assert.Equal("+8613912345678", sent.To);
        Assert.DoesNotContain("139", message);
        Assert.Equal("**********5678", (await Record($"{id}-ApplicationReceived")).GetString("RecipientMasked"));

        string unknown = """{"idempotencyKey":"nobody-ApplicationReceived","recipient":"application:0123.cust-none","template":"ApplicationReceived","parameters":{"amount":"1.00"}}""";
        await Assert.ThrowsAsync<InvalidDataException>(() => Function(Noon).Run(unknown, CancellationToken.None));
    }

    [Fact]
    public async Task A_message_to_an_email_address_goes_by_email_once_even_in_quiet_hours_and_its_record_masks_the_address()
    {
        byte[] key = Convert.FromBase64String("c2VjcmV0LWtleS1vZi10aGUtbG9jYWwtc21zLXNlcnZpY2U=");
        await using var service = new LocalAcsEmailService(key) { PollsToFinish = 1 };
        await service.StartAsync();
        string message = """{"idempotencyKey":"alert-mail-1","recipient":"oncall@lender.example","template":"StaffAlert","language":"en","parameters":{"kind":"monitoring-psi","target":"8b72"}}""";

        await Function(LateEvening, AcsEmailSenderTests.Sender(service.Endpoint, key)).Run(message, CancellationToken.None);
        await Function(LateEvening, AcsEmailSenderTests.Sender(service.Endpoint, key)).Run(message, CancellationToken.None); // a redelivery

        (_, System.Text.Json.JsonElement email) = Assert.Single(service.Emails);
        Assert.Equal("[JisuDai] On-call alert: monitoring-psi (8b72). See the console and resolve it there.", email.GetProperty("content").GetProperty("plainText").GetString());
        Assert.Equal("oncall@lender.example", email.GetProperty("recipients").GetProperty("to")[0].GetProperty("address").GetString());
        Assert.DoesNotContain(provider.Sent, m => m.IdempotencyKey == "alert-mail-1");
        TableEntity record = await Record("alert-mail-1");
        Assert.Equal(("Sent", "o***@lender.example"), (record.GetString("Status"), record.GetString("RecipientMasked")));
    }

    static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.FromHours(8));
    static readonly DateTimeOffset LateEvening = new(2026, 11, 25, 22, 30, 0, TimeSpan.FromHours(8));

    static string Request(string key, string template, string parameters) =>
        $$$"""{"idempotencyKey":"{{{key}}}","recipient":"+8613800138000","template":"{{{template}}}","parameters":{{{{parameters}}}}}""";

    async Task<TableEntity> Record(string key) =>
        (await storage.Tables.GetTableClient(SendRecords.TableName).GetEntityAsync<TableEntity>("sms", key)).Value;

    [Fact]
    public async Task A_number_gets_ten_service_messages_a_day_and_transactional_ones_beyond_them()
    {
        DateTimeOffset day = new(2026, 10, 3, 12, 0, 0, TimeSpan.FromHours(8));
        static string Service(int i) => $$$"""{"idempotencyKey":"cap-{{{i}}}","recipient":"+8613700137777","template":"ApplicationReceived","parameters":{"amount":"100.00"}}""";
        for (int i = 0; i < 11; i++)
        {
            await Function(day).Run(Service(i), CancellationToken.None);
        }

        await Function(day).Run(Service(3), CancellationToken.None); // a redelivery counts nothing more
        await Function(day).Run("""{"idempotencyKey":"cap-paid","recipient":"+8613700137777","template":"LoanDisbursed","parameters":{"amount":"100.00","account":"1234"}}""", CancellationToken.None);
        await Function(day.AddDays(1)).Run(Service(11), CancellationToken.None);

        Assert.Equal(12, provider.Sent.Count(m => m.To == "+8613700137777"));
        TableEntity skipped = await Record("cap-10");
        Assert.Equal("Skipped", skipped.GetString("Status"));
        Assert.Contains("10 service and marketing messages", skipped.GetString("LastError"));
        Assert.Equal("Sent", (await Record("cap-paid")).GetString("Status"));
        Assert.Equal("Sent", (await Record("cap-11")).GetString("Status"));
    }

    [Fact]
    public async Task A_collection_message_at_night_is_held_until_eight_and_then_sent()
    {
        string message = Request("overdue-L1-d3", "PaymentOverdue", """ "days":"3","amount":"888.49" """);

        await Function(LateEvening).Run(message, CancellationToken.None);

        Assert.Empty(provider.Sent);
        TableEntity held = await Record("overdue-L1-d3");
        Assert.Equal("Held", held.GetString("Status"));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.FromHours(8)), held.GetDateTimeOffset("HeldUntil"));
        // Re-queued, invisible until the morning.
        QueueClient queue = storage.Queues.GetQueueClient(NotificationRequest.QueueName);
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        await Function(new DateTimeOffset(2026, 11, 26, 8, 0, 5, TimeSpan.FromHours(8))).Run(message, CancellationToken.None);

        Assert.Equal("【极速贷】您的借款已逾期3天，应还888.49元，请尽快还款以免产生更多罚息。", Assert.Single(provider.Sent).Text);
        Assert.Equal("Sent", (await Record("overdue-L1-d3")).GetString("Status"));
    }

    [Fact]
    public async Task A_disbursement_message_goes_at_night_and_a_redelivery_is_not_sent_again()
    {
        string message = Request("disbursed-L2", "LoanDisbursed", """ "amount":"5,000.00","account":"1234" """);

        await Function(LateEvening).Run(message, CancellationToken.None);
        await Function(LateEvening).Run(message, CancellationToken.None);

        Assert.Single(provider.Sent);
        TableEntity record = await Record("disbursed-L2");
        Assert.Equal(("Sent", 1, "acs-1"), (record.GetString("Status"), record.GetInt32("Attempts"), record.GetString("ProviderMessageId")));
    }

    [Fact]
    public async Task Two_deliveries_of_one_message_at_the_same_moment_send_it_once()
    {
        string message = Request("disbursed-L5", "LoanDisbursed", """ "amount":"5,000.00","account":"1234" """);

        Task[] deliveries = [Function(Noon).Run(message, CancellationToken.None), Function(Noon).Run(message, CancellationToken.None)];
        await Task.WhenAll(deliveries.Select(d => d.ContinueWith(_ => { }, TaskScheduler.Default)));
        // The loser retries later, as the queue would redeliver it, and finds the message sent.
        if (deliveries.Any(d => d.IsFaulted))
        {
            await Function(Noon).Run(message, CancellationToken.None);
        }

        Assert.Single(provider.Sent);
        Assert.Equal("Sent", (await Record("disbursed-L5")).GetString("Status"));
    }

    [Fact]
    public async Task An_opted_out_recipient_gets_no_reminder_but_still_gets_an_OTP()
    {
        await new OptOuts(storage, Sealer).AddAsync("+8613800138000", "reply TD", Noon, CancellationToken.None);

        await Function(Noon).Run(Request("remind-L3-1", "RepaymentReminder", """ "amount":"888.49","dueDate":"2026-12-15" """), CancellationToken.None);
        await Function(Noon).Run(Request("otp-9", "Otp", """ "code":"123456","minutes":"5" """), CancellationToken.None);

        Assert.Equal("Skipped", (await Record("remind-L3-1")).GetString("Status"));
        Assert.Contains("123456", Assert.Single(provider.Sent).Text);
    }

    [Fact]
    public async Task An_opt_out_is_keyed_and_one_recorded_under_the_old_unkeyed_digest_is_still_honoured_and_moved()
    {
        TableClient optOuts = storage.Tables.GetTableClient(OptOuts.TableName);
        await optOuts.CreateIfNotExistsAsync();
        string unkeyed = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData("+8613800138000"u8));
        await optOuts.UpsertEntityAsync(new TableEntity("sms", unkeyed) { ["Source"] = "reply TD", ["At"] = Noon });

        await Function(Noon).Run(Request("remind-L3-2", "RepaymentReminder", """ "amount":"888.49","dueDate":"2026-12-15" """), CancellationToken.None);

        Assert.Equal("Skipped", (await Record("remind-L3-2")).GetString("Status"));
        List<TableEntity> rows = await optOuts.QueryAsync<TableEntity>().ToListAsync();
        Assert.Equal([Sealer.Fingerprint("sms-opt-out", "+8613800138000")], rows.Select(r => r.RowKey));
        Assert.Equal("reply TD", rows[0].GetString("Source"));
    }

    [Fact]
    public async Task Provider_failures_are_counted_and_the_fifth_says_why_the_message_is_poisoned()
    {
        provider.Fail = true;
        string message = Request("received-L4", "RepaymentReceived", """ "amount":"100.00" """);

        for (int attempt = 1; attempt <= NotificationDelivery.MaxAttempts; attempt++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => Function(Noon).Run(message, CancellationToken.None));
        }

        TableEntity record = await Record("received-L4");
        Assert.Equal(("Failed", 5), (record.GetString("Status"), record.GetInt32("Attempts")));
        Assert.Contains("moved to notifications-poison: HTTP 503: try later", record.GetString("LastError"));
    }

    [Fact]
    public async Task Publishing_checks_the_template_and_queues_only_what_can_be_sent()
    {
        var publisher = new NotificationPublisher(new StorageNotificationQueue(storage));
        QueueClient queue = storage.Queues.GetQueueClient(NotificationRequest.QueueName);

        IReadOnlyList<Lending.DomainError> refused = await publisher.PublishAsync(
            new NotificationRequest("offer-L6", "13800138000", "OfferMade", "en", new Dictionary<string, string> { ["amount"] = "5,000.00" }), CancellationToken.None);
        Assert.Equal(["recipient", "parameters.apr", "parameters.expires", "parameters.term"], refused.Select(e => e.Field));
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        IReadOnlyList<Lending.DomainError> accepted = await publisher.PublishAsync(
            new NotificationRequest("received-L6", "+8613800138000", "RepaymentReceived", "en", new Dictionary<string, string> { ["amount"] = "100.00" }), CancellationToken.None);
        Assert.Empty(accepted);
        QueueMessage queued = (await queue.ReceiveMessageAsync()).Value;
        await Function(Noon).Run(queued.Body.ToString(), CancellationToken.None);
        Assert.Equal("[JisuDai] We received your payment of 100.00 yuan. Thank you.", Assert.Single(provider.Sent).Text);
    }

    [Fact]
    public async Task A_request_missing_a_template_variable_fails_with_the_variable_named()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => Function(Noon).Run(Request("bad-1", "LoanDisbursed", """ "amount":"1.00" """), CancellationToken.None));

        Assert.Contains("parameters.account", (await Record("bad-1")).GetString("LastError"));
        Assert.Empty(provider.Sent);
    }
}
