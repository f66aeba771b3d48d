using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using JisuDai.Adapters.Storage;
using JisuDai.Risk;
using JisuDai.Risk.Models;

namespace JisuDai.Adapters.Risk;

/// <summary>
/// The model registry in Blob storage: container <c>models</c>, a bundle's files under <c>NAME/VERSION/</c>, and the
/// champion pointer at <c>NAME/champion.json</c>, replaced only under its ETag so two promotions never lose one another.
/// A version's manifest is written last, so a version is listed only once all its files are there.
/// </summary>
public sealed class BlobModelRegistry(BlobServiceClient blobs, TimeProvider clock) : IModelRegistry
{
    public const string Container = "models";
    const string ChampionFile = "champion.json";
    const int HistoryKept = 20;

    readonly BlobContainerClient container = blobs.GetBlobContainerClient(Container);
    volatile bool created;

    public async Task<RegisteredVersion> RegisterAsync(ModelBundle bundle, CancellationToken cancellationToken)
    {
        CheckName(bundle.Name);
        await EnsureContainerAsync(cancellationToken);
        string version = bundle.Version;
        var files = bundle.Files();
        foreach ((string file, byte[] bytes) in files.OrderBy(f => f.Key == ModelBundle.ManifestFile ? 1 : 0))
        {
            // Already there means these very bytes: the path is the content hash.
            await BlobJson.CreateOnceAsync(container.GetBlobClient($"{bundle.Name}/{version}/{file}"), bytes,
                file == ModelBundle.ManifestFile ? Describe(bundle, clock.GetUtcNow()) : null, cancellationToken);
        }

        return (await ListAsync(bundle.Name, cancellationToken)).First(v => v.Version == version);
    }

