using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using JisuDai.App.Configuration;
using Microsoft.Extensions.Configuration;

namespace JisuDai.Adapters.Configuration;

/// <summary>
/// The app's Storage account, read from the same setting the Functions host uses for itself
/// (<c>AzureWebJobsStorage</c>): a connection string locally, or identity-based in Azure
/// (<c>AzureWebJobsStorage__accountName</c> with a managed identity, no keys).
/// </summary>
public sealed record StorageAccount(
    TableServiceClient Tables,
    QueueServiceClient Queues,
    BlobServiceClient Blobs,
    string Description)
{
    public const string Setting = AppSettings.Storage;

    /// <summary>Queue messages are base64, as the Functions queue trigger expects by default.</summary>
    public static QueueClientOptions QueueOptions => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    public static StorageAccount FromConfiguration(IConfiguration configuration)
    {
        string? connectionString = configuration[Setting];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return FromConnectionString(connectionString);
        }

        string? accountName = configuration[AppSettings.StorageAccountName];
        if (!string.IsNullOrWhiteSpace(accountName))
        {
            TokenCredential credential = Credentials.FromConfiguration(configuration, AppSettings.StorageClientId);
            return new StorageAccount(
                new TableServiceClient(new Uri($"https://{accountName}.table.core.windows.net"), credential),
                new QueueServiceClient(new Uri($"https://{accountName}.queue.core.windows.net"), credential, QueueOptions),
                new BlobServiceClient(new Uri($"https://{accountName}.blob.core.windows.net"), credential),
                $"account {accountName} (managed identity)");
        }

        throw new ConfigurationException(Setting,
            "no storage configured: set a connection string, or AzureWebJobsStorage__accountName for a managed identity.");
    }

    public static StorageAccount FromConnectionString(string connectionString)
    {
        try
        {
            var tables = new TableServiceClient(connectionString);
            var queues = new QueueServiceClient(connectionString, QueueOptions);
            var blobs = new BlobServiceClient(connectionString);
            return new StorageAccount(tables, queues, blobs, $"{tables.AccountName} at {tables.Uri.GetLeftPart(UriPartial.Authority)}");
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // The SDK's message can echo the connection string; keep the key out of logs.
            throw new ConfigurationException(Setting, "is not a valid storage connection string (expected AccountName=...;AccountKey=...;TableEndpoint=... or UseDevelopmentStorage=true).", e);
        }
    }

    /// <summary>Asks the account for one page of its table list: the cheapest read that proves it answers.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in Tables.QueryAsync(maxPerPage: 1, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
        {
            break;
        }
    }

    /// <summary>Fails fast, naming the setting, when the account cannot be reached.</summary>
    public async Task VerifyReachableAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await PingAsync(cts.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConfigurationException(Setting, $"storage {Description} is not reachable within {timeout.TotalSeconds:0} s ({e.GetType().Name}).", e);
        }
    }
}
