using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using JisuDai.Adapters.Storage;
using JisuDai.App.Monitoring;
using JisuDai.Risk.Monitoring;

namespace JisuDai.Adapters.Risk;

/// <summary>
/// Monitoring's measurements in Blob storage, container <c>monitoring</c>: <c>daily/{yyyy-MM-dd}.json</c> (the day's
/// decision metrics, every segment), <c>portfolio/{yyyy-MM-dd}.json</c> (the book as of the day) and
/// <c>comparison/{model}.json</c> and <c>comparison/rules-{name}.json</c> (the latest champion/challenger comparisons), and
/// <c>comparison/{model}/{version}.json</c> (each model challenger's last, kept after it ends for the promotion guardrails). A day is written whole, so a rerun
/// replaces it with the same figures.
/// </summary>
public sealed class BlobRiskMetrics(BlobServiceClient blobs) : IRiskMetrics
{
    const string Daily = "daily/", Portfolio = "portfolio/", Comparison = "comparison/";
    readonly BlobContainerClient container = blobs.GetBlobContainerClient("monitoring");
    volatile bool created;

    public async Task SaveDayAsync(DateOnly day, IReadOnlyList<DailyRiskMetrics> metrics, CancellationToken cancellationToken) =>
        await (await ContainerAsync(cancellationToken)).GetBlobClient($"{Daily}{day:yyyy-MM-dd}.json")
            .UploadAsync(BinaryData.FromObjectAsJson(metrics, DocumentJson.Options), overwrite: true, cancellationToken);

    public async Task<IReadOnlyList<DailyRiskMetrics>> DaysAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        BlobContainerClient client = await ContainerAsync(cancellationToken);
        var days = new List<DailyRiskMetrics>();
        foreach (DateOnly day in await DaysAsync(client, Daily, cancellationToken))
        {
            if (day >= from && day <= to)
            {
                days.AddRange((await BlobJson.ReadAsync<List<DailyRiskMetrics>>(client.GetBlobClient($"{Daily}{day:yyyy-MM-dd}.json"), DocumentJson.Options, cancellationToken)).Value ?? []);
            }
        }

        return days;
    }

    public async Task<DateOnly?> LastDayAsync(CancellationToken cancellationToken)
    {
        var days = await DaysAsync(await ContainerAsync(cancellationToken), Daily, cancellationToken);
        return days.Count == 0 ? null : days[^1];
    }

    public async Task SavePortfolioAsync(PortfolioMetrics portfolio, CancellationToken cancellationToken) =>
        await (await ContainerAsync(cancellationToken)).GetBlobClient($"{Portfolio}{portfolio.AsOf:yyyy-MM-dd}.json")
            .UploadAsync(BinaryData.FromObjectAsJson(portfolio, DocumentJson.Options), overwrite: true, cancellationToken);

    public async Task<PortfolioMetrics?> PortfolioAsync(DateOnly? asOf, CancellationToken cancellationToken)
    {
        BlobContainerClient client = await ContainerAsync(cancellationToken);
        var days = (await DaysAsync(client, Portfolio, cancellationToken)).Where(d => asOf is null || d <= asOf).ToList();
        return days.Count == 0 ? null
            : (await BlobJson.ReadAsync<PortfolioMetrics>(client.GetBlobClient($"{Portfolio}{days[^1]:yyyy-MM-dd}.json"), DocumentJson.Options, cancellationToken)).Value;
    }

    public async Task SaveComparisonAsync(ChallengerComparison comparison, CancellationToken cancellationToken)
    {
        BlobContainerClient client = await ContainerAsync(cancellationToken);
        BinaryData json = BinaryData.FromObjectAsJson(comparison, DocumentJson.Options);
        await client.GetBlobClient($"{Comparison}{comparison.ModelName}/{comparison.ChallengerVersion}.json").UploadAsync(json, overwrite: true, cancellationToken);
        await client.GetBlobClient($"{Comparison}{comparison.ModelName}.json").UploadAsync(json, overwrite: true, cancellationToken);
    }

    public async Task<ChallengerComparison?> ComparisonOfAsync(string modelName, string version, CancellationToken cancellationToken) =>
        (await BlobJson.ReadAsync<ChallengerComparison>((await ContainerAsync(cancellationToken)).GetBlobClient($"{Comparison}{modelName}/{version}.json"), DocumentJson.Options, cancellationToken)).Value;

    public async Task<ChallengerComparison?> ComparisonAsync(string modelName, CancellationToken cancellationToken) =>
        (await BlobJson.ReadAsync<ChallengerComparison>((await ContainerAsync(cancellationToken)).GetBlobClient($"{Comparison}{modelName}.json"), DocumentJson.Options, cancellationToken)).Value;

    public async Task SaveRuleSetComparisonAsync(RuleSetComparison comparison, CancellationToken cancellationToken) =>
        await (await ContainerAsync(cancellationToken)).GetBlobClient($"{Comparison}rules-{comparison.Name}.json")
            .UploadAsync(BinaryData.FromObjectAsJson(comparison, DocumentJson.Options), overwrite: true, cancellationToken);

    public async Task<RuleSetComparison?> RuleSetComparisonAsync(string name, CancellationToken cancellationToken) =>
        (await BlobJson.ReadAsync<RuleSetComparison>((await ContainerAsync(cancellationToken)).GetBlobClient($"{Comparison}rules-{name}.json"), DocumentJson.Options, cancellationToken)).Value;

    static async Task<List<DateOnly>> DaysAsync(BlobContainerClient client, string prefix, CancellationToken cancellationToken)
    {
        var days = new List<DateOnly>();
        await foreach (BlobItem blob in client.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            if (DateOnly.TryParseExact(blob.Name[prefix.Length..].Replace(".json", ""), "yyyy-MM-dd", out DateOnly day))
            {
                days.Add(day);
            }
        }

        days.Sort();
        return days;
    }

    async Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        return container;
    }
}
