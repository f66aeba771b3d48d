using System.Text.Json.Serialization;
using JisuDai.Risk.Checks;

namespace JisuDai.Risk.Rules;

/// <summary>
/// A rule set as a risk officer writes it (JSON, documented in docs/rules.md): risk tiers with their cut-offs, action,
/// limit and price; the limit policy; and decision tables of rules over the decision's facts.
/// </summary>
/// <param name="Name">The rule set's name (lowercase letters, digits, hyphens).</param>
/// <param name="EffectiveFrom">When this version starts to decide applications.</param>
/// <param name="Description">What changed, for the audit trail.</param>
/// <param name="Tiers">Tiers from the safest, each up to a probability of default; the last has no bound.</param>
/// <param name="Limits">How the credit limit is worked out.</param>
/// <param name="Tables">The decision tables, evaluated in order.</param>
public sealed record RuleSetDocument(
    [property: JsonRequired] string Name,
    [property: JsonRequired] DateTimeOffset EffectiveFrom,
    string? Description,
    [property: JsonRequired] IReadOnlyList<TierRule> Tiers,
    [property: JsonRequired] LimitPolicy Limits,
    [property: JsonRequired] IReadOnlyList<DecisionTable> Tables);

/// <summary>A risk tier: who falls in it and what it gets.</summary>
/// <param name="Tier">Its name: low, medium, high, very-high (or the officer's own).</param>
/// <param name="Below">Applications with a probability of default below this (and not in an earlier tier) fall here; null for the last tier.</param>
/// <param name="Action">approve, review or decline.</param>
/// <param name="IncomeMultiple">The limit as a multiple of monthly income.</param>
/// <param name="AnnualRate">The nominal annual rate offered, before rule adjustments and product bounds.</param>
/// <param name="Blacklist">Add the applicant to the blacklist.</param>
/// <param name="Alert">Raise a fraud/risk alert.</param>
public sealed record TierRule([property: JsonRequired] string Tier, double? Below, [property: JsonRequired] string Action, [property: JsonRequired] double IncomeMultiple, [property: JsonRequired] decimal AnnualRate, bool Blacklist = false, bool Alert = false);

/// <summary>The limit policy.</summary>
/// <param name="MaxDebtToIncome">Most of monthly income that all installments (existing and new) may take.</param>
/// <param name="RoundDownTo">The limit is a multiple of this many yuan.</param>
public sealed record LimitPolicy([property: JsonRequired] decimal MaxDebtToIncome, decimal RoundDownTo = 100);

/// <summary>A decision table.</summary>
/// <param name="Name">Its name, in traces.</param>
/// <param name="HitPolicy">first (the first matching rule fires), priority (the matching rule with the highest priority fires), collect (every matching rule fires).</param>
/// <param name="Rules">Its rules, in order.</param>
public sealed record DecisionTable([property: JsonRequired] string Name, [property: JsonRequired] string HitPolicy, [property: JsonRequired] IReadOnlyList<Rule> Rules);

/// <summary>A rule: a condition and what firing it does.</summary>
/// <param name="Id">Unique in the rule set.</param>
/// <param name="When">The condition, in the rule expression language.</param>
/// <param name="Action">approve, review or decline; null to only adjust the limit or price.</param>
/// <param name="Reason">The reason code it adds.</param>
/// <param name="Priority">For the priority hit policy: higher wins.</param>
/// <param name="LimitFactor">Multiplies the limit (0.5 halves it).</param>
/// <param name="RateDelta">Added to the annual rate (0.01 = one point).</param>
/// <param name="Description">What the rule is for.</param>
public sealed record Rule([property: JsonRequired] string Id, [property: JsonRequired] string When, string? Action = null, string? Reason = null, int Priority = 0, double? LimitFactor = null, decimal? RateDelta = null, string? Description = null);
