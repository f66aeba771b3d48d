using System.Text.Json;
using Azure.Messaging.ServiceBus;
using JisuDai.Adapters.Storage;
using JisuDai.App.Events;
using JisuDai.Lending.Loans;

namespace JisuDai.Adapters.Events;

/// <summary>
/// Publishes loan events to the Service Bus topic <c>domain-events</c>: one message per event, its id the message id
/// (the topic detects duplicates), its type the subject, the loan the session-free correlation id, the event as JSON.
/// </summary>
public sealed class ServiceBusEventPublisher(ServiceBusSender sender) : IEventPublisher
{
    /// <summary>The topic infra/modules/servicebus.bicep creates.</summary>
    public const string Topic = "domain-events";

    /// <inheritdoc />
    public async Task PublishAsync(IReadOnlyList<LoanEventRecord> events, CancellationToken cancellationToken)
    {
        var pending = new Queue<LoanEventRecord>(events);
        while (pending.Count > 0)
        {
            using ServiceBusMessageBatch batch = await sender.CreateMessageBatchAsync(cancellationToken);
            while (pending.Count > 0 && batch.TryAddMessage(ToMessage(pending.Peek())))
            {
                pending.Dequeue();
            }

            if (batch.Count == 0)
            {
                throw new InvalidOperationException($"Event {pending.Peek().Id} is larger than a Service Bus message.");
            }

            await sender.SendMessagesAsync(batch, cancellationToken);
        }
    }

    /// <summary>The message an event travels in.</summary>
    public static ServiceBusMessage ToMessage(LoanEventRecord e) => new(BinaryData.FromString(JsonSerializer.Serialize(e, DocumentJson.Options)))
    {
        MessageId = e.Id,
        Subject = e.Type.ToString(),
        CorrelationId = e.LoanId,
        ContentType = "application/json",
        ApplicationProperties = { ["loanId"] = e.LoanId, ["type"] = e.Type.ToString() },
    };
}
