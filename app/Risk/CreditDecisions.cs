using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JisuDai.App.Notifications;
using JisuDai.App.Security;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Products;
using JisuDai.Risk.Behaviour;
using JisuDai.Risk.Bureau;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Models;
using JisuDai.Risk.Rules;
using JisuDai.Risk.Scoring;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Risk;

/// <summary>A request for a decision.</summary>
/// <param name="IdempotencyKey">The caller's key: the same key and request give the same decision, once.</param>
/// <param name="CustomerId">The customer (or "external" for another system's applicant).</param>
/// <param name="ApplicationId">The application, when there is one.</param>
/// <param name="ProductCode">The product applied for.</param>
/// <param name="Application">The application's fields.</param>
/// <param name="Applicant">The applicant's identifiers, for the fraud checks.</param>
/// <param name="Customer">A returning customer's history.</param>
/// <param name="Product">The product's terms to decide under (an application's own copy); null for the version of <paramref name="ProductCode"/> offered now.</param>
/// <param name="BankCard">The bank card the applicant gave, for the customers-per-card feature.</param>
/// <param name="Bureau">The credit bureau's findings for the application (recorded once per application, so a retry brings the same).</param>
public sealed record DecisionCommand(
    string IdempotencyKey, string CustomerId, string? ApplicationId, string ProductCode,
    IReadOnlyDictionary<string, string?> Application, ApplicantIdentity Applicant, CustomerHistory? Customer, LoanProduct? Product = null, string? BankCard = null,
    BureauFindings? Bureau = null);

/// <summary>What came of a decision request.</summary>
public abstract record DecisionOutcome
{
    /// <summary>Decided now (<paramref name="Created"/>) or earlier under the same key.</summary>
    public sealed record Decided(CreditDecision Decision, bool Created) : DecisionOutcome;

    /// <summary>The request was refused; nothing was recorded.</summary>
    public sealed record Invalid(IReadOnlyList<DomainError> Errors) : DecisionOutcome;

    /// <summary>The key was used before with another request.</summary>
    public sealed record KeyReused(string DecisionId) : DecisionOutcome;

    /// <summary>The model is still loading.</summary>
    public sealed record NotReady : DecisionOutcome;
}

/// <summary>A decision re-run with the model and rule-set versions it recorded.</summary>
public sealed record Replay(CreditDecision Original, ScoreResult Score, DecisionResult Result)
{
    /// <summary>True when the re-run reproduces the recorded score and decision exactly.</summary>
    public bool Reproduced =>
        JsonSerializer.Serialize(Score) == JsonSerializer.Serialize(Original.Score) && JsonSerializer.Serialize(Result) == JsonSerializer.Serialize(Original.Result);
}

