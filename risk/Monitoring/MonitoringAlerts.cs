using JisuDai.Risk.Outcomes;

namespace JisuDai.Risk.Monitoring;

/// <summary>When monitoring raises an alert. Every threshold is a setting (docs/risk.md lists them).</summary>
/// <param name="Psi">The score's PSI over the window at or above which the population has shifted.</param>
/// <param name="Csi">An input's CSI over the window at or above which it has shifted.</param>
/// <param name="WindowDays">The days stability is judged over, ending on the day measured (one day's traffic is too few to read).</param>
/// <param name="MinimumDecisions">The fewest decisions a stability or approval-rate alert is judged on (fewer: no alert, the figure is noise).</param>
/// <param name="ApprovalRateMovePoints">How many percentage points the approval rate may move from one day to the next.</param>
/// <param name="RuleHitRateFactor">How many times its previous day's hit rate a rule may reach.</param>
/// <param name="MinimumRuleHits">The fewest hits of a rule on a day before its rise is judged.</param>
/// <param name="FirstPaymentDefaultRate">The bad rate of first-payment default on matured loans above which the book alerts.</param>
/// <param name="MinimumMatured">The fewest matured loans the first-payment default rate is judged on.</param>
public sealed record AlertThresholds(
    double Psi = StabilityIndex.ShiftedFrom, double Csi = StabilityIndex.ShiftedFrom, int WindowDays = 7, long MinimumDecisions = 200,
    double ApprovalRateMovePoints = 10, double RuleHitRateFactor = 3, long MinimumRuleHits = 10, double FirstPaymentDefaultRate = 0.15, int MinimumMatured = 50);

/// <summary>A condition monitoring found on a day, worth an alert.</summary>
/// <param name="Rule">Which rule: <see cref="MonitoringAlerts"/>'s names.</param>
/// <param name="Target">What it is about: a model version, an input, a rule, the book.</param>
/// <param name="Day">The day measured.</param>
/// <param name="Value">The figure that crossed the threshold.</param>
/// <param name="Threshold">The threshold.</param>
/// <param name="Detail">What happened, for people.</param>
public sealed record MonitoringFinding(string Rule, string Target, DateOnly Day, double Value, double Threshold, string Detail)
{
    /// <summary>The alert's id: one per rule and target, so a condition that persists is one alert, not one a day.</summary>
    public string AlertId => $"monitoring-{Rule}-{string.Concat(Target.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'))}";
}

/// <summary>
/// The alert rules on monitoring's figures: the score's PSI and each input's CSI over the window, the day's approval
/// rate against the day before, each rule's hit rate against the day before, and the book's first-payment default.
/// </summary>
public static class MonitoringAlerts
{
    /// <summary>The score's PSI over the window reached <see cref="AlertThresholds.Psi"/>.</summary>
    public const string ScoreShift = "psi";

    /// <summary>An input's CSI over the window reached <see cref="AlertThresholds.Csi"/>.</summary>
    public const string InputShift = "csi";

    /// <summary>The approval rate moved more than <see cref="AlertThresholds.ApprovalRateMovePoints"/> points day on day.</summary>
    public const string ApprovalRateMove = "approval-rate-move";

    /// <summary>A rule's hit rate reached <see cref="AlertThresholds.RuleHitRateFactor"/> times the day before's.</summary>
    public const string RuleHitRateRise = "rule-hit-rate";

    /// <summary>First-payment default on matured loans above <see cref="AlertThresholds.FirstPaymentDefaultRate"/>.</summary>
    public const string FirstPaymentDefault = "first-payment-default";

