using JisuDai.Adapters.Storage;
using JisuDai.App.Configuration;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;

namespace JisuDai.Adapters.Configuration;

/// <summary>
/// Cosmos DB for NoSQL, when configured: <c>Cosmos:AccountEndpoint</c> with a managed identity in Azure
/// (containers come from Bicep), or with <c>Cosmos:AccountKey</c> against an emulator (containers are
/// created on first use). Without an endpoint the documents live in Table storage.
/// </summary>
public sealed record CosmosAccount(CosmosClient Client, string DatabaseName, bool CreateContainers)
{
    public const string EndpointSetting = AppSettings.CosmosEndpoint;
    public const string KeySetting = AppSettings.CosmosKey;
    public const string DatabaseSetting = AppSettings.CosmosDatabase;

    public static CosmosAccount? FromConfiguration(IConfiguration configuration)
    {
        string? endpoint = configuration[EndpointSetting];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ConfigurationException(EndpointSetting, "must be an https:// URL such as https://myaccount.documents.azure.com:443/.");
        }

        string database = configuration[DatabaseSetting] is { Length: > 0 } name ? name : "jisudai";
        var options = new CosmosClientOptions { UseSystemTextJsonSerializerWithOptions = Storage.DocumentJson.Options };
        string? key = configuration[KeySetting];
        CosmosClient client = string.IsNullOrWhiteSpace(key)
            ? new CosmosClient(endpoint, Credentials.FromConfiguration(configuration, AppSettings.CosmosClientId), options)
            : new CosmosClient(endpoint, key, options);
        return new CosmosAccount(client, database, CreateContainers: !string.IsNullOrWhiteSpace(key));
    }
}
