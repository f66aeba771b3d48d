using Azure.Storage.Queues;
using JisuDai.Adapters.Configuration;
using JisuDai.App.Files;

namespace JisuDai.Adapters.Files;

/// <summary>The file-checks queue in Storage queues (the queue-triggered function drains it); a message is the file id.</summary>
public sealed class StorageFileCheckQueue(StorageAccount storage) : IFileCheckQueue
{
    readonly QueueClient queue = storage.Queues.GetQueueClient(IFileCheckQueue.QueueName);
    volatile bool created;

    public async Task EnqueueAsync(string fileId, CancellationToken cancellationToken)
    {
        if (!created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        await queue.SendMessageAsync(fileId, cancellationToken);
    }
}
