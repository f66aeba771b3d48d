using System.Globalization;
using System.Runtime.CompilerServices;
using JisuDai.Risk.Behaviour;
using JisuDai.Risk.Bureau;
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

    static readonly ConditionalWeakTable<ApplicationFeatures, FactCatalog> CatalogOf = new();

    /// <summary>
    /// The catalogue for a model whose fields are <paramref name="features"/>: one instance per model, so what is
    /// compiled or looked up against it (rule sets, slots) is done once per model, not once per decision.
    /// </summary>
    public static FactCatalog Catalog(ApplicationFeatures features) => CatalogOf.GetValue(features, Build);

    static FactCatalog Build(ApplicationFeatures features)
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
        facts.AddRange(BehaviourFeatures.Names.Select(b => ($"behaviour.{b.Name}", b.IsFlag ? FactType.Bool : FactType.Number)));
        facts.Add(("bureau.status", FactType.Text));
        facts.AddRange(BureauFindings.NumberNames.Select(n => ($"bureau.{n}", FactType.Number)));
        return new FactCatalog(facts);
    }

    /// <summary>Fills the facts of one decision (all but the tier, which depends on the rule set).</summary>
    public static Facts Of(FactCatalog catalog, IReadOnlyDictionary<string, string?> application, ScoreResult score, CheckResults checks, CustomerHistory? customer,
        BehaviourFeatures? behaviour = null, BureauFindings? bureau = null)
    {
        Slots slots = SlotsOf.GetValue(catalog, c => new Slots(c));
        Facts facts = catalog.NewFacts();
        foreach ((string field, string? value) in application)
        {
            if (value is null || !slots.Application.TryGetValue(field, out var fact))
            {
                continue;
            }

            facts.Set(fact.Slot, fact.Type == FactType.Number
                ? double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) ? FactValue.Of(n) : FactValue.Missing
                : FactValue.Of(value));
        }

        facts.Set(slots.Pd, FactValue.Of(score.ProbabilityOfDefault)).Set(slots.Points, FactValue.Of(score.Score)).Set(slots.Band, FactValue.Of(score.Band));
        facts.Set(slots.Blacklisted, FactValue.Of(checks.Blacklist.Count > 0));
        for (int k = 0; k < Blacklist.Kinds.Count; k++)
        {
            string kind = Blacklist.Kinds[k];
            bool hit = false;
            foreach (BlacklistHit h in checks.Blacklist)
            {
                hit |= h.Kind == kind;
            }

            facts.Set(slots.BlacklistKinds[k], FactValue.Of(hit));
        }

        facts.Set(slots.DeviceCustomers, FactValue.Of(checks.DeviceCustomers));
        foreach ((string kind, VelocityCounts counts) in checks.Velocity)
        {
            if (slots.Velocity.TryGetValue(kind, out var v))
            {
                facts.Set(v.Hour, FactValue.Of(counts.LastHour)).Set(v.Day, FactValue.Of(counts.Last24Hours)).Set(v.Month, FactValue.Of(counts.Last30Days));
            }
        }

        facts.Set(slots.Existing, FactValue.Of(customer is not null));
        if (customer?.BehaviourScore is { } behaviourScore)
        {
            facts.Set(slots.BehaviourScore, FactValue.Of(behaviourScore));
        }

        if (behaviour is not null)
        {
            double?[] values = behaviour.Values();
            for (int b = 0; b < values.Length; b++)
            {
                if (values[b] is { } value)
                {
                    facts.Set(slots.Behaviour[b], BehaviourFeatures.Names[b].IsFlag ? FactValue.Of(value != 0) : FactValue.Of(value));
                }
            }
        }

        if (bureau is not null)
        {
            facts.Set(slots.BureauStatus, FactValue.Of(bureau.Status));
            double?[] numbers = bureau.Numbers();
            for (int n = 0; n < numbers.Length; n++)
            {
                if (numbers[n] is { } value)
                {
                    facts.Set(slots.Bureau[n], FactValue.Of(value));
                }
            }
        }

        FactValue income = facts[slots.Income], debt = facts[slots.Debt];
        if (!income.IsMissing && income.Number > 0)
        {
            facts.Set(slots.DebtToIncome, FactValue.Of((debt.IsMissing ? 0 : debt.Number) / income.Number));
        }

        return facts;
    }

    static readonly ConditionalWeakTable<FactCatalog, Slots> SlotsOf = new();

    /// <summary>The slots of a catalogue's facts, looked up once per catalogue rather than by name per decision.</summary>
    sealed class Slots(FactCatalog c)
    {
        public readonly Dictionary<string, (int Slot, FactType Type)> Application = c.Names
            .Where(n => n.StartsWith("application.", StringComparison.Ordinal))
            .ToDictionary(n => n["application.".Length..], n => (c.SlotOf(n), c.TypeOf(n)), StringComparer.Ordinal);

        public readonly int Pd = c.SlotOf("score.pd"), Points = c.SlotOf("score.points"), Band = c.SlotOf("score.band"),
            Blacklisted = c.SlotOf("checks.blacklisted"), DeviceCustomers = c.SlotOf("checks.deviceCustomers"),
            Existing = c.SlotOf("customer.existing"), BehaviourScore = c.SlotOf("customer.behaviourScore"), DebtToIncome = c.SlotOf("derived.debtToIncome"),
            Income = c.SlotOf("application.monthlyIncome"), Debt = c.SlotOf("application.monthlyDebtPayments");

        public readonly int[] Behaviour = BehaviourFeatures.Names.Select(b => c.SlotOf($"behaviour.{b.Name}")).ToArray();

        public readonly int BureauStatus = c.SlotOf("bureau.status");

        public readonly int[] Bureau = BureauFindings.NumberNames.Select(n => c.SlotOf($"bureau.{n}")).ToArray();

        public readonly int[] BlacklistKinds = Blacklist.Kinds.Select(k => c.SlotOf($"checks.blacklist.{k}")).ToArray();

        public readonly Dictionary<string, (int Hour, int Day, int Month)> Velocity = VelocityKinds.All.ToDictionary(
            k => k, k => (c.SlotOf($"velocity.{k}.h1"), c.SlotOf($"velocity.{k}.h24"), c.SlotOf($"velocity.{k}.d30")), StringComparer.Ordinal);
    }
}

/// <summary>What the lender knows of a returning customer.</summary>
/// <param name="BehaviourScore">The internal behaviour score from repayment history, if there is one.</param>
public sealed record CustomerHistory(double? BehaviourScore);