    public async Task<IReadOnlyList<RegisteredVersion>> ListAsync(string name, CancellationToken cancellationToken)
    {
        CheckName(name);
        var versions = new List<RegisteredVersion>();
        try
        {
            await foreach (BlobItem item in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, $"{name}/", cancellationToken))
            {
                string[] parts = item.Name.Split('/');
                if (parts.Length == 3 && parts[2] == ModelBundle.ManifestFile)
                {
                    versions.Add(Read(name, parts[1], item.Metadata, item.Properties.CreatedOn ?? DateTimeOffset.MinValue));
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }

        return versions.OrderByDescending(v => v.RegisteredAt).ThenBy(v => v.Version, StringComparer.Ordinal).ToList();
    }

    public async Task<ModelBundle?> GetAsync(string name, string version, CancellationToken cancellationToken)
    {
        CheckName(name);
        CheckVersion(version);
        var files = new Dictionary<string, byte[]>();
        foreach (string file in new[] { ModelBundle.ManifestFile, ModelBundle.ReportFile, ModelBundle.TreesFile })
        {
            try
            {
                var content = await container.GetBlobClient($"{name}/{version}/{file}").DownloadContentAsync(cancellationToken);
                files[file] = content.Value.Content.ToArray();
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                if (file == ModelBundle.ManifestFile)
                {
                    return null;
                }
            }
        }

        // The stored bytes must hash to the version: a bundle changed in storage is refused, not scored with.
        string stored = ModelBundle.VersionOf(files);
        if (stored != version)
        {
            throw new InvalidDataException($"Model {name} version {version} does not match its content (hash {stored}); the stored files were changed.");
        }

        return ModelBundle.FromFiles(files);
    }

    public async Task<ChampionPointer?> GetChampionAsync(string name, CancellationToken cancellationToken)
    {
        CheckName(name);
        return (await BlobJson.ReadAsync<ChampionPointer>(container.GetBlobClient($"{name}/{ChampionFile}"), ModelBundle.Json, cancellationToken)).Value;
    }

    public Task<ChampionPointer> PromoteAsync(string name, string version, CancellationToken cancellationToken) =>
        MoveChampionAsync(name, async current =>
        {
            CheckVersion(version);
            if (!await container.GetBlobClient($"{name}/{version}/{ModelBundle.ManifestFile}").ExistsAsync(cancellationToken))
            {
                throw new ModelRegistryException($"Model {name} has no version {version}; see 'jisudai models list --name {name}'.");
            }

            if (current?.Version == version)
            {
                return current;
            }

            var previous = current is null ? [] : new[] { current.Version }.Concat(current.Previous).Where(v => v != version).Take(HistoryKept).ToList();
            // A challenger promoted has won: it no longer runs beside itself. Any other challenger keeps running.
            ChallengerArm? challenger = current?.Challenger is { } c && c.Version != version ? c : null;
            return new ChampionPointer(name, version, previous, clock.GetUtcNow(), challenger);
        }, cancellationToken);

    public Task<ChampionPointer> RollbackAsync(string name, CancellationToken cancellationToken) =>
        MoveChampionAsync(name, current =>
        {
            if (current is null || current.Previous.Count == 0)
            {
                throw new ModelRegistryException($"Model {name} has no earlier champion to roll back to.");
            }

            ChallengerArm? challenger = current.Challenger is { } c && c.Version != current.Previous[0] ? c : null;
            return Task.FromResult(new ChampionPointer(name, current.Previous[0], current.Previous.Skip(1).ToList(), clock.GetUtcNow(), challenger));
        }, cancellationToken);

    public Task<ChampionPointer> SetChallengerAsync(string name, ChallengerArm? challenger, CancellationToken cancellationToken, bool onlyIfNone = false) =>
        MoveChampionAsync(name, async current =>
        {
            if (current is null)
            {
                throw new ModelRegistryException($"Model {name} has no champion: a challenger runs beside one.");
            }

            if (onlyIfNone && current.Challenger is not null)
            {
                return current;
            }

            if (challenger is not null)
            {
                CheckVersion(challenger.Version);
                if (challenger.Version == current.Version)
                {
                    throw new ModelRegistryException($"Version {challenger.Version} is the champion of {name}; it cannot also be its challenger.");
                }

                if (!ModelArms.IsTrafficShare(challenger.TrafficShare))
                {
                    throw new ModelRegistryException($"A challenger's traffic share is from 0 to {ModelArms.MaxTrafficShare}.");
                }

                if (!await container.GetBlobClient($"{name}/{challenger.Version}/{ModelBundle.ManifestFile}").ExistsAsync(cancellationToken))
                {
                    throw new ModelRegistryException($"Model {name} has no version {challenger.Version}; see 'jisudai models list --name {name}'.");
                }
            }

            // A new share for the same version goes on from when it started: its comparison is not thrown away.
            return current with { Challenger = challenger is not null && current.Challenger?.Version == challenger.Version ? challenger with { Since = current.Challenger.Since } : challenger };
        }, cancellationToken);

    async Task<ChampionPointer> MoveChampionAsync(string name, Func<ChampionPointer?, Task<ChampionPointer>> next, CancellationToken cancellationToken)
    {
        CheckName(name);
        await EnsureContainerAsync(cancellationToken);
        return await BlobJson.UpdateAsync(container.GetBlobClient($"{name}/{ChampionFile}"), ModelBundle.Json, next, cancellationToken);
    }

    async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }
    }

    static Dictionary<string, string> Describe(ModelBundle bundle, DateTimeOffset at) => new()
    {
        ["champion"] = bundle.Report.Champion,
        ["auc"] = bundle.Report.Candidates.First(c => c.Name == bundle.Report.Champion).Auc.Mean.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        ["datahash"] = bundle.Model.DataHash,
        ["registeredat"] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    static RegisteredVersion Read(string name, string version, IDictionary<string, string> metadata, DateTimeOffset created) => new(
        name,
        version,
        metadata.TryGetValue("champion", out string? c) ? c : "",
        metadata.TryGetValue("auc", out string? auc) && double.TryParse(auc, System.Globalization.CultureInfo.InvariantCulture, out double a) ? a : double.NaN,
        metadata.TryGetValue("datahash", out string? h) ? h : "",
        metadata.TryGetValue("registeredat", out string? at) && DateTimeOffset.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, out DateTimeOffset t) ? t : created);

    static void CheckName(string name)
    {
        if (!RegistryNames.IsName(name))
        {
            throw new ModelRegistryException($"Model name '{name}' must be 1–63 lowercase letters, digits or hyphens.");
        }
    }

    static void CheckVersion(string version)
    {
        if (!RegistryNames.IsVersion(version))
        {
            throw new ModelRegistryException($"Model version '{version}' must be 16 lowercase hex digits.");
        }
    }
}
