using JisuDai.Risk.Data;
using JisuDai.Risk.Monitoring;
using JisuDai.Risk.Outcomes;

namespace JisuDai.Risk.Tests.Monitoring;

/// <summary>The alert rules on days whose figures are made by hand: each rule fires past its threshold and not before.</summary>
public sealed class AlertRuleTests
{
    static readonly DateOnly Today = new(2026, 12, 6);
    static readonly DateOnly Yesterday = Today.AddDays(-1);

    static readonly MonitoringBaseline Baseline = new(
        new BaselineBins(MonitoringBaseline.ScoreName, FeatureKind.Numeric, [600.0], null, [0.5, 0.5, 0]),
        [new BaselineBins("age", FeatureKind.Numeric, [30.0], null, [0.5, 0.5, 0])], 1000);

    static DailyRiskMetrics Day(DateOnly day, long decisions, long approved, long[] scoreBins, long[] ageBins, params RuleHitRate[] rules) =>
        new(day, "m1", "r1", decisions, approved, 0, decisions - approved, approved / (double)decisions, 0, (decisions - approved) / (double)decisions, 600,
            StabilityIndex.Of(Baseline.Score.Shares, scoreBins), [new InputStability("age", StabilityIndex.Of(Baseline.Inputs[0].Shares, ageBins), ageBins)], rules, scoreBins);

    static IReadOnlyList<MonitoringFinding> Evaluate(AlertThresholds thresholds, PortfolioMetrics? book, params DailyRiskMetrics[] days) =>
        MonitoringAlerts.Evaluate(Today, days, v => v == "m1" ? Baseline : null, book, thresholds);

    [Fact]
    public void A_score_shift_alerts_over_the_window_and_an_older_ordinary_week_dilutes_it_below_the_threshold()
    {
        var thresholds = new AlertThresholds(WindowDays: 2, MinimumDecisions: 100);
        // Today 300 decisions, 3 in 4 scoring below 600 against half and half: PSI 0.2747 over today alone.
        DailyRiskMetrics shifted = Day(Today, 300, 150, [225, 75, 0], [150, 150, 0]);
        DailyRiskMetrics ordinary = Day(Yesterday, 3000, 1500, [1500, 1500, 0], [1500, 1500, 0]);

        MonitoringFinding psi = Assert.Single(Evaluate(thresholds with { WindowDays = 1 }, null, shifted, ordinary), f => f.Rule == MonitoringAlerts.ScoreShift);
        Assert.Equal(0.25 * Math.Log(2) + 0.25 * Math.Log(1.5), psi.Value, 9);
        Assert.Equal(("m1", "monitoring-psi-m1"), (psi.Target, psi.AlertId));

        // Over two days the ordinary day outweighs it: 1,725 of 3,300 below 600 is close to half.
        Assert.DoesNotContain(Evaluate(thresholds, null, shifted, ordinary), f => f.Rule == MonitoringAlerts.ScoreShift);

        // Too few decisions to judge: no alert, however shifted.
        Assert.Empty(Evaluate(thresholds with { WindowDays = 1, MinimumDecisions = 301 }, null, shifted));
    }

    [Fact]
    public void An_input_shift_alerts_on_that_input_and_a_model_without_a_baseline_is_never_judged()
    {
        var thresholds = new AlertThresholds(WindowDays: 1, MinimumDecisions: 100);
        DailyRiskMetrics young = Day(Today, 200, 100, [100, 100, 0], [190, 10, 0]);
        MonitoringFinding csi = Assert.Single(Evaluate(thresholds, null, young));
        Assert.Equal((MonitoringAlerts.InputShift, "m1-age"), (csi.Rule, csi.Target));

        Assert.Empty(Evaluate(thresholds, null, young with { ModelVersion = "m0" }));
    }

    [Fact]
    public void The_approval_rate_alerts_when_it_moves_more_than_ten_points_day_on_day()
    {
        var thresholds = new AlertThresholds(MinimumDecisions: 100);
        long[] even = [100, 100, 0];
        // 60% to 49%: 11 points. 60% to 51%: 9 points.
        MonitoringFinding moved = Assert.Single(Evaluate(thresholds, null, Day(Yesterday, 200, 120, even, even), Day(Today, 200, 98, even, even)));
        Assert.Equal((MonitoringAlerts.ApprovalRateMove, "all"), (moved.Rule, moved.Target));
        Assert.Equal(11, moved.Value, 9);
        Assert.Empty(Evaluate(thresholds, null, Day(Yesterday, 200, 120, even, even), Day(Today, 200, 102, even, even)));
    }

    [Fact]
    public void A_rule_whose_hit_rate_triples_alerts_once_it_has_enough_hits()
    {
        var thresholds = new AlertThresholds(MinimumDecisions: 100);
        long[] even = [50, 50, 0];
        DailyRiskMetrics before = Day(Yesterday, 100, 50, even, even, new RuleHitRate("fraud/velocity", 4, 0.04));
        MonitoringFinding rise = Assert.Single(Evaluate(thresholds, null, before, Day(Today, 100, 50, even, even, new RuleHitRate("fraud/velocity", 12, 0.12))));
        Assert.Equal((MonitoringAlerts.RuleHitRateRise, "fraud/velocity", "monitoring-rule-hit-rate-fraud_velocity"), (rise.Rule, rise.Target, rise.AlertId));
        Assert.Equal(3, rise.Value, 9);

        Assert.Empty(Evaluate(thresholds, null, before, Day(Today, 100, 50, even, even, new RuleHitRate("fraud/velocity", 11, 0.11))));

        // Silent the day before, 12 hits today: counted against one hit, a twelvefold rise.
        MonitoringFinding fromNothing = Assert.Single(Evaluate(thresholds, null, Day(Yesterday, 100, 50, even, even), Day(Today, 100, 50, even, even, new RuleHitRate("fraud/velocity", 12, 0.12))));
        Assert.Equal(12, fromNothing.Value, 9);
        Assert.Empty(Evaluate(thresholds with { MinimumRuleHits = 13 }, null, before, Day(Today, 100, 50, even, even, new RuleHitRate("fraud/velocity", 12, 0.12))));
    }

    [Fact]
    public void First_payment_default_alerts_above_its_rate_on_enough_matured_loans()
    {
        PortfolioMetrics Book(int matured, int bad) => new(Today, matured, [], PortfolioMetrics.RollRatesOf([]),
            [new LabelSummary(OutcomeWindows.FirstPaymentDefault, matured, bad, 0, bad / (double)matured)], []);

        MonitoringFinding fpd = Assert.Single(Evaluate(new AlertThresholds(), Book(100, 16)));
        Assert.Equal((MonitoringAlerts.FirstPaymentDefault, 0.16), (fpd.Rule, fpd.Value));
        Assert.Empty(Evaluate(new AlertThresholds(), Book(100, 15)));
        Assert.Empty(Evaluate(new AlertThresholds(), Book(40, 20)));
    }
}
