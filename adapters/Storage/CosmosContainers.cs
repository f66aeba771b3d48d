using JisuDai.Adapters.Configuration;
using Microsoft.Azure.Cosmos;

namespace JisuDai.Adapters.Storage;

/// <summary>Opens (and against an emulator, creates) the container of a document kind.</summary>
public static class CosmosContainers
{
    public const string PartitionKeyPath = "/customerId";

    public static Container Open(CosmosAccount account, string containerName)
    {
        if (account.CreateContainers)
        {
            // Only with a key: a managed identity's data-plane role cannot create containers, Bicep does.
            DatabaseResponse database = account.Client.CreateDatabaseIfNotExistsAsync(account.DatabaseName).GetAwaiter().GetResult();
            database.Database.CreateContainerIfNotExistsAsync(containerName, PartitionKeyPath).GetAwaiter().GetResult();
        }

        return account.Client.GetContainer(account.DatabaseName, containerName);
    }
}
