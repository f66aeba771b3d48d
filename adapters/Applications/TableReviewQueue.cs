using Azure;
using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Applications;
using JisuDai.Lending.Applications;

namespace JisuDai.Adapters.Applications;

/// <summary>The manual-review queue in Table storage <c>reviews</c>: one row per referred application, oldest first; a reviewer claims a row under its ETag, so two reviewers cannot both decide.</summary>
public sealed class TableReviewQueue(TableServiceClient tables) : IReviewQueue
{
    const string Partition = "queue";
    readonly OnceCreatedTable table = new(tables, "reviews");

    public async Task EnterAsync(LoanApplication application, bool escalated, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await client.UpsertEntityAsync(new TableEntity(Partition, application.Id)
        {
            ["CustomerId"] = application.CustomerId, ["DecisionId"] = application.DecisionId, ["SubmittedAt"] = application.SubmittedAt, ["Escalated"] = escalated,
        }, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task LeaveAsync(string applicationId, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await client.DeleteEntityAsync(Partition, applicationId, ETag.All, cancellationToken);
    }

    /// <summary>The queue, oldest application first (decided ones that have not moved on yet included, marked by ClaimedBy).</summary>
    public async Task<IReadOnlyList<ReviewEntry>> ListAsync(CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        var entries = new List<ReviewEntry>();
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            entries.Add(Read(e));
        }

        return entries.OrderBy(e => e.SubmittedAt).ThenBy(e => e.ApplicationId, StringComparer.Ordinal).ToList();
    }

    public async Task<ReviewEntry?> FindAsync(string applicationId, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        NullableResponse<TableEntity> found = await client.GetEntityIfExistsAsync<TableEntity>(Partition, applicationId, cancellationToken: cancellationToken);
        return found.HasValue ? Read(found.Value!) : null;
    }

    /// <summary>
    /// Marks the entry decided by <paramref name="reviewer"/> if it is still as read (its ETag); false when another
    /// reviewer got there first. The row leaves the queue when the application moves on.
    /// </summary>
    public async Task<bool> ClaimAsync(ReviewEntry entry, string reviewer, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        try
        {
            await client.UpdateEntityAsync(new TableEntity(Partition, entry.ApplicationId) { ["ClaimedBy"] = reviewer }, new ETag(entry.ETag), TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Holds the row for <paramref name="reviewer"/> until <paramref name="until"/> if it is still as read (its ETag).</summary>
    public async Task<bool> HoldAsync(ReviewEntry entry, string reviewer, DateTimeOffset until, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        try
        {
            await client.UpdateEntityAsync(new TableEntity(Partition, entry.ApplicationId) { ["HeldBy"] = reviewer, ["HeldUntil"] = until }, new ETag(entry.ETag), TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    static ReviewEntry Read(TableEntity e) => new(e.RowKey, e.GetString("CustomerId"), e.GetString("DecisionId"), e.GetDateTimeOffset("SubmittedAt")!.Value, e.GetBoolean("Escalated") ?? false, e.GetString("ClaimedBy"), e.ETag.ToString(),
        e.GetString("HeldBy"), e.GetDateTimeOffset("HeldUntil"));
}
