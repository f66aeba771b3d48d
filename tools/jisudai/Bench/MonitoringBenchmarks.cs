using System.Diagnostics;
using JisuDai.Lending.Applications;
using JisuDai.Risk.Data;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;
using JisuDai.Risk.Monitoring;
using JisuDai.Risk.Scoring;

namespace JisuDai.Tools.Bench;

/// <summary>
/// <c>jisudai bench monitoring</c>: the nightly decision metrics in process. N decisions (the default model's training
/// rows, scored, spread over 30 days and two rule-set versions, with one or two fired rules each) go through the
/// <see cref="DecisionTally"/> (rates, rule hits, score PSI bins, every input's CSI bins), and again with each decision's
/// recorded inputs read back from their stored form first, as the monitoring run does. The same-run baseline is a bare
/// pass over the same decisions that only counts outcomes and sums scores. Progress on stderr, one JSON object on stdout.
/// </summary>
static class MonitoringBenchmarks
{
    public static string Run(int decisions)
    {
        Console.Error.WriteLine("Training the default model...");
        ModelBundle bundle = DefaultModel.Train();
        var scorer = new CreditScorer(bundle);
        using TextReader text = DefaultModel.OpenData();
        CreditDataset data = CreditDataset.Prepare(TabularText.Read(text, DefaultModel.DataName), DefaultModel.Options, DefaultModel.DataName);

        var start = new DateOnly(2026, 11, 1);
        FiredRule[] rules = [new("limits", "base", null, null, 1, null), new("fraud", "velocity", "review", "VELOCITY", null, null), new("policy", "age", "decline", "AGE", null, null)];
        var distinct = new MonitoredDecision[data.Count];
        var recorded = new IReadOnlyDictionary<string, string?>[data.Count];
        for (int r = 0; r < data.Count; r++)
        {
            FeatureVector inputs = FeatureVector.Of(data, r, scorer.Inputs);
            ScoreResult score = scorer.Score(inputs);
            CreditOutcome outcome = score.ProbabilityOfDefault < 0.2 ? CreditOutcome.Approve : score.ProbabilityOfDefault < 0.4 ? CreditOutcome.Review : CreditOutcome.Decline;
            distinct[r] = new MonitoredDecision(start.AddDays(r % 30), scorer.Version, r % 2 == 0 ? "r1" : "r2", outcome, score.Score,
                r % 3 == 0 ? [rules[0], rules[1 + r % 2]] : [rules[0]], inputs);
            recorded[r] = inputs.ToRecord(scorer.Inputs);
        }

        MonitoringBaseline baseline = bundle.Report.Baseline ?? throw new InvalidOperationException("The default model has no monitoring baseline.");
        Console.Error.WriteLine($"Timing {decisions:N0} decisions: bare pass, tally, and tally of recorded inputs...");

        (double Seconds, long Check) Bare()
        {
            long started = Stopwatch.GetTimestamp(), approved = 0, sum = 0;
            for (int i = 0; i < decisions; i++)
            {
                ref readonly MonitoredDecision d = ref distinct[i % distinct.Length];
                sum += d.Score;
                approved += d.Outcome == CreditOutcome.Approve ? 1 : 0;
            }

            return (Stopwatch.GetElapsedTime(started).TotalSeconds, sum + approved);
        }

        (double Seconds, int Segments) Tally(bool fromRecord)
        {
            var tally = new DecisionTally(_ => baseline);
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < decisions; i++)
            {
                int r = i % distinct.Length;
                MonitoredDecision d = distinct[r];
                tally.Add(fromRecord ? d with { Inputs = FeatureVector.FromRecord(recorded[r], scorer.Inputs) } : d);
            }

            int segments = tally.Results().Count;
            return (Stopwatch.GetElapsedTime(started).TotalSeconds, segments);
        }

        Bare();
        Tally(false);
        var bare = Bare();
        var tally = Tally(false);
        Console.Error.WriteLine($"Tally: {decisions / tally.Seconds:N0} decisions/s.");
        var fromRecord = Tally(true);
        return BenchOutput.Json(new
        {
            machine = BenchOutput.Machine,
            model = new { bundle.Name, bundle.Version, inputs = scorer.Inputs.Count },
            decisions,
            segments = tally.Segments,
            baseline = new { what = "bare pass: count outcomes, sum scores", decisionsPerSecond = Math.Round(decisions / bare.Seconds), check = bare.Check },
            tally = new { what = "rates, rule hits, score PSI bins and every input's CSI bins", decisionsPerSecond = Math.Round(decisions / tally.Seconds), seconds = Math.Round(tally.Seconds, 3) },
            tallyOfRecordedInputs = new { what = "as tally, each decision's inputs first read back from the stored record", decisionsPerSecond = Math.Round(decisions / fromRecord.Seconds), seconds = Math.Round(fromRecord.Seconds, 3) },
            tallyOverBaseline = Math.Round(bare.Seconds / tally.Seconds, 4),
        });
    }
}
