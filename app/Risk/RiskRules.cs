using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using JisuDai.App.Configuration;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Rules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Risk;

/// <summary>
/// The rule set in force, compiled against the model's facts. With nothing published under <c>Rules:Name</c> (default
/// "default") the bundled default rule set is published on first use, so decisions need no configuration. The
/// publication list is re-read at most every 30 s, so a publish or rollback elsewhere applies within that.
/// </summary>
public sealed class RiskRules(IRuleSetStore store, RiskRulesOptions options, ILogger<RiskRules> logger)
{
    static readonly TimeSpan ListFor = TimeSpan.FromSeconds(30);
    // By catalogue (one per loaded model, let go with it), then version.
    readonly ConditionalWeakTable<FactCatalog, ConcurrentDictionary<string, RuleSet>> compiled = new();
    (IReadOnlyList<PublishedRuleSet> Items, DateTimeOffset ReadAt)? publications;
    (JisuDai.Risk.Models.ChallengerArm? Arm, DateTimeOffset ReadAt)? challenger;

    /// <summary>The rule-set name decisions use.</summary>
    public string Name => options.Name;

    /// <summary>The rule set in force at <paramref name="now"/>, compiled against <paramref name="catalog"/>.</summary>
    public async Task<RuleSet> InForceAsync(DateTimeOffset now, FactCatalog catalog, CancellationToken cancellationToken)
    {
        IReadOnlyList<PublishedRuleSet> published = await PublicationsAsync(now, cancellationToken);
        PublishedRuleSet current = RuleSetsInForce.At(published, now)
            ?? throw new RuleSetStoreException($"Rule set {options.Name} has no publication in force at {now:O}.");
        return await CompiledAsync(current.Version, catalog, cancellationToken);
    }

    /// <summary>
    /// The challenger rule set at <paramref name="now"/>, compiled against <paramref name="catalog"/>, with its share of
    /// customers; null when none runs (or it is the version in force). Re-read at most every 30 s, as publications are.
    /// </summary>
    public async Task<(RuleSet RuleSet, JisuDai.Risk.Models.ChallengerArm Arm)?> ChallengerAsync(DateTimeOffset now, FactCatalog catalog, string inForceVersion, CancellationToken cancellationToken)
    {
        if (challenger is not { } cached || now - cached.ReadAt >= ListFor || now < cached.ReadAt)
        {
            challenger = cached = (await store.GetChallengerAsync(options.Name, cancellationToken), now);
        }

        return cached.Arm is { } arm && arm.Version != inForceVersion ? (await CompiledAsync(arm.Version, catalog, cancellationToken), arm) : null;
    }

    /// <summary>A published version compiled against <paramref name="catalog"/> (for replay).</summary>
    public async Task<RuleSet> CompiledAsync(string version, FactCatalog catalog, CancellationToken cancellationToken)
    {
        ConcurrentDictionary<string, RuleSet> forCatalog = compiled.GetValue(catalog, _ => new ConcurrentDictionary<string, RuleSet>(StringComparer.Ordinal));
        if (forCatalog.TryGetValue(version, out RuleSet? ruleSet))
        {
            return ruleSet;
        }

        byte[] json = await store.GetAsync(options.Name, version, cancellationToken)
            ?? throw new RuleSetStoreException($"Rule set {options.Name} has no version {version}.");
        (ruleSet, var errors) = RuleSet.Parse(json, catalog);
        if (ruleSet is null)
        {
            throw new RuleSetStoreException($"Rule set {options.Name} version {version} does not compile against the model's facts: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"))}");
        }

        return forCatalog[version] = ruleSet;
    }

    /// <summary>Forgets the cached publication list and challenger, after a change in this process.</summary>
    public void Invalidate() => (publications, challenger) = (null, null);

    async Task<IReadOnlyList<PublishedRuleSet>> PublicationsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (publications is { } cached && now - cached.ReadAt < ListFor && now >= cached.ReadAt)
        {
            return cached.Items;
        }

        IReadOnlyList<PublishedRuleSet> items = await store.ListAsync(options.Name, cancellationToken);
        if (items.Count == 0 && options.Name == "default")
        {
            (RuleSet? bundled, var errors) = RuleSet.Parse(DefaultModel.RulesJson(), RuleSetCatalogs.Publishing);
            PublishedRuleSet first = await store.PublishAsync(bundled ?? throw new InvalidOperationException($"The bundled rules are invalid: {string.Join("; ", errors)}"), cancellationToken);
            logger.LogInformation("No rule set was published; published the bundled default rules, version {Version}.", first.Version);
            items = await store.ListAsync(options.Name, cancellationToken);
        }

        publications = (items, now);
        return items;
    }
}

/// <summary>Which rule set decides.</summary>
public sealed record RiskRulesOptions(string Name)
{
    public static RiskRulesOptions FromConfiguration(IConfiguration configuration) =>
        new(configuration[AppSettings.RulesName] is { Length: > 0 } name ? name : "default");
}
