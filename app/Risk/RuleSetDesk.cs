using System.Text.Json;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Lending;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Rules;

namespace JisuDai.App.Risk;

/// <summary>A proposed rule-set challenger: the document to run and the share of customers it decides for (0: shadow only); no document ends it.</summary>
public sealed record RuleSetChallengerBody(System.Text.Json.JsonElement? Document, double? TrafficShare);

/// <summary>The rule set's publications: what is in force, the publication list, and the challenger running beside it (null when none).</summary>
public sealed record RuleSetPublications(string Name, PublishedRuleSet? InForce, IReadOnlyList<PublishedRuleSet> Publications, JisuDai.Risk.Models.ChallengerArm? Challenger = null);

/// <summary>A rule set that passed validation.</summary>
public sealed record ValidRuleSet(bool Valid, string Version, int Rules);

/// <summary>What is in force after a rollback.</summary>
public sealed record RolledBack(string Name, PublishedRuleSet? InForce);

/// <summary>
/// The rule sets decisions use: list publications, validate a document, publish it (in force from its effectiveFrom),
/// roll the newest publication back. Publishing and rolling back are four eyes: one admin proposes, another approves.
/// An invalid document is refused with every error keyed by its JSON path, when proposed and again when approved.
/// </summary>
public sealed class RuleSetDesk(IRuleSetStore store, RiskRules rules, RiskModel model, Monitoring.IRiskMetrics metrics, TimeProvider clock)
{
    /// <summary>The latest comparison of the rule set in force and its challenger (made each night while one runs).</summary>
    public async Task<Result<JisuDai.Risk.Monitoring.RuleSetComparison>> ComparisonAsync(CancellationToken cancellationToken) =>
        await metrics.RuleSetComparisonAsync(rules.Name, cancellationToken) is { } comparison
            ? Result<JisuDai.Risk.Monitoring.RuleSetComparison>.Ok(comparison)
            : Result<JisuDai.Risk.Monitoring.RuleSetComparison>.NotFound($"Rule set {rules.Name} has no comparison yet: one is made each night while a challenger runs.");

    public async Task<RuleSetPublications> ListAsync(CancellationToken cancellationToken)
    {
        var published = await store.ListAsync(rules.Name, cancellationToken);
        return new RuleSetPublications(rules.Name, RuleSetsInForce.At(published, clock.GetUtcNow()), published, await store.GetChallengerAsync(rules.Name, cancellationToken));
    }

    /// <summary>Version <paramref name="version"/>'s document as it was published or stored, for reading and comparing.</summary>
    public async Task<Result<byte[]>> DocumentAsync(string version, CancellationToken cancellationToken)
    {
        if (!JisuDai.Risk.RegistryNames.IsVersion(version))
        {
            return Result<byte[]>.Invalid("version", "version must be a rule-set version: 16 lowercase hex digits.");
        }

        return await store.GetAsync(rules.Name, version, cancellationToken) is { } document
            ? Result<byte[]>.Ok(document)
            : Result<byte[]>.NotFound($"Rule set {rules.Name} has no version {version}.");
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

    /// <summary>
    /// <paramref name="maker"/> proposes running <paramref name="body"/>'s rule-set document beside the one in force, on its
    /// traffic share (0 to 0.5; evaluated in shadow on every application either way), or, with no document, ending the
    /// challenger. It decides real applications, so this is four eyes; it is stored, not published, and publishing it
    /// (making it the champion) is a publication like any other.
    /// </summary>
    public async Task<Result<StaffRequest>> ProposeChallengerAsync(Caller maker, RuleSetChallengerBody body, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        if (body.Document is not { ValueKind: System.Text.Json.JsonValueKind.Object } document)
        {
            return await store.GetChallengerAsync(rules.Name, cancellationToken) is null
                ? Result<StaffRequest>.Conflict($"Rule set {rules.Name} has no challenger to end.")
                : await fourEyes.ProposeAsync(maker, StaffPower.RuleSetChallenger, rules.Name, "{}", cancellationToken);
        }

        if (body.TrafficShare is not { } share || !JisuDai.Risk.Models.ModelArms.IsTrafficShare(share))
        {
            return Result<StaffRequest>.Invalid("trafficShare", JisuDai.Risk.Models.ModelArms.TrafficShareRequired);
        }

        Result<RuleSet> parsed = Parse(System.Text.Encoding.UTF8.GetBytes(document.GetRawText()));
        if (!parsed.Succeeded)
        {
            return parsed.As<StaffRequest>();
        }

        if (RuleSetsInForce.At(await store.ListAsync(rules.Name, cancellationToken), clock.GetUtcNow())?.Version == parsed.Value!.Version)
        {
            return Result<StaffRequest>.Conflict($"Version {parsed.Value.Version} is the rule set in force.");
        }

        return await fourEyes.ProposeAsync(maker, StaffPower.RuleSetChallenger, rules.Name, JsonSerializer.Serialize(new RuleSetChallengerBody(document, share), StaffRequest.PayloadJson), cancellationToken);
    }

    /// <summary>Stores and sets the challenger an approved request names (or ends it).</summary>
    public async Task<Result<object>> SetChallengerAsync(StaffRequest request, CancellationToken cancellationToken)
    {
        RuleSetChallengerBody body = JsonSerializer.Deserialize<RuleSetChallengerBody>(request.Payload, StaffRequest.PayloadJson)!;
        try
        {
            if (body.Document is not { ValueKind: System.Text.Json.JsonValueKind.Object } document)
            {
                await store.SetChallengerAsync(rules.Name, null, cancellationToken);
                rules.Invalidate();
                return Result<object>.Ok(new { name = rules.Name, challenger = (object?)null });
            }

            Result<RuleSet> parsed = Parse(System.Text.Encoding.UTF8.GetBytes(document.GetRawText()));
            if (!parsed.Succeeded)
            {
                return parsed.As<object>();
            }

            await store.StoreAsync(parsed.Value!, cancellationToken);
            var arm = new JisuDai.Risk.Models.ChallengerArm(parsed.Value!.Version, body.TrafficShare!.Value, clock.GetUtcNow());
            await store.SetChallengerAsync(rules.Name, arm, cancellationToken);
            rules.Invalidate();
            return Result<object>.Ok(new { name = rules.Name, challenger = arm });
        }
        catch (RuleSetStoreException e)
        {
            return Result<object>.Conflict(e.Message);
        }
    }

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

    internal Result<RuleSet> Parse(byte[] document)
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

/// <summary>Starting, changing or ending a rule set's challenger: proposed by an admin, approved by another.</summary>
public sealed class RuleSetChallengerPower(RuleSetDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.RuleSetChallenger;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken) => desk.SetChallengerAsync(request, cancellationToken);
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
