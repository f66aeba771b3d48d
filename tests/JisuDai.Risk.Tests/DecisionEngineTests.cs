using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Rules;
using JisuDai.Risk.Scoring;

namespace JisuDai.Risk.Tests;

/// <summary>Rule sets (validation, hit policies, tiers) and the engine's limits and prices.</summary>
[Collection(DefaultModelCollection.Name)]
public sealed class DecisionEngineTests(DefaultModelFixture fixture)
{
    static readonly DateOnly Today = new(2026, 11, 25);
    static readonly LoanProduct Express = BuiltInProducts.Express;

    FactCatalog Catalog => DecisionFacts.Catalog(new CreditScorer(fixture.Bundle).Features);

    RuleSet Rules(string json)
    {
        (RuleSet? rules, var errors) = RuleSet.Parse(Encoding.UTF8.GetBytes(json), Catalog);
        Assert.True(rules is not null, string.Join("; ", errors));
        return rules;
    }

    RuleSet Default => Rules(Encoding.UTF8.GetString(DefaultModel.RulesJson()));

    static ScoreResult Score(double pd) => new(pd, 500, ScoreResult.BandOf(pd), [], "0123456789abcdef");

    static DecisionRequest Request(Dictionary<string, string?>? fields = null, CheckResults? checks = null, CustomerHistory? customer = null)
    {
        var application = new Dictionary<string, string?>
        {
            ["amount"] = "20000", ["termMonths"] = "12", ["age"] = "35", ["monthlyIncome"] = "10000", ["monthlyDebtPayments"] = "1000",
        };
        foreach ((string k, string? v) in fields ?? [])
        {
            application[k] = v;
        }

        return new DecisionRequest(application, checks ?? CheckResults.Clean, customer, Express, Today);
    }

    static string Tables(string hitPolicy, string rules) => $$"""
        {
          "name": "test", "effectiveFrom": "2026-01-01T00:00:00Z",
          "tiers": [ { "tier": "low", "below": 0.1, "action": "approve", "incomeMultiple": 5, "annualRate": 0.12 },
                     { "tier": "high", "action": "decline", "incomeMultiple": 0, "annualRate": 0.24 } ],
          "limits": { "maxDebtToIncome": 0.5 },
          "tables": [ { "name": "t", "hitPolicy": "{{hitPolicy}}", "rules": [ {{rules}} ] } ]
        }
        """;

    const string ThreeRules = """
        { "id": "A", "when": "application.age > 20", "reason": "A", "priority": 1 },
        { "id": "B", "when": "application.age > 30", "reason": "B", "priority": 5 },
        { "id": "C", "when": "application.age > 40", "reason": "C", "priority": 5 },
        { "id": "D", "when": "application.age > 30", "reason": "D", "priority": 5 }
        """;

    [Theory]
    [InlineData("first", "A")]
    [InlineData("priority", "B")]
    [InlineData("collect", "A,B,D")]
    public void Each_hit_policy_fires_the_rules_it_should(string hitPolicy, string expected)
    {
        DecisionResult result = DecisionEngine.Decide(Rules(Tables(hitPolicy, ThreeRules)), Catalog, Request(), Score(0.05));

        Assert.Equal(expected.Split(','), result.Fired.Select(f => f.RuleId));
        Assert.Equal(expected.Split(','), result.Reasons);
    }

    [Fact]
    public void The_most_severe_action_wins_and_limit_factors_multiply_and_rate_deltas_add()
    {
        RuleSet rules = Rules(Tables("collect", """
            { "id": "R1", "when": "application.age > 30", "action": "review", "reason": "OLDER", "limitFactor": 0.5, "rateDelta": 0.02 },
            { "id": "R2", "when": "application.age > 20", "action": "approve", "limitFactor": 0.8, "rateDelta": 0.01 }
            """));

        DecisionResult result = DecisionEngine.Decide(rules, Catalog, Request(), Score(0.05));

        Assert.Equal(CreditOutcome.Review, result.Outcome);
        // Income 10,000 × 5 = 50,000; the debt-to-income room of 0.5 × 10,000 − 1,000 = 4,000 a month repays 44,317
        // over 12 months at 15%; the smaller, × 0.5 × 0.8 = 17,727, rounded down to 100.
        Assert.Equal(0.15m, result.AnnualRate);
        Assert.Equal(17_700m, result.Limit);
        Assert.Equal(17_700m, result.OfferAmount);
    }

    [Theory]
    [InlineData(0.1199999, "low")]
    [InlineData(0.12, "medium")]
    [InlineData(0.2999999, "medium")]
    [InlineData(0.30, "high")]
    [InlineData(0.5999, "high")]
    [InlineData(0.60, "very-high")]
    [InlineData(0.99, "very-high")]
    public void Tier_cut_offs_put_a_boundary_in_the_riskier_tier(double pd, string tier)
    {
        Assert.Equal(tier, DecisionEngine.TierOf(Default, pd).Tier);
    }

