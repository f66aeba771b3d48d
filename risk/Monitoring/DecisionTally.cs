using JisuDai.Lending.Applications;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Scoring;

namespace JisuDai.Risk.Monitoring;

/// <summary>One decision as monitoring reads it.</summary>
/// <param name="On">The decision date (lender's time zone).</param>
/// <param name="ModelVersion">The model bundle's version.</param>
/// <param name="RuleSetVersion">The rule set's version.</param>
/// <param name="Outcome">Approve, review or decline.</param>
/// <param name="Score">Score points.</param>
/// <param name="Fired">The rules that fired.</param>
/// <param name="Inputs">The model inputs as scored, in the model's input order; null when the decision did not record them.</param>
/// <param name="Arm">Which arm decided: champion or challenger.</param>
public readonly record struct MonitoredDecision(DateOnly On, string ModelVersion, string RuleSetVersion, CreditOutcome Outcome, int Score, IReadOnlyList<FiredRule> Fired, FeatureVector? Inputs,
    string Arm = Models.ModelArms.Champion);

/// <summary>A rule's hits on one day's decisions.</summary>
/// <param name="Rule">The rule: its table and id, as <c>table/ruleId</c>.</param>
/// <param name="Hits">Decisions it fired on.</param>
/// <param name="Rate">Hits over the day's decisions.</param>
public sealed record RuleHitRate(string Rule, long Hits, double Rate);

/// <summary>The characteristic stability index of one model input (null: unavailable, no baseline or no recorded inputs), and the day's counts in its baseline bins.</summary>
public sealed record InputStability(string Input, Stability? Csi, IReadOnlyList<long> Bins);

/// <summary>
/// One day's decisions made with one model version under one rule-set version, in one arm: the rates, the mean score, each rule's
/// hit rate, and the score's PSI and every input's CSI against the model's training baseline. A metric with nothing to
/// compare against is null ("unavailable"), never 0. The counts in the baseline's bins are kept (<paramref name="ScoreBins"/>,
/// <see cref="InputStability.Bins"/>) so that days add up into a window (<see cref="MonitoringAlerts"/>).
/// </summary>
public sealed record DailyRiskMetrics(
    DateOnly Day, string ModelVersion, string RuleSetVersion, long Decisions, long Approved, long Referred, long Declined,
    double ApprovalRate, double ReferralRate, double DeclineRate, double MeanScore, Stability? ScorePsi,
    IReadOnlyList<InputStability> Csi, IReadOnlyList<RuleHitRate> RuleHits, IReadOnlyList<long>? ScoreBins = null, string Arm = Models.ModelArms.Champion);

/// <summary>
/// Adds decisions up into <see cref="DailyRiskMetrics"/>, one per day, model version, rule-set version and arm, in one pass
/// and in memory proportional to the segments (not the decisions): counts per outcome, the score's sum, per-rule hits,
/// and counts in the baseline's bins of the score and every input. Not thread-safe; one tally per run.
/// </summary>
public sealed class DecisionTally(Func<string, MonitoringBaseline?> baselineOf)
{
    readonly Dictionary<(DateOnly, string, string, string), Segment> segments = [];
    readonly Dictionary<string, MonitoringBaseline?> baselines = new(StringComparer.Ordinal);

    sealed class Segment(MonitoringBaseline? baseline)
    {
        public readonly MonitoringBaseline? Baseline = baseline;
        public long Count, Approved, Referred, Declined, ScoreSum, WithInputs;
        public readonly Dictionary<string, long> Rules = new(StringComparer.Ordinal);
        public readonly long[]? ScoreBins = baseline is null ? null : new long[baseline.Score.Count];
        public readonly long[][]? InputBins = baseline?.Inputs.Select(i => new long[i.Count]).ToArray();
    }

    /// <summary>Decisions added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Counts one decision.</summary>
    public void Add(in MonitoredDecision decision)
    {
        var key = (decision.On, decision.ModelVersion, decision.RuleSetVersion, decision.Arm);
        if (!segments.TryGetValue(key, out Segment? segment))
        {
            if (!baselines.TryGetValue(decision.ModelVersion, out MonitoringBaseline? baseline))
            {
                baselines[decision.ModelVersion] = baseline = baselineOf(decision.ModelVersion);
            }

            segments[key] = segment = new Segment(baseline);
        }

        Count++;
        segment.Count++;
        switch (decision.Outcome)
        {
            case CreditOutcome.Approve: segment.Approved++; break;
            case CreditOutcome.Review: segment.Referred++; break;
            default: segment.Declined++; break;
        }

        segment.ScoreSum += decision.Score;
        for (int i = 0; i < decision.Fired.Count; i++)
        {
            FiredRule rule = decision.Fired[i];
            string name = string.Concat(rule.Table, "/", rule.RuleId);
            segment.Rules[name] = segment.Rules.GetValueOrDefault(name) + 1;
        }

        if (segment.Baseline is not { } b)
        {
            return;
        }

        segment.ScoreBins![b.Score.BinOf(decision.Score)]++;
        // Inputs count toward CSI only when recorded and shaped like the baseline (the same model, so always, unless damaged).
        if (decision.Inputs is { } inputs && inputs.Numbers.Length == b.Inputs.Count)
        {
            segment.WithInputs++;
            for (int i = 0; i < b.Inputs.Count; i++)
            {
                BaselineBins bins = b.Inputs[i];
                segment.InputBins![i][bins.Kind == Data.FeatureKind.Numeric ? bins.BinOf(inputs.Numbers[i]) : bins.BinOf(inputs.Categories[i])]++;
            }
        }
    }

    /// <summary>The metrics of every day and segment counted, by day, then model version, rule-set version and arm.</summary>
    public IReadOnlyList<DailyRiskMetrics> Results() => segments
        .OrderBy(s => s.Key.Item1).ThenBy(s => s.Key.Item2, StringComparer.Ordinal).ThenBy(s => s.Key.Item3, StringComparer.Ordinal).ThenBy(s => s.Key.Item4, StringComparer.Ordinal)
        .Select(s => Metrics(s.Key.Item1, s.Key.Item2, s.Key.Item3, s.Key.Item4, s.Value)).ToList();

    static DailyRiskMetrics Metrics(DateOnly day, string model, string rules, string arm, Segment s)
    {
        double n = s.Count;
        var csi = s.Baseline is { } b
            ? b.Inputs.Select((bins, i) => new InputStability(bins.Name, StabilityIndex.Of(bins.Shares, s.InputBins![i]), s.InputBins![i])).ToList()
            : [];
        return new DailyRiskMetrics(day, model, rules, s.Count, s.Approved, s.Referred, s.Declined,
            s.Approved / n, s.Referred / n, s.Declined / n, s.ScoreSum / n,
            s.Baseline is null ? null : StabilityIndex.Of(s.Baseline.Score.Shares, s.ScoreBins!),
            csi,
            s.Rules.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => new RuleHitRate(r.Key, r.Value, r.Value / n)).ToList(),
            s.ScoreBins, arm);
    }
}
