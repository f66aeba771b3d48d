using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using JisuDai.Lending.Applications;

namespace JisuDai.Risk.Rules;

/// <summary>A problem in a rule-set document: the JSON path of the value at fault and what is wrong.</summary>
public sealed record RuleSetError(string Path, string Message);

/// <summary>
/// A validated, compiled rule set: its document, its version (a content hash of the document's canonical JSON) and
/// every condition compiled against the fact catalogue. Only <see cref="Parse"/> makes one, so an invalid rule set
/// never decides anything.
/// </summary>
public sealed class RuleSet
{
    /// <summary>How rule-set JSON reads and writes: camelCase.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    RuleSet(RuleSetDocument document, string version, IReadOnlyList<CompiledTable> tables)
    {
        Document = document;
        Version = version;
        Tables = tables;
    }

    /// <summary>The document.</summary>
    public RuleSetDocument Document { get; }

    /// <summary>The first 16 hex digits of SHA-256 over the document's canonical JSON.</summary>
    public string Version { get; }

    /// <summary>The compiled tables.</summary>
    public IReadOnlyList<CompiledTable> Tables { get; }

    /// <summary>The rule count.</summary>
    public int RuleCount => Tables.Sum(t => t.Rules.Count);

    /// <summary>The canonical JSON of the document.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(Document, Json);

    /// <summary>Reads and validates a rule set; on failure, every error with the JSON path of the value at fault.</summary>
    public static (RuleSet? RuleSet, IReadOnlyList<RuleSetError> Errors) Parse(ReadOnlySpan<byte> json, FactCatalog catalog)
    {
        RuleSetDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<RuleSetDocument>(json, Json);
        }
        catch (JsonException e)
        {
            return (null, [new RuleSetError(e.Path ?? "$", Plain(e.Message))]);
        }

        if (document is null)
        {
            return (null, [new RuleSetError("$", "The rule set is empty.")]);
        }

        var errors = new List<RuleSetError>();
        Require(RegistryNames.IsName(document.Name), "$.name", "must be 1–63 lowercase letters, digits or hyphens.", errors);
        CheckTiers(document.Tiers, errors);
        if (document.Limits is null)
        {
            errors.Add(new RuleSetError("$.limits", "is required."));
        }
        else
        {
            Require(document.Limits.MaxDebtToIncome is > 0 and <= 1, "$.limits.maxDebtToIncome", "must be above 0 and at most 1.", errors);
            Require(document.Limits.RoundDownTo >= 1, "$.limits.roundDownTo", "must be at least 1 yuan.", errors);
        }