    [Fact]
    public void The_default_rules_approve_a_low_risk_applicant_review_a_medium_and_decline_and_blacklist_a_very_high_one()
    {
        DecisionResult low = DecisionEngine.Decide(Default, Catalog, Request(), Score(0.05));
        DecisionResult medium = DecisionEngine.Decide(Default, Catalog, Request(), Score(0.2));
        DecisionResult veryHigh = DecisionEngine.Decide(Default, Catalog, Request(), Score(0.7));

        Assert.Equal((CreditOutcome.Approve, "low"), (low.Outcome, low.Tier));
        Assert.Equal(["ADJ-NEW-CUSTOMER"], low.Fired.Select(f => f.RuleId));
        Assert.True(low.Limit > 0 && low.AnnualRate == 0.12m);
        Assert.Equal((CreditOutcome.Review, "medium"), (medium.Outcome, medium.Tier));
        Assert.Equal((CreditOutcome.Decline, 0m, 0m), (veryHigh.Outcome, veryHigh.Limit, veryHigh.AnnualRate));
        Assert.True(veryHigh.Blacklist && veryHigh.Alert);
        Assert.Equal([ReasonCodes.RiskTier], veryHigh.Reasons);
    }

    [Fact]
    public void The_default_rules_decline_blacklisted_and_under_age_applicants_and_review_shared_devices()
    {
        var blacklisted = CheckResults.Clean with { Blacklist = [new BlacklistHit("phone", "bureau", "fraud", 1)] };
        DecisionResult listed = DecisionEngine.Decide(Default, Catalog, Request(checks: blacklisted), Score(0.05));
        DecisionResult minor = DecisionEngine.Decide(Default, Catalog, Request(new() { ["age"] = "17" }), Score(0.05));
        DecisionResult shared = DecisionEngine.Decide(Default, Catalog, Request(checks: CheckResults.Clean with { DeviceCustomers = 3 }), Score(0.05));
        DecisionResult noIncome = DecisionEngine.Decide(Default, Catalog, Request(new() { ["monthlyIncome"] = null }), Score(0.05));

        Assert.Equal((CreditOutcome.Decline, "BLACKLISTED"), (listed.Outcome, listed.Reasons[0]));
        Assert.Equal((CreditOutcome.Decline, "AGE_BELOW_MINIMUM"), (minor.Outcome, minor.Reasons[0]));
        Assert.Equal((CreditOutcome.Review, "DEVICE_SHARED"), (shared.Outcome, shared.Reasons[0]));
        Assert.Equal(CreditOutcome.Decline, noIncome.Outcome);
        Assert.Contains("INCOME_MISSING", noIncome.Reasons);
    }

    [Fact]
    public void A_returning_customer_with_a_good_history_gets_a_higher_limit_at_a_lower_rate()
    {
        DecisionResult first = DecisionEngine.Decide(Default, Catalog, Request(new() { ["monthlyDebtPayments"] = "0" }), Score(0.05));
        DecisionResult returning = DecisionEngine.Decide(Default, Catalog, Request(new() { ["monthlyDebtPayments"] = "0" }, customer: new CustomerHistory(720)), Score(0.05));

        Assert.True(returning.Limit > first.Limit, $"{returning.Limit} vs {first.Limit}");
        Assert.Equal(first.AnnualRate - 0.01m, returning.AnnualRate);
    }

    [Fact]
    public void A_limit_under_the_product_minimum_is_a_decline_with_its_reason()
    {
        DecisionResult result = DecisionEngine.Decide(Default, Catalog, Request(new() { ["monthlyIncome"] = "2100", ["monthlyDebtPayments"] = "1000" }), Score(0.05));

        Assert.Equal(CreditOutcome.Decline, result.Outcome);
        Assert.Contains(ReasonCodes.LimitBelowMinimum, result.Reasons);
    }

