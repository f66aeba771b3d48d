using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
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
/// roll the newest publication back. Publishing and rolling back are four eyes: one admin proposes, another approves.
/// An invalid document is refused with every error keyed by its JSON path, when proposed and again when approved.
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

    /// <summary><paramref name="maker"/> proposes publishing <paramref name="document"/>: validated now, published when a second admin approves.</summary>
    public async Task<Result<StaffRequest>> ProposePublicationAsync(Caller maker, byte[] document, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        Result<RuleSet> parsed = Parse(document);
        return parsed.Succeeded
            ? await fourEyes.ProposeAsync(maker, StaffPower.RuleSetPublication, rules.Name, System.Text.Encoding.UTF8.GetString(document), cancellationToken)
            : parsed.As<StaffRequest>();
    }

    /// <summary><paramref name="maker"/> proposes withdrawing the newest publication; done when a second admin approves.</summary>
    public async Task<Result<StaffRequest>> ProposeRollbackAsync(Caller maker, FourEyes fourEyes, CancellationToken cancellationToken) =>
        (await store.ListAsync(rules.Name, cancellationToken)).Count < 2
            ? Result<StaffRequest>.Conflict($"Rule set {rules.Name} has no earlier publication to roll back to.")
            : await fourEyes.ProposeAsync(maker, StaffPower.RuleSetRollback, rules.Name, "{}", cancellationToken);

    /// <summary>Publishes <paramref name="document"/> (an approved publication).</summary>
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

    /// <summary>Withdraws the newest publication (an approved rollback).</summary>
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

/// <summary>Publishing a rule set: proposed by an admin, approved by another.</summary>
public sealed class RuleSetPublicationPower(RuleSetDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.RuleSetPublication;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public async Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken)
    {
        Result<PublishedRuleSet> published = await desk.PublishAsync(System.Text.Encoding.UTF8.GetBytes(request.Payload), cancellationToken);
        return published.Succeeded ? Result<object>.Ok(published.Value!) : published.As<object>();
    }
}

/// <summary>Rolling a rule set back: proposed by an admin, approved by another.</summary>
public sealed class RuleSetRollbackPower(RuleSetDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.RuleSetRollback;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public async Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken)
    {
        Result<RolledBack> rolledBack = await desk.RollbackAsync(cancellationToken);
        return rolledBack.Succeeded ? Result<object>.Ok(rolledBack.Value!) : rolledBack.As<object>();
    }
}