/// <summary>
/// Makes credit decisions: fraud checks (blacklist, velocity, device sharing), the score, the rule set in force, and a
/// decision record written once. Replays a recorded decision with the versions it names.
/// </summary>
public sealed class CreditDecisions(
    RiskModel model, RiskRules rules, IModelRegistry registry, IBlacklistStore blacklist, IVelocityStore velocity,
    IDocumentStore<CreditDecision> decisions, Products.LoanProducts products, Behaviour.BehaviourProfiles behaviourProfiles, Security.PersonalData personalData, TimeProvider clock, ILogger<CreditDecisions> logger)
{
    static readonly TimeSpan ColdStartWait = TimeSpan.FromSeconds(20);
    static readonly TimeSpan BlacklistFor = TimeSpan.FromDays(180);
    const double MaxNumber = 1_000_000_000;

    public async Task<DecisionOutcome> DecideAsync(DecisionCommand command, CancellationToken cancellationToken)
    {
        LoanProduct? product = command.Product ?? (await products.OfferedAsync(cancellationToken)).GetValueOrDefault(command.ProductCode);
        var errors = Check(command);
        if (product is null || product.Code != command.ProductCode)
        {
            errors.Add(new DomainError("productCode", "known-product",
                $"productCode must be a product offered now ({string.Join(", ", (await products.OfferedAsync(cancellationToken)).Keys.Order(StringComparer.Ordinal))})."));
        }

        if (errors.Count > 0 || product is null)
        {
            return new DecisionOutcome.Invalid(errors);
        }

        string requestHash = Hash(command);
        string id = CustomerScopedId.Compose(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(command.IdempotencyKey)))[..24], command.CustomerId);
        if (await decisions.FindAsync(command.CustomerId, id, cancellationToken) is { } earlier)
        {
            return earlier.Document.RequestHash == requestHash ? new DecisionOutcome.Decided(earlier.Document, false) : new DecisionOutcome.KeyReused(id);
        }

        if (await model.LineupAsync(ColdStartWait, cancellationToken) is not { } lineup)
        {
            return new DecisionOutcome.NotReady();
        }

        CreditScorer champion = lineup.Champion;
        Outcome<FeatureVector> mapped = champion.Features.Map(ModelFields(champion, command.Application, null, command.Bureau));
        if (!mapped.Succeeded)
        {
            return new DecisionOutcome.Invalid(mapped.Errors);
        }

        using Activity? span = Telemetry.LendingTelemetry.Spans.StartActivity("credit decision");
        long decisionStarted = Stopwatch.GetTimestamp();
        DateTimeOffset now = clock.GetUtcNow();
        var timings = new Dictionary<string, double>();
        // Only a decision on a real application leaves traces (velocity and device sightings, a tier's blacklisting): a
        // staff what-if check (no application id) reads the checks as they stand and changes nothing. The checks and the
        // behaviour profile read different stores: both at once, each timed on its own.
        bool real = command.ApplicationId is not null;
        Task<(CheckResults Value, double Microseconds)> checking = Timed(() => RunChecksAsync(id, command.Applicant, now, real, cancellationToken));
        Task<(BehaviourFeatures Value, double Microseconds)> profiling = Timed(() => behaviourProfiles.AsOfAsync(command.CustomerId, command.Applicant, command.BankCard, now, real, cancellationToken));
        await Task.WhenAll(checking, profiling);
        (CheckResults checks, timings["checks"]) = checking.Result;
        (BehaviourFeatures behaviour, timings["behaviour"]) = profiling.Result;
        long started;
        // Mapped again only for a model that takes behaviour features as inputs; for any other the vector is complete.
        FeatureVector features = champion.Features.ReadsBehaviour
            ? champion.Features.Map(ModelFields(champion, command.Application, behaviour, command.Bureau)).Value!
            : mapped.Value!;

        // Champion/challenger, on real applications only: the customer's arm decides which model acts; the other scores
        // in shadow, recorded and never acted on. A challenger that cannot read the application leaves it to the champion.
        string arm = ModelArms.Champion;
        CreditScorer scorer = champion;
        (CreditScorer Model, FeatureVector Features)? shadowOf = null;
        if (real && lineup.Challenger is { } challenger
            && challenger.Features.Map(ModelFields(challenger, command.Application, behaviour, command.Bureau)) is { Succeeded: true, Value: { } challengerFeatures })
        {
            arm = ArmOf("model-arm", champion.Bundle.Name, challenger.Version, command.CustomerId, lineup.ChallengerShare);
            (scorer, shadowOf) = arm == ModelArms.Challenger ? (challenger, (champion, features)) : (champion, (challenger, challengerFeatures));
            if (arm == ModelArms.Challenger)
            {
                features = challengerFeatures;
            }
        }

        FactCatalog catalog = DecisionFacts.Catalog(scorer.Features);
        RuleSet ruleSet = await rules.InForceAsync(now, catalog, cancellationToken);
        // The same for rule sets: the customer's rule-set arm decides which rule set acts; the other is evaluated in shadow.
        string ruleSetArm = ModelArms.Champion;
        RuleSet? shadowRules = null;
        if (real && await RuleSetChallengerAsync(now, catalog, ruleSet.Version, cancellationToken) is var (challengerRules, ruleChallenger))
        {
            ruleSetArm = ArmOf("rules-arm", $"rules:{rules.Name}", challengerRules.Version, command.CustomerId, ruleChallenger.TrafficShare);
            (ruleSet, shadowRules) = ruleSetArm == ModelArms.Challenger ? (challengerRules, ruleSet) : (ruleSet, challengerRules);
        }

        started = Stopwatch.GetTimestamp();
        ScoreResult score = scorer.Score(features);
        timings["score"] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        ShadowScore? shadow = null;
        if (shadowOf is var (shadowModel, shadowFeatures))
        {
            started = Stopwatch.GetTimestamp();
            try
            {
                shadow = new ShadowScore(shadowModel.Version, shadowModel.Score(shadowFeatures), shadowFeatures.ToRecord(shadowModel.Inputs));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
            {
                // Never acted on, so its failure is logged and the decision stands without it.
                logger.LogError(e, "Model {Version} could not score decision {DecisionId} in shadow.", shadowModel.Version, id);
            }

            timings["shadow"] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        DateOnly on = LenderCalendar.DateOf(now);
        started = Stopwatch.GetTimestamp();
        var facts = new DecisionRequest(command.Application, checks, command.Customer, product, on, behaviour, command.Bureau);
        DecisionResult result = DecisionEngine.Decide(ruleSet, catalog, facts, score);
        timings["rules"] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        RuleSetShadow? ruleSetShadow = shadowRules is null ? null : new RuleSetShadow(shadowRules.Version, DecisionEngine.Decide(shadowRules, catalog, facts, score));

        var decision = new CreditDecision(id, command.CustomerId, command.ApplicationId, requestHash, now, on, command.ProductCode,
            scorer.Bundle.Name, scorer.Version, ruleSet.Document.Name, ruleSet.Version, command.Application, Masked(command.Applicant),
            checks, command.Customer, score, result, timings, product.Version, behaviour, command.Bureau, features.ToRecord(scorer.Inputs), arm, shadow,
            ruleSetArm, ruleSetShadow);
        try
        {
            await decisions.CreateAsync(decision, cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            // The same key decided at the same moment elsewhere: that record stands.
            CreditDecision other = (await decisions.FindAsync(command.CustomerId, id, cancellationToken))!.Document;
            return other.RequestHash == requestHash ? new DecisionOutcome.Decided(other, false) : new DecisionOutcome.KeyReused(id);
        }

        if (real)
        {
            await ActOnTierAsync(decision, command.Applicant, now, cancellationToken);
        }

        string outcome = result.Outcome.Name();
        span?.SetTag("jisudai.outcome", outcome).SetTag("jisudai.arm", arm).SetTag("jisudai.model", scorer.Version).SetTag("jisudai.rule_set", ruleSet.Version);
        Telemetry.LendingTelemetry.Decided(outcome, arm, Stopwatch.GetElapsedTime(decisionStarted).TotalMilliseconds);
        return new DecisionOutcome.Decided(decision, true);
    }

    /// <summary>The customer's arm under a challenger of <paramref name="scope"/>: a keyed digest, so no one without the key can steer it.</summary>
    string ArmOf(string kind, string scope, string challengerVersion, string customerId, double share) =>
        ModelArms.Assign(Convert.FromHexString(personalData.Digest(kind, Encoding.UTF8.GetBytes(ModelArms.DrawInput(scope, challengerVersion, customerId)))), share);

    /// <summary>The rule-set challenger and its arm, or null when none runs or it does not compile against this model's facts (then the rule set in force decides alone).</summary>
    async Task<(RuleSet RuleSet, ChallengerArm Arm)?> RuleSetChallengerAsync(DateTimeOffset now, FactCatalog catalog, string inForce, CancellationToken cancellationToken)
    {
        try
        {
            return await rules.ChallengerAsync(now, catalog, inForce, cancellationToken);
        }
        catch (RuleSetStoreException e)
        {
            logger.LogError("The rule-set challenger is not used: {Error}", e.Message);
            return null;
        }
    }

    /// <summary>Re-runs a recorded decision with its recorded model, rule set, product version, inputs and check findings.</summary>
    public async Task<Replay?> ReplayAsync(string decisionId, CancellationToken cancellationToken)
    {
        if (CustomerScopedId.CustomerOf(decisionId) is not { } customerId || await decisions.FindAsync(customerId, decisionId, cancellationToken) is not { } found)
        {
            return null;
        }

        CreditDecision original = found.Document;
        ModelBundle bundle = await registry.GetAsync(original.ModelName, original.ModelVersion, cancellationToken)
            ?? throw new ModelRegistryException($"Model {original.ModelName} version {original.ModelVersion} is no longer in the registry.");
        var scorer = new CreditScorer(bundle);
        FactCatalog catalog = DecisionFacts.Catalog(scorer.Features);
        RuleSet ruleSet = await rules.CompiledAsync(original.RuleSetVersion, catalog, cancellationToken);
        LoanProduct product = await products.VersionAsync(original.ProductCode, original.ProductVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Product {original.ProductCode} version {original.ProductVersion} was never published.");
        ScoreResult score = scorer.Score(scorer.Features.Map(ModelFields(scorer, original.Application, original.Behaviour, original.Bureau)).Value!);
        DecisionResult result = DecisionEngine.Decide(ruleSet, catalog,
            new DecisionRequest(original.Application, original.Checks, original.Customer, product, original.On, original.Behaviour, original.Bureau), score);
        return new Replay(original, score, result);
    }

    /// <summary>Finds a decision by id.</summary>
    public async Task<CreditDecision?> FindAsync(string decisionId, CancellationToken cancellationToken)
    {
        return CustomerScopedId.CustomerOf(decisionId) is { } customerId ? (await decisions.FindAsync(customerId, decisionId, cancellationToken))?.Document : null;
    }

    static async Task<(T Value, double Microseconds)> Timed<T>(Func<Task<T>> work)
    {
        long started = Stopwatch.GetTimestamp();
        T value = await work();
        return (value, Stopwatch.GetElapsedTime(started).TotalMicroseconds);
    }

    async Task<CheckResults> RunChecksAsync(string decisionId, ApplicantIdentity applicant, DateTimeOffset now, bool record, CancellationToken cancellationToken)
    {
        var identifiers = new Dictionary<string, string?> { ["idNumber"] = applicant.IdNumber, ["phone"] = applicant.Phone, ["device"] = applicant.DeviceId, ["ip"] = applicant.Ip };

        // The identifiers are independent: record and count them all at once, with the blacklist read alongside.
        Task<IReadOnlyList<BlacklistEntry>> listed = blacklist.ListActiveAsync(now, cancellationToken);
        var seen = await Task.WhenAll(identifiers.Select(async pair =>
        {
            if (string.IsNullOrWhiteSpace(pair.Value))
            {
                return (Kind: pair.Key, Seen: (IReadOnlyList<Sighting>)[]);
            }

            if (record)
            {
                await velocity.RecordAsync(pair.Key, pair.Value, decisionId, new Sighting(now, applicant.IdNumber), cancellationToken);
            }

            return (Kind: pair.Key, Seen: await velocity.SeenAsync(pair.Key, pair.Value, now - Velocity.Month, cancellationToken));
        }));

        var counts = seen.ToDictionary(s => s.Kind, s => Velocity.Count(s.Seen.Select(x => x.At), now));
        int deviceCustomers = seen.Single(s => s.Kind == "device").Seen.Where(s => now - s.At < Velocity.Month).Select(s => s.Customer).Distinct().Count();
        return new CheckResults(Blacklist.Match(await listed, applicant, now), counts, deviceCustomers);
    }

    async Task ActOnTierAsync(CreditDecision decision, ApplicantIdentity applicant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (decision.Result.Blacklist)
        {
            string reason = $"risk tier {decision.Result.Tier} in decision {decision.Id}";
            foreach ((string kind, string? value) in new[] { ("idNumber", applicant.IdNumber), ("phone", applicant.Phone), ("device", applicant.DeviceId) })
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    await blacklist.AddAsync(new BlacklistEntry(kind, value, "decision-engine", reason, now + BlacklistFor), cancellationToken);
                }
            }
        }

        if (decision.Result.Alert)
        {
            logger.LogWarning("Risk alert: decision {DecisionId} put applicant {Phone} in tier {Tier} (PD {Pd:F3}).",
                decision.Id, decision.Applicant["phone"], decision.Result.Tier, decision.Score.ProbabilityOfDefault);
        }
    }

    static List<DomainError> Check(DecisionCommand command)
    {
        var errors = new List<DomainError>();
        if (string.IsNullOrWhiteSpace(command.IdempotencyKey) || command.IdempotencyKey.Length > 200)
        {
            errors.Add(new DomainError("Idempotency-Key", "required", "The Idempotency-Key header is required (at most 200 characters)."));
        }

        if (!DocumentKey.IsValid(command.CustomerId) || command.CustomerId.Contains('.'))
        {
            errors.Add(new DomainError("customerId", "key", "customerId must be 1 to 100 letters, digits, '-' or '_'."));
        }

        if (string.IsNullOrWhiteSpace(command.Applicant.IdNumber))
        {
            errors.Add(new DomainError("applicant.idNumber", "required", "applicant.idNumber is required."));
        }

        if (string.IsNullOrWhiteSpace(command.Applicant.Phone))
        {
            errors.Add(new DomainError("applicant.phone", "required", "applicant.phone is required."));
        }

        if (string.IsNullOrWhiteSpace(command.Applicant.Name))
        {
            errors.Add(new DomainError("applicant.name", "required", "applicant.name is required."));
        }

        foreach ((string field, _) in command.Application.Where(f => f.Value is not null && DecisionFacts.DecisionFields.Any(d => d.Field == f.Key && d.Type == FactType.Number)))
        {
            // Bounded, so no value reaches the limit's decimal arithmetic out of its range.
            if (!double.TryParse(command.Application[field], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || v < 0 || v > MaxNumber)
            {
                errors.Add(new DomainError($"application.{field}", "number", $"application.{field} must be a number from 0 to 1,000,000,000."));
            }
        }

        return errors;
    }

    /// <summary>
    /// The fields the model reads: the application's (its decision-only fields, income, debts and product, go to the
    /// rules only) and the behaviour features and bureau findings the model's feature spec takes as sources (<c>behaviour.*</c>, <c>bureau.*</c>).
    /// </summary>
    static Dictionary<string, string?> ModelFields(CreditScorer scorer, IReadOnlyDictionary<string, string?> application, BehaviourFeatures? behaviour, BureauFindings? bureau)
    {
        var known = scorer.Features.Fields.ToHashSet(StringComparer.Ordinal);
        var decisionOnly = DecisionFacts.DecisionFields.Select(f => f.Field).ToHashSet(StringComparer.Ordinal);
        var fields = application.Where(f => (known.Contains(f.Key) || !decisionOnly.Contains(f.Key))
                && !f.Key.StartsWith("behaviour.", StringComparison.Ordinal) && !f.Key.StartsWith("bureau.", StringComparison.Ordinal))
            .ToDictionary(f => f.Key, f => f.Value);
        foreach ((string name, string? value) in (behaviour?.AsFields() ?? []).Concat(bureau?.AsFields() ?? []))
        {
            if (known.Contains(name))
            {
                fields[name] = value;
            }
        }

        return fields;
    }

    static Dictionary<string, string> Masked(ApplicantIdentity applicant) => new()
    {
        ["idNumber"] = PersonalDataMask.IdNumber(applicant.IdNumber),
        ["phone"] = PhoneMask.Mask(applicant.Phone),
        ["name"] = PersonalDataMask.Name(applicant.Name),
    };

    // Keyed: the request holds the applicant's ID number, phone and name, which a plain hash would let anyone confirm by guessing.
    string Hash(DecisionCommand command)
    {
        var canonical = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["customerId"] = command.CustomerId, ["applicationId"] = command.ApplicationId, ["productCode"] = command.ProductCode,
            ["application"] = new SortedDictionary<string, string?>(command.Application.ToDictionary(), StringComparer.Ordinal),
            ["applicant"] = command.Applicant, ["customer"] = command.Customer,
        };
        return personalData.Digest("decision-request", JsonSerializer.SerializeToUtf8Bytes(canonical));
    }
}
