using JisuDai.App.Results;
using JisuDai.Lending;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Rules;

namespace JisuDai.App.Risk;

/// <summary>The rule set's publications: what is in force, and the publication list.</summary>
public sealed record RuleSetPublications(string Name, PublishedRuleSet? InForce, IReadOnlyList<PublishedRuleSet> Publications);

/// <summary>A rule set that passed validation.</summary>
public sealed record ValidRuleSet(bool Valid, string Version, int Rules);

/// <summary>What is in force after a rollback.</summary>
public sealed record RolledBack(string Name, PublishedRuleSet? InForce);

/// <summary>
/// The rule sets decisions use: list publications, validate a document, publish it (in force from its effectiveFrom),
/// roll the newest publication back. An invalid document is refused with every error keyed by its JSON path.
/// </summary>
public sealed class RuleSetDesk(IRuleSetStore store, RiskRules rules, RiskModel model, TimeProvider clock)
{
    public async Task<RuleSetPublications> ListAsync(CancellationToken cancellationToken)
    {
        var published = await store.ListAsync(rules.Name, cancellationToken);
        return new RuleSetPublications(rules.Name, RuleSetsInForce.At(published, clock.GetUtcNow()), published);
    }

    public Result<ValidRuleSet> Validate(byte[] document)
    {
        Result<RuleSet> parsed = Parse(document);
        return parsed.Succeeded ? Result<ValidRuleSet>.Ok(new ValidRuleSet(true, parsed.Value!.Version, parsed.Value.RuleCount)) : parsed.As<ValidRuleSet>();
    }

    public async Task<Result<PublishedRuleSet>> PublishAsync(byte[] document, CancellationToken cancellationToken)
    {
        Result<RuleSet> parsed = Parse(document);
        if (!parsed.Succeeded)
        {
            return parsed.As<PublishedRuleSet>();
        }

        PublishedRuleSet published = await store.PublishAsync(parsed.Value!, cancellationToken);
        rules.Invalidate();
        return Result<PublishedRuleSet>.Ok(published);
    }

    public async Task<Result<RolledBack>> RollbackAsync(CancellationToken cancellationToken)
    {
        try
        {
            PublishedRuleSet? inForce = await store.RollbackAsync(rules.Name, clock.GetUtcNow(), cancellationToken);
            rules.Invalidate();
            return Result<RolledBack>.Ok(new RolledBack(rules.Name, inForce));
        }
        catch (RuleSetStoreException e)
        {
            return Result<RolledBack>.Conflict(e.Message);
        }
    }

    Result<RuleSet> Parse(byte[] document)
    {
        FactCatalog catalog = model.Current is { } scorer ? DecisionFacts.Catalog(scorer.Features) : RuleSetCatalogs.Publishing;
        (RuleSet? ruleSet, var errors) = RuleSet.Parse(document, catalog);
        return ruleSet is null ? Result<RuleSet>.Invalid(errors.Select(e => new DomainError(e.Path, "rule-set", e.Message)).ToList())
            : ruleSet.Document.Name != rules.Name ? Result<RuleSet>.Invalid("name", $"this app decides with rule set '{rules.Name}' (Rules:Name); got '{ruleSet.Document.Name}'.")
            : Result<RuleSet>.Ok(ruleSet);
    }
}
