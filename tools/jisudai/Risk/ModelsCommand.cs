using System.CommandLine;
using System.Globalization;
using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Risk;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;

namespace JisuDai.Tools.Risk;

/// <summary>
/// <c>jisudai models register|list|promote|rollback</c>. Registering uploads the bundle through the app's API
/// (<c>--api</c>, <c>--token</c>: an admin); a registered version decides nothing until it is the champion. Promoting
/// and rolling back go through the API too, as proposals a second admin approves: no command writes the registry or
/// moves the champion on one person's word. Listing reads the registry in Blob storage (from <c>--storage</c>, else
/// the AzureWebJobsStorage variable, else the Azurite of a standalone host running from this folder).
/// </summary>
static class ModelsCommand
{
    public static Command Create()
    {
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: $AzureWebJobsStorage, else the running local host's Azurite).", Recursive = true };
        var name = new Option<string>("--name") { Description = "The model's name.", DefaultValueFactory = _ => DefaultModel.Name, Recursive = true };

        Option<string> api = Staff.StaffApi.ApiOption();
        Option<string?> token = Staff.StaffApi.TokenOption();
        var bundleDir = new Option<DirectoryInfo>("--bundle") { Description = "A folder written by 'jisudai train'.", Required = true };
        var register = new Command("register", "Uploads a trained bundle to the app's registry (an admin; the same version twice changes nothing).") { bundleDir };
        register.SetAction(async (parse, ct) =>
        {
            DirectoryInfo dir = parse.GetValue(bundleDir)!;
            if (!dir.Exists)
            {
                await Console.Error.WriteLineAsync($"error: {dir.FullName}: no such folder.");
                return 2;
            }

            var files = dir.GetFiles().Where(f => f.Name is ModelBundle.ManifestFile or ModelBundle.ReportFile or ModelBundle.TreesFile)
                .ToDictionary(f => f.Name, f => File.ReadAllBytes(f.FullName));
            // The bundle names its model; one the app cannot read goes up under --name, and the app says what is wrong with it.
            string model = files.TryGetValue(ModelBundle.ManifestFile, out byte[]? manifest) && NameIn(manifest) is { } named ? named : parse.GetValue(name)!;
            var upload = new { files = files.ToDictionary(f => f.Key, f => Convert.ToBase64String(f.Value)) };
            return await Staff.StaffApi.SendAsync(parse, api, token, HttpMethod.Post, $"risk/models/{Uri.EscapeDataString(model)}/versions", Staff.StaffApi.Json(upload),
                registered => string.Create(CultureInfo.InvariantCulture,
                    $"Registered {registered.GetProperty("name").GetString()} version {registered.GetProperty("version").GetString()} ({registered.GetProperty("champion").GetString()}, CV AUC {registered.GetProperty("auc").GetDouble():F4}). Promote it with 'jisudai models promote {registered.GetProperty("version").GetString()} --name {registered.GetProperty("name").GetString()}'."), ct);
        });

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
        var promote = new Command("promote", "Proposes making a registered version the champion; a second admin approves (jisudai staff approve).") { version };
        promote.SetAction((parse, ct) => Staff.StaffApi.SendAsync(parse, api, token, HttpMethod.Post, $"risk/models/{Uri.EscapeDataString(parse.GetValue(name)!)}/promotion",
            Staff.StaffApi.Json(new { version = parse.GetValue(version) }), _ => "", ct));

        var rollback = new Command("rollback", "Proposes making the previous champion the champion again; a second admin approves.");
        rollback.SetAction((parse, ct) => Staff.StaffApi.SendAsync(parse, api, token, HttpMethod.Post, $"risk/models/{Uri.EscapeDataString(parse.GetValue(name)!)}/rollback", null, _ => "", ct));

        var challengerVersion = new Argument<string?>("version") { Description = "The version to run as challenger (leave out with --end).", Arity = ArgumentArity.ZeroOrOne };
        var share = new Option<double>("--share") { Description = "The share of customers the challenger decides for, 0 (shadow only) to 0.5.", DefaultValueFactory = _ => 0 };
        var end = new Option<bool>("--end") { Description = "End the running challenger." };
        var challenger = new Command("challenger", "Proposes running a registered version beside the champion on a share of customers (or ending it); a second admin approves.") { challengerVersion, share, end };
        challenger.SetAction(async (parse, ct) =>
        {
            string? v = parse.GetValue(challengerVersion);
            if (parse.GetValue(end) == (v is not null))
            {
                await Console.Error.WriteLineAsync("error: give a version to start or change a challenger, or --end to end it.");
                return 2;
            }

            object body = v is null ? new { } : new { version = v, trafficShare = parse.GetValue(share) };
            return await Staff.StaffApi.SendAsync(parse, api, token, HttpMethod.Post, $"risk/models/{Uri.EscapeDataString(parse.GetValue(name)!)}/challenger", Staff.StaffApi.Json(body), _ => "", ct);
        });

        var compare = new Command("compare", "Shows the champion against its challenger as of the last monitoring run: rates, AUC and KS with intervals, guardrails.");
        compare.SetAction((parse, ct) => Staff.StaffApi.SendAsync(parse, api, token, HttpMethod.Get, $"risk/models/{Uri.EscapeDataString(parse.GetValue(name)!)}/comparison", null,
            ModelComparisonText.Of, ct));

        return new Command("models", "The model registry: register, list, promote, rollback, challenger, compare.") { storage, name, api, token, register, list, promote, rollback, challenger, compare };
    }

    static Task<int> Run(string? storage, Func<IModelRegistry, Task> action) =>
        StorageConnection.RunAsync(storage,
            connectionString => action(new BlobModelRegistry(StorageAccount.FromConnectionString(connectionString).Blobs, TimeProvider.System)),
            typeof(ModelRegistryException));

    /// <summary>The model name a bundle's manifest gives, or null when it is not a manifest.</summary>
    static string? NameIn(byte[] manifest)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(manifest);
            return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && json.RootElement.TryGetProperty("name", out var name)
                && name.ValueKind == System.Text.Json.JsonValueKind.String ? name.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
