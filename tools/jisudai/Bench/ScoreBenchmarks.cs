using System.Diagnostics;
using JisuDai.Risk.Data;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;
using JisuDai.Risk.Scoring;

namespace JisuDai.Tools.Bench;

/// <summary>
/// <c>jisudai bench score</c>: scoring in process with the default model. One application end to end (field mapping,
/// model, reason codes) as a latency distribution; batch scoring of many applications' inputs as rows per second; and
/// the time to load a bundle from its files into a warm scorer. Progress on stderr, one JSON object on stdout.
/// </summary>
static class ScoreBenchmarks
{
    public static string Run(int samples)
    {
        Console.Error.WriteLine("Training the default model (the same bundle the app trains on first start)...");
        ModelBundle bundle = DefaultModel.Train();
        var files = bundle.Files();

        Console.Error.WriteLine("Model load: bundle files to a warm scorer, 20 times...");
        var loads = new List<double>();
        double firstLoad = 0;
        CreditScorer scorer = null!;
        for (int i = 0; i < 21; i++)
        {
            long start = Stopwatch.GetTimestamp();
            scorer = new CreditScorer(ModelBundle.FromFiles(files));
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (i == 0)
            {
                firstLoad = ms;
            }
            else
            {
                loads.Add(ms);
            }
        }

        var application = new Dictionary<string, string?>
        {
            ["termMonths"] = "24", ["amount"] = "6000", ["age"] = "31", ["housing"] = "rent", ["purpose"] = "electronics",
            ["employmentYears"] = "2.5", ["checkingBalance"] = "150", ["savingsBalance"] = "300", ["creditHistory"] = "current",
            ["otherParties"] = "none", ["property"] = "car", ["otherInstallmentPlans"] = "none", ["installmentToIncomePercent"] = "22",
            ["existingLoans"] = "1", ["job"] = "skilled", ["dependents"] = "1", ["yearsAtAddress"] = "3", ["hasRegisteredPhone"] = "true",
        };

        Console.Error.WriteLine($"One application, end to end: {samples:N0} timed after warm-up...");
        for (int i = 0; i < 20_000; i++)
        {
            scorer.Score(scorer.Features.Map(application).Value!);
        }

        var latencies = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            long start = Stopwatch.GetTimestamp();
            scorer.Score(scorer.Features.Map(application).Value!);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(latencies);

        Console.Error.WriteLine("Batch: the bundled data's 1,000 rows repeated to 200,000, 5 runs...");
        using TextReader text = DefaultModel.OpenData();
        CreditDataset data = CreditDataset.Prepare(TabularText.Read(text, DefaultModel.DataName), DefaultModel.Options, DefaultModel.DataName);
        var rows = Enumerable.Range(0, 200_000).Select(r => FeatureVector.Of(data, r % data.Count, scorer.Inputs)).ToList();
        scorer.ProbabilitiesOfDefault(rows);
        var rates = new List<double>();
        for (int run = 0; run < 5; run++)
        {
            long start = Stopwatch.GetTimestamp();
            scorer.ProbabilitiesOfDefault(rows);
            rates.Add(rows.Count / Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        rates.Sort();
        loads.Sort();
        Console.Error.WriteLine($"Baseline: the bare ML.NET engine call, {samples:N0} times...");
        Latency baseline = EngineBaseline.Time(bundle, samples, "the bare ML.NET PredictionEngine.Predict of the model's trees on one laid-out row (no mapping, scorecard or reasons)");
        return BenchOutput.Json(new
        {
            machine = BenchOutput.Machine,
            model = new { bundle.Name, bundle.Version, champion = bundle.Report.Champion },
            scoreOne = Latency.Of("map 18 application fields, scorecard, trees (pooled PredictionEngine), blend, 4 reason codes", latencies, baseline),
            baseline,
            batch = new { rows = rows.Count, medianRowsPerSecond = rates[rates.Count / 2], bestRowsPerSecond = rates[^1] },
            modelLoad = new { firstInProcessMilliseconds = firstLoad, laterRuns = loads.Count, laterMedianMilliseconds = loads[loads.Count / 2], laterMaxMilliseconds = loads[^1] },
        });
    }
}
