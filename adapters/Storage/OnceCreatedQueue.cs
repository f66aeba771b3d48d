using Azure.Storage.Queues;

namespace JisuDai.Adapters.Storage;

/// <summary>
/// A queue that is created on first use and then used without asking again, as <see cref="OnceCreatedTable"/> is for
/// tables. Creating is idempotent, so two first uses at once do no harm.
/// </summary>
public sealed class OnceCreatedQueue(QueueServiceClient service, string name)
{
    readonly QueueClient queue = service.GetQueueClient(name);
    volatile bool created;

    public async ValueTask<QueueClient> GetAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        return queue;
    }
}
