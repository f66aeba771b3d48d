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

    public static async Task<int> RunAsync(string? option, Func<string, Task> action, params Type[] refusals)
    {
        try
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
