using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;
using JisuDai.Risk.Behaviour;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Rules;
using JisuDai.Risk.Scoring;

namespace JisuDai.Risk.Decisions;

/// <summary>A rule that fired, with what it did.</summary>
public sealed record FiredRule(string Table, string RuleId, string? Action, string? Reason, double? LimitFactor, decimal? RateDelta);

/// <summary>The engine's conclusion.</summary>
/// <param name="Outcome">Approve, review or decline.</param>
/// <param name="Tier">The risk tier.</param>
/// <param name="Limit">The credit limit in yuan (0 when declined).</param>
/// <param name="AnnualRate">The nominal annual rate offered (0 when declined).</param>
/// <param name="OfferAmount">The amount offered: the request, up to the limit.</param>
/// <param name="TermMonths">The term offered.</param>
/// <param name="Fired">Every rule that fired, in order.</param>
/// <param name="Reasons">Reason codes from the rules and the engine, in order, without repeats.</param>
/// <param name="Blacklist">The tier says: add the applicant to the blacklist.</param>
/// <param name="Alert">The tier says: raise an alert.</param>
public sealed record DecisionResult(
    CreditOutcome Outcome, string Tier, decimal Limit, decimal AnnualRate, decimal OfferAmount, int TermMonths,
    IReadOnlyList<FiredRule> Fired, IReadOnlyList<string> Reasons, bool Blacklist, bool Alert);

/// <summary>What a decision is about.</summary>
/// <param name="Application">The application's fields (text; numbers invariant).</param>
/// <param name="Checks">The fraud checks' findings.</param>
/// <param name="Customer">The customer's history, for a returning customer.</param>
/// <param name="Product">The product applied for.</param>
/// <param name="On">The decision date, in the lender's time zone (offers are priced from it).</param>
/// <param name="Behaviour">The customer's behaviour and device features as of the decision, when known.</param>
/// <param name="Bureau">The credit bureau's findings, when the decision recorded them.</param>
public sealed record DecisionRequest(IReadOnlyDictionary<string, string?> Application, CheckResults Checks, CustomerHistory? Customer, LoanProduct Product, DateOnly On,
    BehaviourFeatures? Behaviour = null, Bureau.BureauFindings? Bureau = null);

/// <summary>
/// Turns a score and a rule set into a decision: the tier from the probability of default; the tables' rules by their
/// hit policies; the most severe action of the tier and the rules; the limit from income, debt-to-income, the tier and
/// the rules, within the product's bounds; the rate from the tier and the rules within the product's floor and its APR cap.
/// Pure and deterministic: the same inputs, model and rule set give the same decision, which is what replay relies on.
/// </summary>
public static class DecisionEngine
{
    /// <summary>Decides <paramref name="request"/> with <paramref name="score"/> under <paramref name="rules"/>.</summary>
    public static DecisionResult Decide(RuleSet rules, FactCatalog catalog, DecisionRequest request, ScoreResult score)
    {
        Facts facts = DecisionFacts.Of(catalog, request.Application, score, request.Checks, request.Customer, request.Behaviour, request.Bureau);
        TierRule tier = TierOf(rules, score.ProbabilityOfDefault);
        facts.Set("tier", FactValue.Of(tier.Tier));

        var fired = new List<FiredRule>();
        foreach (CompiledTable table in rules.Tables)
        {
            Fire(table, facts, fired);
        }

        CreditOutcome outcome = CreditOutcomes.Parse(tier.Action);
        var reasons = new List<string>();
        double limitFactor = 1;
        decimal rateDelta = 0;
        foreach (FiredRule rule in fired)
        {
            if (rule.Action is { } action)
            {
                outcome = CreditOutcomes.Worse(outcome, CreditOutcomes.Parse(action));
            }

            if (rule.Reason is { } reason && !reasons.Contains(reason))
            {
                reasons.Add(reason);
            }

            limitFactor *= rule.LimitFactor ?? 1;
            rateDelta += rule.RateDelta ?? 0;
        }

        if (CreditOutcomes.Parse(tier.Action) == CreditOutcome.Decline && !reasons.Contains(ReasonCodes.RiskTier))
        {
            reasons.Insert(0, ReasonCodes.RiskTier);
        }

        LoanProduct product = request.Product;
        int term = Math.Clamp((int)Number(facts, "application.termMonths", product.MinTerm), product.MinTerm, product.MaxTerm);
        decimal rate = Math.Clamp(tier.AnnualRate + rateDelta, product.MinAnnualRate, product.MaxAnnualRate);
        decimal limit = 0, offer = 0;
        if (outcome != CreditOutcome.Decline)
        {
            limit = Limit(rules.Document.Limits, tier, facts, rate, term, limitFactor, product);
            if (limit < product.MinAmount)
            {
                (outcome, limit) = (CreditOutcome.Decline, 0);
                reasons.Add(ReasonCodes.LimitBelowMinimum);
            }
            else
            {
                decimal requested = (decimal)Number(facts, "application.amount", (double)limit);
                offer = Math.Clamp(Math.Min(requested, limit), product.MinAmount, limit);
                decimal? capped = Offers.WithinAprCap(product, Offers.TermsFor(product, offer, term, rate), request.On)?.AnnualRate;
                if (capped is null)
                {
                    (outcome, limit, offer) = (CreditOutcome.Decline, 0, 0);
                    reasons.Add(ReasonCodes.AprCap);
                }
                else
                {
                    rate = capped.Value;
                }
            }
        }

        if (outcome == CreditOutcome.Decline)
        {
            (rate, term) = (0, 0);
        }

        return new DecisionResult(outcome, tier.Tier, limit, rate, offer, term, fired, reasons, tier.Blacklist, tier.Alert);
    }

