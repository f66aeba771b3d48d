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

    public Task SaveDayAsync(DateOnly day, IReadOnlyList<DailyRiskMetrics> metrics, CancellationToken cancellationToken) =>
        WriteAsync($"{Daily}{day:yyyy-MM-dd}.json", metrics, cancellationToken);

    public async Task<IReadOnlyList<DailyRiskMetrics>> DaysAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = new List<DailyRiskMetrics>();
        foreach (DateOnly day in await DaysAsync(await ContainerAsync(cancellationToken), Daily, cancellationToken))
        {
            if (day >= from && day <= to)
            {
                days.AddRange(await ReadAsync<List<DailyRiskMetrics>>($"{Daily}{day:yyyy-MM-dd}.json", cancellationToken) ?? []);
            }
        }

        return days;
    }

    public async Task<DateOnly?> LastDayAsync(CancellationToken cancellationToken)
    {
        var days = await DaysAsync(await ContainerAsync(cancellationToken), Daily, cancellationToken);
        return days.Count == 0 ? null : days[^1];
    }

    public Task SavePortfolioAsync(PortfolioMetrics portfolio, CancellationToken cancellationToken) =>
        WriteAsync($"{Portfolio}{portfolio.AsOf:yyyy-MM-dd}.json", portfolio, cancellationToken);

    public async Task<PortfolioMetrics?> PortfolioAsync(DateOnly? asOf, CancellationToken cancellationToken)
    {
        var days = (await DaysAsync(await ContainerAsync(cancellationToken), Portfolio, cancellationToken)).Where(d => asOf is null || d <= asOf).ToList();
        return days.Count == 0 ? null : await ReadAsync<PortfolioMetrics>($"{Portfolio}{days[^1]:yyyy-MM-dd}.json", cancellationToken);
    }

    public async Task SaveComparisonAsync(ChallengerComparison comparison, CancellationToken cancellationToken)
    {
        await WriteAsync($"{Comparison}{comparison.ModelName}/{comparison.ChallengerVersion}.json", comparison, cancellationToken);
        await WriteAsync($"{Comparison}{comparison.ModelName}.json", comparison, cancellationToken);
    }

    public Task<ChallengerComparison?> ComparisonOfAsync(string modelName, string version, CancellationToken cancellationToken) =>
        ReadAsync<ChallengerComparison>($"{Comparison}{modelName}/{version}.json", cancellationToken);

    public Task<ChallengerComparison?> ComparisonAsync(string modelName, CancellationToken cancellationToken) =>
        ReadAsync<ChallengerComparison>($"{Comparison}{modelName}.json", cancellationToken);

    public Task SaveRuleSetComparisonAsync(RuleSetComparison comparison, CancellationToken cancellationToken) =>
        WriteAsync($"{Comparison}rules-{comparison.Name}.json", comparison, cancellationToken);

    public Task<RuleSetComparison?> RuleSetComparisonAsync(string name, CancellationToken cancellationToken) =>
        ReadAsync<RuleSetComparison>($"{Comparison}rules-{name}.json", cancellationToken);

    async Task WriteAsync<T>(string path, T value, CancellationToken cancellationToken) =>
        await (await ContainerAsync(cancellationToken)).GetBlobClient(path).UploadAsync(BinaryData.FromObjectAsJson(value, DocumentJson.Options), overwrite: true, cancellationToken);

    async Task<T?> ReadAsync<T>(string path, CancellationToken cancellationToken) where T : class =>
        (await BlobJson.ReadAsync<T>((await ContainerAsync(cancellationToken)).GetBlobClient(path), DocumentJson.Options, cancellationToken)).Value;

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
