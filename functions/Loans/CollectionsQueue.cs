using System.Text.Json;
using Azure.Storage.Queues;
using JisuDai.Functions.Configuration;
using JisuDai.Functions.Storage;

namespace JisuDai.Functions.Loans;

/// <summary>An installment handed to the collections team.</summary>
/// <param name="Key">The hand-over's key (loan and installment): a consumer that sees it twice handles it once.</param>
/// <param name="LoanId">The loan.</param>
/// <param name="CustomerId">The borrower.</param>
/// <param name="Installment">The installment that went unpaid.</param>
/// <param name="DaysPastDue">Days it is past due.</param>
/// <param name="AmountDue">Everything due on the loan that day.</param>
/// <param name="On">The business day of the hand-over.</param>
public sealed record CollectionsReferral(string Key, string LoanId, string CustomerId, int Installment, int DaysPastDue, decimal AmountDue, DateOnly On);

/// <summary>
/// The collections queue (Storage queue <c>collections</c>), which the collections team's system drains. A referral is
/// sent at least once; its key makes a second copy recognisable. It carries no personal data, only ids.
/// </summary>
public sealed class CollectionsQueue(StorageAccount storage)
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
