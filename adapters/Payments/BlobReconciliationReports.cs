using Azure.Storage.Blobs;
using JisuDai.Adapters.Storage;
using JisuDai.App.Payments;

namespace JisuDai.Adapters.Payments;

/// <summary>Reconciliation reports in Blob storage, <c>reconciliation/{yyyy-MM-dd}.json</c>.</summary>
public sealed class BlobReconciliationReports(BlobServiceClient blobs) : IReconciliationReports
{
    readonly BlobContainerClient container = blobs.GetBlobContainerClient("reconciliation");
    volatile bool created;

    public async Task SaveAsync(ReconciliationReport report, CancellationToken cancellationToken) =>
        await BlobJson.UpdateAsync<ReconciliationReport>(await BlobAsync(report.Date, cancellationToken), DocumentJson.Options, _ => Task.FromResult(report), cancellationToken);

    public async Task<ReconciliationReport?> FindAsync(DateOnly date, CancellationToken cancellationToken) =>
        (await BlobJson.ReadAsync<ReconciliationReport>(await BlobAsync(date, cancellationToken), DocumentJson.Options, cancellationToken)).Value;

    async Task<BlobClient> BlobAsync(DateOnly date, CancellationToken cancellationToken)
    {
        if (!created)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        return container.GetBlobClient($"{date:yyyy-MM-dd}.json");
    }
}