    /// <summary>The tier of a probability of default.</summary>
    public static TierRule TierOf(RuleSet rules, double probabilityOfDefault) =>
        rules.Document.Tiers.FirstOrDefault(t => t.Below is { } below && probabilityOfDefault < below) ?? rules.Document.Tiers[^1];

    static void Fire(CompiledTable table, Facts facts, List<FiredRule> fired)
    {
        CompiledRule? best = null;
        foreach (CompiledRule rule in table.Rules)
        {
            if (!rule.Condition.Evaluate(facts).IsTrue)
            {
                continue;
            }

            switch (table.Table.HitPolicy)
            {
                case HitPolicies.First:
                    fired.Add(Fired(table, rule));
                    return;
                case HitPolicies.Priority:
                    if (best is null || rule.Rule.Priority > best.Rule.Priority)
                    {
                        best = rule;
                    }

                    break;
                default:
                    fired.Add(Fired(table, rule));
                    break;
            }
        }

        if (best is not null)
        {
            fired.Add(Fired(table, best));
        }
    }

    static FiredRule Fired(CompiledTable table, CompiledRule rule) =>
        new(table.Table.Name, rule.Rule.Id, rule.Rule.Action, rule.Rule.Reason, rule.Rule.LimitFactor, rule.Rule.RateDelta);

    /// <summary>
    /// The smaller of income × the tier's multiple and the principal whose installment fits in the debt-to-income
    /// room left, times the rules' factors, rounded down, at most the product's maximum.
    /// </summary>
    static decimal Limit(LimitPolicy policy, TierRule tier, Facts facts, decimal rate, int term, double factor, LoanProduct product)
    {
        FactValue income = facts.Get("application.monthlyIncome");
        if (income.IsMissing || income.Number <= 0)
        {
            return 0;
        }

        decimal monthlyIncome = (decimal)income.Number;
        decimal debt = (decimal)Number(facts, "application.monthlyDebtPayments", 0);
        decimal byIncome = monthlyIncome * (decimal)tier.IncomeMultiple;
        decimal room = Math.Max(0, policy.MaxDebtToIncome * monthlyIncome - debt);
        decimal monthlyRate = rate / 12;
        decimal byCapacity = monthlyRate == 0
            ? room * term
            : room * (1 - (decimal)Math.Pow((double)(1 + monthlyRate), -term)) / monthlyRate;
        decimal limit = Math.Min(byIncome, byCapacity) * (decimal)factor;
        limit = Math.Floor(limit / policy.RoundDownTo) * policy.RoundDownTo;
        return Math.Min(limit, product.MaxAmount);
    }

    static double Number(Facts facts, string name, double otherwise) => facts.Get(name) is { IsMissing: false } v ? v.Number : otherwise;
}

/// <summary>Reason codes the engine itself adds.</summary>
public static class ReasonCodes
{
    /// <summary>The risk tier's action is decline.</summary>
    public const string RiskTier = "RISK_TIER";

    /// <summary>The limit the applicant qualifies for is below the product's minimum amount.</summary>
    public const string LimitBelowMinimum = "LIMIT_BELOW_PRODUCT_MINIMUM";

    /// <summary>No rate within the product's range keeps the APR under the cap.</summary>
    public const string AprCap = "APR_CAP";
}
