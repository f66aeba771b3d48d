using Azure.Storage.Queues;
using JisuDai.Adapters.Configuration;
using JisuDai.App.Notifications;

namespace JisuDai.Adapters.Notifications;

/// <summary>The notifications queue in Storage queues (the queue-triggered function drains it).</summary>
public sealed class StorageNotificationQueue(StorageAccount storage) : INotificationQueue
{
    readonly QueueClient queue = storage.Queues.GetQueueClient(NotificationRequest.QueueName);
    volatile bool created;

    public async Task SendAsync(string message, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (!created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        await queue.SendMessageAsync(message, visibilityTimeout: delay > TimeSpan.Zero ? delay : null, cancellationToken: cancellationToken);
    }
}