    /// <summary>
    /// What <paramref name="day"/> sets off, given the decision metrics of the window ending on it (<paramref name="metrics"/>
    /// may hold other days too: only the window and the day before are read), each model's baseline, and the book as of it.
    /// </summary>
    public static IReadOnlyList<MonitoringFinding> Evaluate(
        DateOnly day, IReadOnlyList<DailyRiskMetrics> metrics, Func<string, MonitoringBaseline?> baselineOf, PortfolioMetrics? book, AlertThresholds thresholds)
    {
        var findings = new List<MonitoringFinding>();
        DateOnly windowStart = day.AddDays(1 - thresholds.WindowDays);
        foreach (var model in metrics.Where(m => m.Day >= windowStart && m.Day <= day).GroupBy(m => m.ModelVersion, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (baselineOf(model.Key) is not { } baseline || model.Sum(m => m.Decisions) < thresholds.MinimumDecisions)
            {
                continue;
            }

            if (StabilityIndex.Of(baseline.Score.Shares, baseline.Score.Sum(model.Select(m => m.ScoreBins))) is { } psi && psi.Value >= thresholds.Psi)
            {
                findings.Add(new MonitoringFinding(ScoreShift, model.Key, day, psi.Value, thresholds.Psi,
                    $"The score's PSI over the {thresholds.WindowDays} days to {day:yyyy-MM-dd} is {psi.Value:F3} ({psi.Count} decisions) against model {model.Key}'s training baseline."));
            }

            for (int i = 0; i < baseline.Inputs.Count; i++)
            {
                BaselineBins bins = baseline.Inputs[i];
                var counts = bins.Sum(model.Select(m => m.Csi.FirstOrDefault(c => c.Input == bins.Name)?.Bins));
                if (StabilityIndex.Of(bins.Shares, counts) is { } csi && csi.Count >= thresholds.MinimumDecisions && csi.Value >= thresholds.Csi)
                {
                    findings.Add(new MonitoringFinding(InputShift, $"{model.Key}-{bins.Name}", day, csi.Value, thresholds.Csi,
                        $"Input {bins.Name}'s CSI over the {thresholds.WindowDays} days to {day:yyyy-MM-dd} is {csi.Value:F3} against model {model.Key}'s training baseline."));
                }
            }
        }

        var today = metrics.Where(m => m.Day == day).ToList();
        var yesterday = metrics.Where(m => m.Day == day.AddDays(-1)).ToList();
        long todayCount = today.Sum(m => m.Decisions), yesterdayCount = yesterday.Sum(m => m.Decisions);
        if (todayCount >= thresholds.MinimumDecisions && yesterdayCount >= thresholds.MinimumDecisions)
        {
            double now = today.Sum(m => m.Approved) / (double)todayCount, before = yesterday.Sum(m => m.Approved) / (double)yesterdayCount;
            double moved = Math.Abs(now - before) * 100;
            if (moved > thresholds.ApprovalRateMovePoints)
            {
                findings.Add(new MonitoringFinding(ApprovalRateMove, "all", day, moved, thresholds.ApprovalRateMovePoints,
                    $"The approval rate moved from {before:P1} to {now:P1} on {day:yyyy-MM-dd}."));
            }
        }

        if (todayCount > 0 && yesterdayCount > 0)
        {
            var before = Hits(yesterday);
            foreach ((string rule, long hits) in Hits(today).OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                double rate = hits / (double)todayCount;
                double earlier = before.GetValueOrDefault(rule) / (double)yesterdayCount;
                // A rule silent the day before counts as one hit then: from nothing to many is the rise that matters most.
                double floor = Math.Max(earlier, 1.0 / yesterdayCount);
                if (hits >= thresholds.MinimumRuleHits && rate >= thresholds.RuleHitRateFactor * floor)
                {
                    findings.Add(new MonitoringFinding(RuleHitRateRise, rule, day, rate / floor, thresholds.RuleHitRateFactor,
                        $"Rule {rule} fired on {rate:P1} of decisions on {day:yyyy-MM-dd}, {rate / floor:F1} times the day before's {earlier:P1}{(earlier == 0 ? " (counted as one hit)" : "")}."));
                }
            }
        }

        if (book?.Labels.FirstOrDefault(l => l.Window == OutcomeWindows.FirstPaymentDefault) is { BadRate: { } fpd } summary
            && summary.Matured >= thresholds.MinimumMatured && fpd > thresholds.FirstPaymentDefaultRate)
        {
            findings.Add(new MonitoringFinding(FirstPaymentDefault, "book", day, fpd, thresholds.FirstPaymentDefaultRate,
                $"First-payment default is {fpd:P1} of {summary.Matured} matured loans as of {day:yyyy-MM-dd}."));
        }

        return findings;
    }

    static Dictionary<string, long> Hits(IEnumerable<DailyRiskMetrics> day)
    {
        var hits = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (RuleHitRate r in day.SelectMany(m => m.RuleHits))
        {
            hits[r.Rule] = hits.GetValueOrDefault(r.Rule) + r.Hits;
        }

        return hits;
    }
}
