using System.Globalization;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Rules;
using JisuDai.Risk.Scoring;

namespace JisuDai.Risk.Decisions;

/// <summary>
/// The facts rules can read (docs/rules.md lists them): the application's fields, the score, the fraud checks, the
/// customer's history and a few derived ratios. The catalogue depends on the model, whose fields are application facts.
/// </summary>
public static class DecisionFacts
{
    /// <summary>Application fields the decision reads beyond the model's: income and debts for limits, the product, the channel.</summary>
    public static IReadOnlyList<(string Field, FactType Type)> DecisionFields { get; } =
    [
        ("amount", FactType.Number), ("termMonths", FactType.Number), ("age", FactType.Number), ("monthlyIncome", FactType.Number),
        ("monthlyDebtPayments", FactType.Number), ("productCode", FactType.Text), ("channel", FactType.Text),
    ];

    /// <summary>The catalogue for a model whose fields are <paramref name="features"/>.</summary>
    public static FactCatalog Catalog(ApplicationFeatures features)
    {
        var facts = new List<(string, FactType)>();
        facts.AddRange(DecisionFields.Select(f => ($"application.{f.Field}", f.Type)));
        facts.AddRange(features.Fields.Select(f => ($"application.{f}", features.IsNumeric(f) ? FactType.Number : FactType.Text)));
        facts.AddRange([("score.pd", FactType.Number), ("score.points", FactType.Number), ("score.band", FactType.Text), ("tier", FactType.Text)]);
        facts.Add(("checks.blacklisted", FactType.Bool));
        facts.AddRange(Blacklist.Kinds.Select(k => ($"checks.blacklist.{k}", FactType.Bool)));
        facts.Add(("checks.deviceCustomers", FactType.Number));
        foreach (string kind in VelocityKinds.All)
        {
            facts.AddRange([($"velocity.{kind}.h1", FactType.Number), ($"velocity.{kind}.h24", FactType.Number), ($"velocity.{kind}.d30", FactType.Number)]);
        }

        facts.AddRange([("customer.existing", FactType.Bool), ("customer.behaviourScore", FactType.Number), ("derived.debtToIncome", FactType.Number)]);
        return new FactCatalog(facts);
    }

    /// <summary>Fills the facts of one decision (all but the tier, which depends on the rule set).</summary>
    public static Facts Of(FactCatalog catalog, IReadOnlyDictionary<string, string?> application, ScoreResult score, CheckResults checks, CustomerHistory? customer)
    {
        Facts facts = catalog.NewFacts();
        foreach ((string field, string? value) in application)
        {
            if (value is null || !catalog.TryGet($"application.{field}", out _, out FactType type))
            {
                continue;
            }

            facts.Set($"application.{field}", type == FactType.Number
                ? double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) ? FactValue.Of(n) : FactValue.Missing
                : FactValue.Of(value));
        }

        facts.Set("score.pd", FactValue.Of(score.ProbabilityOfDefault)).Set("score.points", FactValue.Of(score.Score)).Set("score.band", FactValue.Of(score.Band));
        facts.Set("checks.blacklisted", FactValue.Of(checks.Blacklist.Count > 0));
        foreach (string kind in Blacklist.Kinds)
        {
            facts.Set($"checks.blacklist.{kind}", FactValue.Of(checks.Blacklist.Any(h => h.Kind == kind)));
        }

        facts.Set("checks.deviceCustomers", FactValue.Of(checks.DeviceCustomers));
        foreach ((string kind, VelocityCounts counts) in checks.Velocity)
        {
            facts.Set($"velocity.{kind}.h1", FactValue.Of(counts.LastHour)).Set($"velocity.{kind}.h24", FactValue.Of(counts.Last24Hours)).Set($"velocity.{kind}.d30", FactValue.Of(counts.Last30Days));
        }

        facts.Set("customer.existing", FactValue.Of(customer is not null));
        if (customer?.BehaviourScore is { } behaviour)
        {
            facts.Set("customer.behaviourScore", FactValue.Of(behaviour));
        }

        FactValue income = facts.Get("application.monthlyIncome"), debt = facts.Get("application.monthlyDebtPayments");
        if (!income.IsMissing && income.Number > 0)
        {
            facts.Set("derived.debtToIncome", FactValue.Of((debt.IsMissing ? 0 : debt.Number) / income.Number));
        }

        return facts;
    }
}

/// <summary>What the lender knows of a returning customer.</summary>
/// <param name="BehaviourScore">The internal behaviour score from repayment history, if there is one.</param>
public sealed record CustomerHistory(double? BehaviourScore);
