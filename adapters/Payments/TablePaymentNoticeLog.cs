using Azure;
using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Payments;

namespace JisuDai.Adapters.Payments;

/// <summary>The provider's notifications as handled, in Table storage <c>paymentnotices</c>: one row per notification id (its first two characters the partition).</summary>
public sealed class TablePaymentNoticeLog(TableServiceClient tables, TimeProvider clock) : IPaymentNoticeLog
{
    readonly OnceCreatedTable table = new(tables, "paymentnotices");

    public async Task RecordAsync(string id, string eventType, string outcome, CancellationToken cancellationToken)
    {
        if (!IsKey(id))
        {
            throw new ArgumentException($"Notification id {id} cannot be a row key.", nameof(id));
        }

        TableClient client = await table.GetAsync(cancellationToken);
        try
        {
            await client.AddEntityAsync(new TableEntity(Partition(id), id) { ["EventType"] = eventType, ["Outcome"] = outcome, ["At"] = clock.GetUtcNow() }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Recorded by a delivery of the same notification at the same moment: once is enough.
        }
    }

    static string Partition(string id) => id[..2];

    static bool IsKey(string id) => id.Length is >= 2 and <= 200 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
