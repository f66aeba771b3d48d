using System.CommandLine;
using System.Globalization;
using Azure;
using JisuDai.Functions.Configuration;
using JisuDai.Functions.Risk;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;

namespace JisuDai.Tools.Risk;

/// <summary>
/// <c>jisudai models register|list|promote|rollback</c>: the model registry in Blob storage. Storage comes from
/// <c>--storage</c>, else the AzureWebJobsStorage variable, else the Azurite of a standalone host running from this folder.
/// </summary>
static class ModelsCommand
{
    const string LocalConnectionFile = ".data/azurite/connection-string";

    public static Command Create()
    {
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: $AzureWebJobsStorage, else the running local host's Azurite).", Recursive = true };
        var name = new Option<string>("--name") { Description = "The model's name.", DefaultValueFactory = _ => DefaultModel.Name, Recursive = true };

        var bundleDir = new Option<DirectoryInfo>("--bundle") { Description = "A folder written by 'jisudai train'.", Required = true };
        var register = new Command("register", "Stores a trained bundle in the registry (the same version twice changes nothing).") { bundleDir };
        register.SetAction((parse, ct) => Run(parse.GetValue(storage), async registry =>
        {
            DirectoryInfo dir = parse.GetValue(bundleDir)!;
            if (!dir.Exists)
            {
                throw new ModelRegistryException($"{dir.FullName}: no such folder.");
            }

            var files = dir.GetFiles().Where(f => f.Name is ModelBundle.ManifestFile or ModelBundle.ReportFile or ModelBundle.TreesFile)
                .ToDictionary(f => f.Name, f => File.ReadAllBytes(f.FullName));
            ModelBundle bundle;
            try
            {
                bundle = ModelBundle.FromFiles(files);
            }
            catch (InvalidDataException e)
            {
                throw new ModelRegistryException($"{dir.FullName}: {e.Message}");
            }

            RegisteredVersion registered = await registry.RegisterAsync(bundle, ct);
            Console.Out.WriteLine($"Registered {registered.Name} version {registered.Version} ({registered.Champion}, CV AUC {registered.Auc:F4}). Promote it with 'jisudai models promote {registered.Version} --name {registered.Name}'.");
        }));

        var list = new Command("list", "Lists a model's registered versions, newest first; * marks the champion.");
        list.SetAction((parse, ct) => Run(parse.GetValue(storage), async registry =>
        {
            string model = parse.GetValue(name)!;
            ChampionPointer? champion = await registry.GetChampionAsync(model, ct);
            IReadOnlyList<RegisteredVersion> versions = await registry.ListAsync(model, ct);
            if (versions.Count == 0)
            {
                Console.Out.WriteLine($"No versions of {model} are registered.");
                return;
            }

            Console.Out.WriteLine($"  {"version",-17} {"kind",-14} {"CV AUC",7}  registered (UTC)");
            foreach (RegisteredVersion v in versions)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(v.Version == champion?.Version ? "*" : " ")} {v.Version,-17} {v.Champion,-14} {v.Auc,7:F4}  {v.RegisteredAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}"));
            }
        }));

        var version = new Argument<string>("version") { Description = "The version to make champion." };
        var promote = new Command("promote", "Makes a registered version the champion; running hosts pick it up within Risk:ModelRefreshSeconds.") { version };
        promote.SetAction((parse, ct) => Run(parse.GetValue(storage), async registry =>
        {
            ChampionPointer pointer = await registry.PromoteAsync(parse.GetValue(name)!, parse.GetValue(version)!, ct);
            Console.Out.WriteLine($"{pointer.Name} champion is now {pointer.Version}{(pointer.Previous.Count > 0 ? $" (was {pointer.Previous[0]})" : "")}.");
        }));

        var rollback = new Command("rollback", "Makes the previous champion the champion again.");
        rollback.SetAction((parse, ct) => Run(parse.GetValue(storage), async registry =>
        {
            ChampionPointer pointer = await registry.RollbackAsync(parse.GetValue(name)!, ct);
            Console.Out.WriteLine($"{pointer.Name} champion is back to {pointer.Version}.");
        }));

        return new Command("models", "The model registry: register, list, promote, rollback.") { storage, name, register, list, promote, rollback };
    }

    static async Task<int> Run(string? connectionString, Func<IModelRegistry, Task> action)
    {
        try
        {
            connectionString ??= Environment.GetEnvironmentVariable("AzureWebJobsStorage");
            if (connectionString is null && File.Exists(LocalConnectionFile))
            {
                connectionString = (await File.ReadAllTextAsync(LocalConnectionFile)).Trim();
            }

            if (string.IsNullOrWhiteSpace(connectionString))
            {
                await Console.Error.WriteLineAsync("error: no storage. Pass --storage, set AzureWebJobsStorage, or start the local host (./run.sh) in this folder.");
                return 2;
            }

            await action(new BlobModelRegistry(StorageAccount.FromConnectionString(connectionString).Blobs, TimeProvider.System));
            return 0;
        }
        catch (Exception e) when (e is ModelRegistryException or ConfigurationException)
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