        var tables = new List<CompiledTable>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<DecisionTable> documentTables = document.Tables ?? [];
        Require(document.Tables is not null, "$.tables", "is required (it may be an empty list).", errors);
        for (int t = 0; t < documentTables.Count; t++)
        {
            DecisionTable table = documentTables[t];
            string at = $"$.tables[{t}]";
            Require(!string.IsNullOrWhiteSpace(table.Name), $"{at}.name", "is required.", errors);
            Require(table.HitPolicy is HitPolicies.First or HitPolicies.Priority or HitPolicies.Collect, $"{at}.hitPolicy", "must be first, priority or collect.", errors);
            var rules = new List<CompiledRule>();
            IReadOnlyList<Rule> documentRules = table.Rules ?? [];
            Require(table.Rules is not null, $"{at}.rules", "is required.", errors);
            for (int r = 0; r < documentRules.Count; r++)
            {
                Rule rule = documentRules[r];
                string ra = $"{at}.rules[{r}]";
                if (string.IsNullOrWhiteSpace(rule.Id))
                {
                    errors.Add(new RuleSetError($"{ra}.id", "is required."));
                }
                else if (!ids.Add(rule.Id))
                {
                    errors.Add(new RuleSetError($"{ra}.id", $"'{rule.Id}' is used by another rule."));
                }

                Require(rule.Action is null || CreditOutcomes.TryParse(rule.Action, out _), $"{ra}.action", "must be approve, review or decline.", errors);
                Require(rule.LimitFactor is null or (>= 0 and <= 10), $"{ra}.limitFactor", "must be from 0 to 10.", errors);
                Require(rule.RateDelta is null or (>= -1 and <= 1), $"{ra}.rateDelta", "must be from -1 to 1.", errors);
                Require(rule.Action is not null || rule.LimitFactor is not null || rule.RateDelta is not null || rule.Reason is not null,
                    ra, "does nothing: give it an action, a reason, a limitFactor or a rateDelta.", errors);
                if (string.IsNullOrWhiteSpace(rule.When))
                {
                    errors.Add(new RuleSetError($"{ra}.when", "is required."));
                    continue;
                }

                (Expression? condition, var problems) = Expression.Compile(rule.When, catalog);
                errors.AddRange(problems.Select(p => new RuleSetError($"{ra}.when", $"at {p.Position}: {p.Message}")));
                if (condition is not null && condition.Type != FactType.Bool)
                {
                    errors.Add(new RuleSetError($"{ra}.when", "must be a condition (true or false), not a value."));
                }
                else if (condition is not null)
                {
                    rules.Add(new CompiledRule(rule, condition));
                }
            }

            tables.Add(new CompiledTable(table, rules));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        byte[] canonical = JsonSerializer.SerializeToUtf8Bytes(document, Json);
        return (new RuleSet(document, Convert.ToHexStringLower(SHA256.HashData(canonical))[..16], tables), []);
    }

    static void CheckTiers(IReadOnlyList<TierRule>? tiers, List<RuleSetError> errors)
    {
        if (tiers is null || tiers.Count == 0)
        {
            errors.Add(new RuleSetError("$.tiers", "needs at least one tier."));
            return;
        }

        double previous = 0;
        for (int i = 0; i < tiers.Count; i++)
        {
            TierRule tier = tiers[i];
            string at = $"$.tiers[{i}]";
            Require(!string.IsNullOrWhiteSpace(tier.Tier), $"{at}.tier", "is required.", errors);
            bool last = i == tiers.Count - 1;
            if (last)
            {
                Require(tier.Below is null, $"{at}.below", "must be left out on the last tier, which takes everyone left.", errors);
            }
            else if (tier.Below is not { } below || below <= previous || below > 1)
            {
                errors.Add(new RuleSetError($"{at}.below", $"must be a probability above {previous} and at most 1, rising from tier to tier."));
            }
            else
            {
                previous = below;
            }

            Require(CreditOutcomes.TryParse(tier.Action, out _), $"{at}.action", "must be approve, review or decline.", errors);
            Require(tier.IncomeMultiple is >= 0 and <= 100, $"{at}.incomeMultiple", "must be from 0 to 100.", errors);
            Require(tier.AnnualRate is >= 0 and <= 1, $"{at}.annualRate", "must be from 0 to 1 (0.18 = 18%).", errors);
        }
    }

    static void Require(bool condition, string path, string message, List<RuleSetError> errors)
    {
        if (!condition)
        {
            errors.Add(new RuleSetError(path, message));
        }
    }

    /// <summary>The serializer's message without its own path and position (the path is reported separately).</summary>
    static string Plain(string message) => message.Split(" Path: ")[0];
}

/// <summary>The hit policies.</summary>
public static class HitPolicies
{
    /// <summary>The first matching rule fires.</summary>
    public const string First = "first";

    /// <summary>The matching rule with the highest priority fires (the earlier one on a tie).</summary>
    public const string Priority = "priority";

    /// <summary>Every matching rule fires.</summary>
    public const string Collect = "collect";
}

/// <summary>A table with its rules compiled.</summary>
public sealed record CompiledTable(DecisionTable Table, IReadOnlyList<CompiledRule> Rules);

/// <summary>A rule with its condition compiled.</summary>
public sealed record CompiledRule(Rule Rule, Expression Condition);
