using Azure;
using JisuDai.App.Configuration;

namespace JisuDai.Tools.Risk;

/// <summary>
/// Where the registry commands find storage: <c>--storage</c>, else the AzureWebJobsStorage variable, else the Azurite
/// of a standalone host running from this folder (it leaves its connection string in .data/azurite while it runs).
/// Also turns the failures every such command can meet into one clear line and an exit code.
/// </summary>
static class StorageConnection
{
    const string LocalConnectionFile = ".data/azurite/connection-string";

    public static Task<int> RunAsync(string? option, Func<string, Task> action, params Type[] refusals) => GuardAsync(async () =>
    {
        string? connectionString = option ?? Environment.GetEnvironmentVariable("AzureWebJobsStorage");
        if (connectionString is null && File.Exists(LocalConnectionFile))
        {
            connectionString = (await File.ReadAllTextAsync(LocalConnectionFile)).Trim();
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync("error: no storage. Pass --storage, set AzureWebJobsStorage, or start the local host (./run.sh) in this folder.");
            return 2;
        }

        await action(connectionString);
        return 0;
    }, refusals);

    /// <summary>
    /// The app's composition over <paramref name="accountName"/>'s storage when given (reached with <c>az login</c>'s
    /// identity: Azure turns shared keys off), else over the connection string found as above.
    /// </summary>
    public static Task<int> RunComposedAsync(string? option, string? accountName, IReadOnlyDictionary<string, string?> settings,
        Func<Microsoft.Extensions.DependencyInjection.ServiceProvider, Task> action, params Type[] refusals) =>
        accountName is null
            ? RunAsync(option, async connectionString =>
            {
                await using var services = AppComposition.Over(connectionString, settings);
                await action(services);
            }, refusals)
            : GuardAsync(async () =>
            {
                await using var services = AppComposition.OverAccount(accountName, settings);
                await action(services);
                return 0;
            }, refusals);

    static async Task<int> GuardAsync(Func<Task<int>> run, Type[] refusals)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is ConfigurationException || refusals.Contains(e.GetType()))
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
        catch (RequestFailedException e)
        {
            await Console.Error.WriteLineAsync($"error: storage answered {e.Status} ({e.ErrorCode}).");
            return 1;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"error: storage is not reachable ({e.Message}). Is the local host running?");
            return 1;
        }
    }
}
