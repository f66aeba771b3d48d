using System.Text.Json;
using Azure.Storage.Queues;
using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Storage;
using JisuDai.App.Loans;

namespace JisuDai.Adapters.Loans;

/// <summary>
/// The collections queue (Storage queue <c>collections</c>), which the collections team's system drains. A referral is
/// sent at least once; its key makes a second copy recognisable. It carries no personal data, only ids.
/// </summary>
public sealed class CollectionsQueue(StorageAccount storage) : ICollectionsQueue
{
    public const string QueueName = "collections";
    readonly QueueClient queue = storage.Queues.GetQueueClient(QueueName);
    volatile bool created;

    public async Task ReferAsync(CollectionsReferral referral, CancellationToken cancellationToken)
    {
        if (!created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        await queue.SendMessageAsync(JsonSerializer.Serialize(referral, DocumentJson.Options), cancellationToken);
    }
}