    [Fact]
    public void Limits_never_exceed_the_product_and_offers_never_exceed_the_APR_cap()
    {
        RuleSet rules = Rules(Tables("collect", """
            { "id": "UP", "when": "application.age > 0", "limitFactor": 10, "rateDelta": 0.5 }
            """).Replace("\"annualRate\": 0.12", "\"annualRate\": 0.3"));
        Gen.Select(Gen.Double[0.0, 0.0999], Gen.Int[2_000, 1_000_000], Gen.Int[0, 3_000], Gen.Int[100, 100_000], Gen.Int[1, 40])
            .Sample((pd, income, debt, amount, term) =>
            {
                DecisionResult r = DecisionEngine.Decide(rules, Catalog, Request(new()
                {
                    ["monthlyIncome"] = income.ToString(), ["monthlyDebtPayments"] = debt.ToString(),
                    ["amount"] = amount.ToString(), ["termMonths"] = term.ToString(),
                }), Score(pd));
                if (r.Outcome == CreditOutcome.Decline)
                {
                    return r.Limit == 0 && r.OfferAmount == 0;
                }

                var priced = Offers.Price(Express, Offers.TermsFor(Express, r.OfferAmount, r.TermMonths, r.AnnualRate), Today);
                return r.Limit <= Express.MaxAmount && r.OfferAmount <= r.Limit && r.OfferAmount >= Express.MinAmount
                    && r.AnnualRate <= Express.MaxAnnualRate && r.AnnualRate >= Express.MinAnnualRate
                    && priced.Succeeded && priced.Value!.Apr <= Express.AprCap;
            }, iter: 300);
    }

    [Fact]
    public void Deciding_twice_gives_the_same_decision()
    {
        DecisionRequest request = Request(new() { ["age"] = "70" }, customer: new CustomerHistory(710));
        DecisionResult a = DecisionEngine.Decide(Default, Catalog, request, Score(0.11));
        DecisionResult b = DecisionEngine.Decide(Default, Catalog, request, Score(0.11));

        Assert.Equal(a with { Fired = [], Reasons = [] }, b with { Fired = [], Reasons = [] });
        Assert.Equal(a.Fired, b.Fired);
        Assert.Equal(a.Reasons, b.Reasons);
    }

    [Fact]
    public void An_invalid_rule_set_is_refused_with_the_JSON_path_of_every_error()
    {
        JsonNode doc = JsonNode.Parse(DefaultModel.RulesJson())!;
        doc["name"] = "Not A Name";
        doc["tiers"]![1]!["below"] = 0.05;
        doc["tiers"]![3]!["below"] = 0.9;
        doc["tables"]![0]!["hitPolicy"] = "any";
        doc["tables"]![0]!["rules"]![1]!["id"] = "POL-AGE-MIN";
        doc["tables"]![1]!["rules"]![0]!["when"] = "checks.blacklisted and application.salary > 1";
        doc["tables"]![1]!["rules"]![1]!["when"] = "velocity.idNumber.d30 + 1";
        doc["tables"]![2]!["rules"]![0]!["limitFactor"] = 50;

        (RuleSet? rules, var errors) = RuleSet.Parse(Encoding.UTF8.GetBytes(doc.ToJsonString()), Catalog);

        Assert.Null(rules);
        Assert.Equal(
        [
            "$.name",
            "$.tiers[1].below",
            "$.tiers[3].below",
            "$.tables[0].hitPolicy",
            "$.tables[0].rules[1].id",
            "$.tables[1].rules[0].when",
            "$.tables[1].rules[1].when",
            "$.tables[2].rules[0].limitFactor",
        ], errors.Select(e => e.Path));
        Assert.Equal("at 23: Unknown fact 'application.salary'.", errors.Single(e => e.Path == "$.tables[1].rules[0].when").Message);
    }

    [Theory]
    [InlineData("""{"name":"x","effectiveFrom":"2026-01-01T00:00:00Z","tiers":[],"limits":{"maxDebtToIncome":0.5},"tables":[],"extra":1}""", "$.extra")]
    [InlineData("""{"name":"x","effectiveFrom":"2026-01-01T00:00:00Z","tiers":[{"tier":"a","action":"approve","incomeMultiple":"six","annualRate":0.1}],"limits":{"maxDebtToIncome":0.5},"tables":[]}""", "$.tiers[0].incomeMultiple")]
    [InlineData("""{"name":"x","tiers":[],"limits":{"maxDebtToIncome":0.5},"tables":[]}""", "$")]
    [InlineData("""{"name":"x",""", "$")]
    public void Malformed_JSON_is_refused_with_its_path(string json, string path)
    {
        (RuleSet? rules, var errors) = RuleSet.Parse(Encoding.UTF8.GetBytes(json), Catalog);

        Assert.Null(rules);
        Assert.Equal(path, Assert.Single(errors).Path);
    }

    [Fact]
    public void The_version_is_a_hash_of_the_content()
    {
        byte[] json = DefaultModel.RulesJson();
        JsonNode changed = JsonNode.Parse(json)!;
        changed["description"] = "changed";

        Assert.Equal(Default.Version, Rules(Encoding.UTF8.GetString(json)).Version);
        Assert.NotEqual(Default.Version, Rules(changed.ToJsonString()).Version);
        Assert.Matches("^[0-9a-f]{16}$", Default.Version);
    }
}
