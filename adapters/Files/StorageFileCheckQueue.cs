using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Storage;
using JisuDai.App.Files;

namespace JisuDai.Adapters.Files;

/// <summary>The file-checks queue in Storage queues (the queue-triggered function drains it); a message is the file id.</summary>
public sealed class StorageFileCheckQueue(StorageAccount storage) : IFileCheckQueue
{
    readonly OnceCreatedQueue queue = new(storage.Queues, IFileCheckQueue.QueueName);

    public async Task EnqueueAsync(string fileId, CancellationToken cancellationToken) =>
        await (await queue.GetAsync(cancellationToken)).SendMessageAsync(fileId, cancellationToken);
}
