using JisuDai.Adapters.Composition;
using JisuDai.App.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Tools.Risk;

/// <summary>
/// The app's own composition over <paramref name="connectionString"/>'s storage, so a command reads exactly the stores
/// the app wrote (Table or Cosmos DB, per the environment's configuration).
/// </summary>
static class AppComposition
{
    public static ServiceProvider Over(string connectionString, IReadOnlyDictionary<string, string?>? settings = null) =>
        Compose(new Dictionary<string, string?> { [AppSettings.Storage] = connectionString }, settings);

    /// <summary>The same over a storage account reached by identity (<c>az login</c>'s, as DefaultAzureCredential finds it).</summary>
    public static ServiceProvider OverAccount(string accountName, IReadOnlyDictionary<string, string?>? settings = null) =>
        Compose(new Dictionary<string, string?> { [AppSettings.Storage] = "", [AppSettings.StorageAccountName] = accountName }, settings);

    static ServiceProvider Compose(Dictionary<string, string?> storage, IReadOnlyDictionary<string, string?>? settings)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(storage)
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        if (string.IsNullOrWhiteSpace(configuration[AppSettings.PersonalDataKey]))
        {
            // The commands read no personal data (decision records and the audit log hold none); the services just need a key to be built.
            configuration[AppSettings.PersonalDataKey] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }

        return new ServiceCollection().AddLogging().AddJisuDai(configuration).BuildServiceProvider();
    }
}
