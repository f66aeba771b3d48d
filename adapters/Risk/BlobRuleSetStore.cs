using Azure.Storage.Blobs;
using JisuDai.Adapters.Storage;
using JisuDai.Risk;
using JisuDai.Risk.Rules;

namespace JisuDai.Adapters.Risk;

/// <summary>
/// Rule sets in Blob storage: container <c>rulesets</c>, each version at <c>NAME/VERSION.json</c> (written once), and
/// the publication history at <c>NAME/publications.json</c>, newest first, changed only under its ETag, and the
/// challenger at <c>NAME/challenger.json</c>.
/// </summary>
public sealed class BlobRuleSetStore(BlobServiceClient blobs, TimeProvider clock) : IRuleSetStore
{
    public const string Container = "rulesets";

    readonly BlobContainerClient container = blobs.GetBlobContainerClient(Container);
    volatile bool created;

    public async Task<PublishedRuleSet> PublishAsync(RuleSet ruleSet, CancellationToken cancellationToken)
    {
        string name = ruleSet.Document.Name;
        await EnsureContainerAsync(cancellationToken);
        await BlobJson.CreateOnceAsync(container.GetBlobClient($"{name}/{ruleSet.Version}.json"), ruleSet.ToJson(), null, cancellationToken);
        Publications updated = await BlobJson.UpdateAsync<Publications>(History(name), RuleSet.Json, current =>
        {
            if (current?.Items.FirstOrDefault()?.Version == ruleSet.Version)
            {
                return Task.FromResult(current);
            }

            var entry = new PublishedRuleSet(name, ruleSet.Version, ruleSet.Document.EffectiveFrom, clock.GetUtcNow(), ruleSet.Document.Description);
            return Task.FromResult(new Publications([entry, .. current?.Items ?? []]));
        }, cancellationToken);
        return updated.Items[0];
    }

    public async Task<IReadOnlyList<PublishedRuleSet>> ListAsync(string name, CancellationToken cancellationToken)
    {
        CheckName(name);
        await EnsureContainerAsync(cancellationToken);
        return (await BlobJson.ReadAsync<Publications>(History(name), RuleSet.Json, cancellationToken)).Value?.Items ?? [];
    }

    public async Task<byte[]?> GetAsync(string name, string version, CancellationToken cancellationToken)
    {
        CheckName(name);
        if (!RegistryNames.IsVersion(version))
        {
            throw new RuleSetStoreException($"Rule-set version '{version}' must be 16 lowercase hex digits.");
        }

        try
        {
            return (await container.GetBlobClient($"{name}/{version}.json").DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<PublishedRuleSet?> RollbackAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        CheckName(name);
        await EnsureContainerAsync(cancellationToken);
        Publications updated = await BlobJson.UpdateAsync<Publications>(History(name), RuleSet.Json, current =>
        {
            if (current is null || current.Items.Count < 2)
            {
                throw new RuleSetStoreException($"Rule set {name} has no earlier publication to roll back to.");
            }

            return Task.FromResult(new Publications(current.Items.Skip(1).ToList()));
        }, cancellationToken);
        return RuleSetsInForce.At(updated.Items, now);
    }

    public async Task StoreAsync(RuleSet ruleSet, CancellationToken cancellationToken)
    {
        CheckName(ruleSet.Document.Name);
        await EnsureContainerAsync(cancellationToken);
        await BlobJson.CreateOnceAsync(container.GetBlobClient($"{ruleSet.Document.Name}/{ruleSet.Version}.json"), ruleSet.ToJson(), null, cancellationToken);
    }

    public async Task<JisuDai.Risk.Models.ChallengerArm?> GetChallengerAsync(string name, CancellationToken cancellationToken)
    {
        CheckName(name);
        await EnsureContainerAsync(cancellationToken);
        return (await BlobJson.ReadAsync<Challenger>(container.GetBlobClient($"{name}/challenger.json"), RuleSet.Json, cancellationToken)).Value?.Arm;
    }

    public async Task SetChallengerAsync(string name, JisuDai.Risk.Models.ChallengerArm? challenger, CancellationToken cancellationToken)
    {
        CheckName(name);
        await EnsureContainerAsync(cancellationToken);
        if (challenger is not null && await GetAsync(name, challenger.Version, cancellationToken) is null)
        {
            throw new RuleSetStoreException($"Rule set {name} has no stored version {challenger.Version}.");
        }

        await BlobJson.UpdateAsync<Challenger>(container.GetBlobClient($"{name}/challenger.json"), RuleSet.Json, _ => Task.FromResult(new Challenger(challenger)), cancellationToken);
    }

    sealed record Challenger(JisuDai.Risk.Models.ChallengerArm? Arm);

    BlobClient History(string name) => container.GetBlobClient($"{name}/publications.json");

    async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }
    }

    static void CheckName(string name)
    {
        if (!RegistryNames.IsName(name))
        {
            throw new RuleSetStoreException($"Rule-set name '{name}' must be 1–63 lowercase letters, digits or hyphens.");
        }
    }

    sealed record Publications(IReadOnlyList<PublishedRuleSet> Items);
}
