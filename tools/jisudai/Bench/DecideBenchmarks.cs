using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using JisuDai.Lending;
using JisuDai.Lending.Products;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;
using JisuDai.Risk.Rules;
using JisuDai.Risk.Scoring;

namespace JisuDai.Tools.Bench;

/// <summary>
/// <c>jisudai bench decide</c>: a full decision in process with a 200-rule set: application fields mapped, scored by the
/// default model, facts built, every table evaluated, limit and price worked out within the product and its APR cap.
/// Stores are left out (checks are given). Then the same with a challenger scoring in shadow (the application mapped for
/// it and scored, as while a challenger runs; the shadow model is a second copy of the default model, the size of a real
/// challenger), so the figures show what shadow scoring adds. Progress on stderr, one JSON object on stdout.
/// </summary>
static class DecideBenchmarks
{
    public static string Run(int samples)
    {
        Console.Error.WriteLine("Training the default model...");
        ModelBundle bundle = DefaultModel.Train();
        var scorer = new CreditScorer(bundle);
        var shadowScorer = new CreditScorer(bundle);
        FactCatalog catalog = DecisionFacts.Catalog(scorer.Features);
        RuleSet rules = RuleSet.Parse(TwoHundredRules(), catalog).RuleSet ?? throw new InvalidOperationException("The benchmark's rule set is invalid.");

        var application = new Dictionary<string, string?>
        {
            ["termMonths"] = "12", ["amount"] = "15000", ["age"] = "34", ["housing"] = "own", ["purpose"] = "used-car",
            ["employmentYears"] = "6", ["checkingBalance"] = "900", ["savingsBalance"] = "3000", ["creditHistory"] = "critical",
            ["otherParties"] = "none", ["property"] = "car", ["otherInstallmentPlans"] = "none", ["installmentToIncomePercent"] = "18",
            ["existingLoans"] = "1", ["job"] = "skilled", ["dependents"] = "1", ["yearsAtAddress"] = "4", ["hasRegisteredPhone"] = "true",
            ["monthlyIncome"] = "15000", ["monthlyDebtPayments"] = "800", ["productCode"] = "express", ["channel"] = "app",
        };
        var modelFields = scorer.Features.Fields.ToHashSet(StringComparer.Ordinal);
        var checks = CheckResults.Clean;
        var on = new DateOnly(2026, 11, 25);
        DecisionResult Decide() => DecideWith(false);
        DecisionResult DecideWith(bool shadow)
        {
            var fields = new Dictionary<string, string?>(application.Count);
            foreach ((string k, string? v) in application)
            {
                if (modelFields.Contains(k))
                {
                    fields[k] = v;
                }
            }

            ScoreResult score = scorer.Score(scorer.Features.Map(fields).Value!);
            if (shadow)
            {
                FeatureVector shadowInputs = shadowScorer.Features.Map(fields).Value!;
                GC.KeepAlive(shadowScorer.Score(shadowInputs));
                GC.KeepAlive(shadowInputs.ToRecord(shadowScorer.Inputs));
            }

            return DecisionEngine.Decide(rules, catalog, new DecisionRequest(application, checks, new CustomerHistory(690), BuiltInProducts.Express, on), score);
        }

        DecisionResult sample = Decide();
        Console.Error.WriteLine($"Rule set: {rules.RuleCount} rules in {rules.Tables.Count} tables; this application: {sample.Outcome}, tier {sample.Tier}, {sample.Fired.Count} rules fired.");
        Console.Error.WriteLine($"Warming up, then timing {samples:N0} decisions...");
        for (int i = 0; i < 5_000; i++)
        {
            Decide();
        }

        double[] Time(bool shadow)
        {
            for (int i = 0; i < 5_000; i++)
            {
                DecideWith(shadow);
            }

            var times = new double[samples];
            for (int i = 0; i < samples; i++)
            {
                long start = Stopwatch.GetTimestamp();
                DecideWith(shadow);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            Array.Sort(times);
            return times;
        }

        double[] latencies = Time(false);
        Console.Error.WriteLine($"Again with a challenger scoring in shadow, {samples:N0} decisions...");
        double[] shadowed = Time(true);
        Console.Error.WriteLine($"Baseline: the bare ML.NET engine call, {samples:N0} times...");
        Latency baseline = EngineBaseline.Time(bundle, samples,
            "the bare ML.NET PredictionEngine.Predict of the model's trees on one laid-out row (no mapping, scorecard, reasons or rules)");
        return BenchOutput.Json(new
        {
            machine = BenchOutput.Machine,
            model = new { bundle.Name, bundle.Version, champion = bundle.Report.Champion },
            ruleSet = new { rules = rules.RuleCount, tables = rules.Tables.Count, fired = sample.Fired.Count, outcome = sample.Outcome },
            decide = Latency.Of("map fields, score (scorecard, trees, blend, reasons), build facts, evaluate 200 rules, limit and price with the APR check", latencies, baseline),
            baseline,
            decideWithShadow = new
            {
                what = "the same, and a challenger's mapping and score in shadow with its inputs recorded",
                samples,
                p50Microseconds = BenchOutput.Percentile(shadowed, 0.50),
                p99Microseconds = BenchOutput.Percentile(shadowed, 0.99),
                p50Ratio = Math.Round(BenchOutput.Percentile(shadowed, 0.50) / BenchOutput.Percentile(latencies, 0.50), 3),
            },
        });
    }

    /// <summary>The default rules plus generated ones over the same facts, to 200 rules, spread over collect and priority tables.</summary>
    static byte[] TwoHundredRules()
    {
        JsonNode doc = JsonNode.Parse(DefaultModel.RulesJson())!;
        var tables = doc["tables"]!.AsArray();
        int count = tables.Sum(t => t!["rules"]!.AsArray().Count);
        string[] templates =
        [
            "application.amount > {0} and score.pd < 0.{1}",
            "application.monthlyIncome >= {0} and tier == 'low'",
            "application.purpose in ['new-car', 'used-car', 'furniture'] and application.termMonths > {2}",
            "derived.debtToIncome > 0.{1} or velocity.phone.h24 >= {2}",
            "customer.behaviourScore >= {0} and not checks.blacklisted",
            "min(application.amount, application.monthlyIncome * 3) > {0} and application.age between_placeholder",
        ];
        for (int t = 0; count < 200; t++)
        {
            var rules = new JsonArray();
            for (int i = 0; i < 25 && count < 200; i++, count++)
            {
                int n = count * 37 % 997;
                string when = string.Format(CultureInfo.InvariantCulture, templates[count % templates.Length], 500 + n * 40, 10 + n % 80, 3 + n % 20)
                    .Replace("between_placeholder", $"> {18 + n % 40}");
                rules.Add(new JsonObject
                {
                    ["id"] = $"GEN-{count:000}",
                    ["when"] = when,
                    ["limitFactor"] = 1 - n % 5 / 100.0,
                    ["rateDelta"] = n % 3 / 1000.0,
                    ["priority"] = n % 10,
                });
            }

            tables.Add(new JsonObject { ["name"] = $"generated-{t}", ["hitPolicy"] = t % 2 == 0 ? "collect" : "priority", ["rules"] = rules });
        }

        return JsonSerializer.SerializeToUtf8Bytes(doc);
    }

}
