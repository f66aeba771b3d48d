using JisuDai.Lending.Loans;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Events;

/// <summary>Sends domain events to other systems.</summary>
public interface IEventPublisher
{
    /// <summary>Sends the events; sending one again must be harmless (the topic drops a message id it has seen).</summary>
    Task PublishAsync(IReadOnlyList<LoanEventRecord> events, CancellationToken cancellationToken);
}

/// <summary>
/// Drains the outbox: sends what waits to the publisher, then removes it. A crash between the two sends an event
/// twice, never loses one; the event id is the message id, so the topic's duplicate detection drops the second.
/// </summary>
public sealed class EventPublishing(ILoanEventOutbox outbox, IEventPublisher publisher, ILogger<EventPublishing> logger)
{
    const int Batch = 100;

    /// <summary>Publishes everything waiting; returns how many events went out.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        int sent = 0;
        while (true)
        {
            IReadOnlyList<LoanEventRecord> waiting = await outbox.PendingAsync(Batch, cancellationToken);
            if (waiting.Count == 0)
            {
                break;
            }

            await publisher.PublishAsync(waiting, cancellationToken);
            foreach (LoanEventRecord published in waiting)
            {
                await outbox.RemoveAsync(published, cancellationToken);
            }

            sent += waiting.Count;
            logger.LogInformation("Published {Count} loan events ({Total} this run).", waiting.Count, sent);
        }

        return sent;
    }
}
