using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Storage;
using JisuDai.App.Notifications;

namespace JisuDai.Adapters.Notifications;

/// <summary>The notifications queue in Storage queues (the queue-triggered function drains it).</summary>
public sealed class StorageNotificationQueue(StorageAccount storage) : INotificationQueue
{
    readonly OnceCreatedQueue queue = new(storage.Queues, NotificationRequest.QueueName);

    public async Task SendAsync(string message, TimeSpan delay, CancellationToken cancellationToken) =>
        await (await queue.GetAsync(cancellationToken)).SendMessageAsync(message, visibilityTimeout: delay > TimeSpan.Zero ? delay : null, cancellationToken: cancellationToken);
}
