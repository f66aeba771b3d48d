using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using JisuDai.Adapters.Events;
using JisuDai.Adapters.Storage;
using JisuDai.App.Events;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace JisuDai.Functions.Tests.Events;

/// <summary>
/// Draining the outbox on Azurite to a publisher. Service Bus cannot run here, so the publisher is a recording one;
/// the message each event becomes is checked on its own.
/// </summary>
public sealed class EventPublishingTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    sealed class RecordingPublisher : IEventPublisher
    {
        public List<LoanEventRecord> Sent { get; } = [];
        public int FailuresLeft { get; set; }

        public Task PublishAsync(IReadOnlyList<LoanEventRecord> events, CancellationToken cancellationToken)
        {
            if (FailuresLeft-- > 0)
            {
                throw new ServiceBusException("The topic is unavailable.", ServiceBusFailureReason.ServiceBusy);
            }

            Sent.AddRange(events);
            return Task.CompletedTask;
        }
    }

    static LoanEventRecord Event(string loan, int n, LoanEventType type) =>
        new($"{loan}-{n:D4}", type, loan, "cust-1", new DateOnly(2026, 3, n), 100m * n, n == 2 ? "pay-2" : null);

    [Fact]
    public async Task Every_waiting_event_is_published_once_and_a_failed_send_leaves_them_waiting()
    {
        var outbox = new LoanEventOutbox(new TableServiceClient(azurite.Server.ConnectionString));
        LoanEventRecord[] events = [.. Enumerable.Range(1, 150).Select(n => Event($"loan-{n % 7}.cust-1", n % 28 + 1, LoanEventType.RepaymentReceived)).DistinctBy(e => e.Id)];
        await outbox.AddAsync(events, CancellationToken.None);
        await outbox.AddAsync(events.Take(10), CancellationToken.None); // copied again by a catch-up: still one row each
        var publisher = new RecordingPublisher { FailuresLeft = 1 };
        var publishing = new EventPublishing(outbox, publisher, NullLogger<EventPublishing>.Instance);

        await Assert.ThrowsAsync<ServiceBusException>(() => publishing.DrainAsync(CancellationToken.None));
        Assert.Empty(publisher.Sent);
        Assert.Equal(Math.Min(100, events.Length), (await outbox.PendingAsync(100, CancellationToken.None)).Count);

        int sent = await publishing.DrainAsync(CancellationToken.None);

        Assert.Equal(events.Length, sent);
        Assert.Equal(events.Select(e => e.Id).Order(), publisher.Sent.Select(e => e.Id).Order());
        Assert.Equal(events.OrderBy(e => e.Id), publisher.Sent.OrderBy(e => e.Id));
        Assert.Empty(await outbox.PendingAsync(10, CancellationToken.None));
        Assert.Equal(0, await publishing.DrainAsync(CancellationToken.None));
    }

    [Fact]
    public void An_event_travels_as_one_message_whose_id_is_the_event_id_so_the_topic_drops_a_second_copy()
    {
        LoanEventRecord e = Event("loan-9.cust-1", 2, LoanEventType.RepaymentReceived);

        ServiceBusMessage message = ServiceBusEventPublisher.ToMessage(e);

        Assert.Equal(("loan-9.cust-1-0002", "RepaymentReceived", "loan-9.cust-1", "application/json"), (message.MessageId, message.Subject, message.CorrelationId, message.ContentType));
        Assert.Equal(e, message.Body.ToObjectFromJson<LoanEventRecord>(JisuDai.Adapters.Storage.DocumentJson.Options));
        Assert.Equal(("loan-9.cust-1", "RepaymentReceived"), (message.ApplicationProperties["loanId"], message.ApplicationProperties["type"]));
    }
}
