using JisuDai.Lending.Applications;
using JisuDai.Risk.Data;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Models;
using JisuDai.Risk.Monitoring;
using JisuDai.Risk.Scoring;

namespace JisuDai.Risk.Tests.Monitoring;

/// <summary>PSI and CSI on distributions whose answer is worked out by hand, the bins training fixes, and the daily tally.</summary>
[Collection(DefaultModelCollection.Name)]
public sealed class StabilityTests(DefaultModelFixture fixture)
{
    [Fact]
    public void The_PSI_of_a_known_shift_is_the_textbook_sum_and_falls_in_its_band()
    {
        // Half and half at training; a quarter and three quarters now: (0.25 − 0.5)·ln(0.5) + (0.75 − 0.5)·ln(1.5).
        Stability shifted = StabilityIndex.Of([0.5, 0.5], [25, 75])!;
        Assert.Equal(0.25 * Math.Log(2) + 0.25 * Math.Log(1.5), shifted.Value, 12);
        Assert.Equal((StabilityBand.Shifted, 100L), (shifted.Band, shifted.Count));

        Stability slight = StabilityIndex.Of([0.5, 0.5], [40, 60])!;
        Assert.Equal(0.1 * Math.Log(0.6 / 0.4), slight.Value, 12);
        Assert.Equal(StabilityBand.Stable, slight.Band);
        Assert.Equal(StabilityBand.Watch, StabilityIndex.Of([0.5, 0.5], [32, 68])!.Band);

        Assert.Equal(0, StabilityIndex.Of([0.2, 0.3, 0.5, 0], [20, 30, 50, 0])!.Value, 12);
    }

    [Fact]
    public void A_bin_empty_on_one_side_counts_at_the_floor_and_nothing_to_compare_is_unavailable_not_zero()
    {
        // All of today's traffic in a bin training never saw: (1 − 0.0001)·ln(1 / 0.0001) + (0.0001 − 1)·ln(0.0001 / 1).
        Stability moved = StabilityIndex.Of([1, 0], [0, 10])!;
        Assert.Equal(2 * (1 - StabilityIndex.ShareFloor) * Math.Log(1 / StabilityIndex.ShareFloor), moved.Value, 9);

        Assert.Null(StabilityIndex.Of([0.5, 0.5], [0, 0]));
        Assert.Null(StabilityIndex.Of(null, [3, 4]));
        Assert.Throws<ArgumentException>(() => StabilityIndex.Of([0.5, 0.5], [1, 2, 3]));
    }

    [Fact]
    public void Numeric_bins_are_deciles_with_a_missing_bin_and_categorical_bins_keep_an_other_bin()
    {
        BaselineBins numbers = BaselineBins.Numeric("age", Enumerable.Range(1, 100).Select(i => (double)i).Append(double.NaN).ToList());
        Assert.Equal([11.0, 21, 31, 41, 51, 61, 71, 81, 91], numbers.Edges);
        Assert.Equal(11, numbers.Count);
        Assert.All(numbers.Shares.Take(10), s => Assert.Equal(10 / 101.0, s, 12));
        Assert.Equal(1 / 101.0, numbers.Shares[10], 12);
        Assert.Equal((0, 0, 1, 9, 9, 10), (numbers.BinOf(-5), numbers.BinOf(10.9), numbers.BinOf(11), numbers.BinOf(91), numbers.BinOf(1e9), numbers.BinOf(double.NaN)));

        // Repeated values give fewer, never empty, bins.
        BaselineBins lumpy = BaselineBins.Numeric("dependents", [.. Enumerable.Repeat(1.0, 80), .. Enumerable.Repeat(2.0, 20)]);
        Assert.Equal([2.0], lumpy.Edges);
        Assert.Equal([0.8, 0.2, 0], lumpy.Shares);

        BaselineBins housing = BaselineBins.Categorical("housing", ["own", "own", "rent", null]);
        Assert.Equal(["own", "rent"], housing.Categories);
        Assert.Equal([0.5, 0.25, 0, 0.25], housing.Shares);
        Assert.Equal((0, 2, 3), (housing.BinOf("own"), housing.BinOf("castle"), housing.BinOf((string?)null)));
    }

    [Fact]
    public void The_default_models_baseline_is_what_live_scoring_gives_on_its_training_rows_so_its_own_data_reads_PSI_zero()
    {
        MonitoringBaseline baseline = fixture.Bundle.Report.Baseline!;
        Assert.Equal(1000, baseline.Rows);
        Assert.Equal(fixture.Bundle.Model.Inputs.Select(i => i.Name), baseline.Inputs.Select(i => i.Name));
        Assert.All(baseline.Inputs.Append(baseline.Score), b => Assert.Equal(1, b.Shares.Sum(), 9));

        var scorer = new CreditScorer(fixture.Bundle);
        var tally = new DecisionTally(v => v == scorer.Version ? baseline : null);
        var day = new DateOnly(2026, 12, 1);
        for (int row = 0; row < fixture.Data.Count; row++)
        {
            FeatureVector inputs = FeatureVector.Of(fixture.Data, row, scorer.Inputs);
            // Through the decision record and back, as monitoring reads it.
            FeatureVector recorded = FeatureVector.FromRecord(inputs.ToRecord(scorer.Inputs), scorer.Inputs);
            tally.Add(new MonitoredDecision(day, scorer.Version, "rules-1", CreditOutcome.Approve, scorer.Score(inputs).Score, [], recorded));
        }

        DailyRiskMetrics metrics = Assert.Single(tally.Results());
        Assert.Equal(0, metrics.ScorePsi!.Value, 9);
        Assert.All(metrics.Csi, c => Assert.Equal(0, c.Csi!.Value, 9));
    }

    [Fact]
    public void The_daily_tally_gives_rates_mean_score_rule_hit_rates_and_a_shifted_inputs_CSI_per_day_model_and_rule_set()
    {
        var inputs = new List<ModelInput> { new("age", FeatureKind.Numeric), new("housing", FeatureKind.Categorical) };
        var baseline = new MonitoringBaseline(
            new BaselineBins(MonitoringBaseline.ScoreName, FeatureKind.Numeric, [600.0], null, [0.5, 0.5, 0]),
            [new BaselineBins("age", FeatureKind.Numeric, [30.0], null, [0.5, 0.5, 0]), new BaselineBins("housing", FeatureKind.Categorical, null, ["own"], [1, 0, 0])],
            100);
        FeatureVector Applicant(double age, string housing)
        {
            var v = new FeatureVector(2);
            v.Numbers[0] = age;
            v.Categories[1] = housing;
            return v;
        }

        var day1 = new DateOnly(2026, 11, 30);
        var day2 = day1.AddDays(1);
        FiredRule income = new("limits", "low-income", "review", "INCOME", null, null);
        var tally = new DecisionTally(v => v == "m1" ? baseline : null);
        tally.Add(new MonitoredDecision(day1, "m1", "r1", CreditOutcome.Approve, 620, [], Applicant(25, "own")));
        tally.Add(new MonitoredDecision(day1, "m1", "r1", CreditOutcome.Approve, 640, [], Applicant(45, "own")));
        tally.Add(new MonitoredDecision(day1, "m1", "r1", CreditOutcome.Review, 580, [income], Applicant(20, "own")));
        tally.Add(new MonitoredDecision(day1, "m1", "r1", CreditOutcome.Decline, 560, [income], Applicant(50, "own")));
        // Day two: everyone is young and rents, under another rule set.
        tally.Add(new MonitoredDecision(day2, "m1", "r2", CreditOutcome.Approve, 610, [], Applicant(22, "rent")));
        tally.Add(new MonitoredDecision(day2, "m1", "r2", CreditOutcome.Approve, 615, [], Applicant(24, "rent")));
        // A model with no baseline: its rates count, its stability is unavailable.
        tally.Add(new MonitoredDecision(day2, "m0", "r2", CreditOutcome.Decline, 500, [], null));

        var results = tally.Results();
        Assert.Equal([(day1, "m1", "r1"), (day2, "m0", "r2"), (day2, "m1", "r2")], results.Select(r => (r.Day, r.ModelVersion, r.RuleSetVersion)));
        DailyRiskMetrics first = results[0];
        Assert.Equal((4L, 2L, 1L, 1L, 0.5, 0.25, 0.25, 600.0), (first.Decisions, first.Approved, first.Referred, first.Declined, first.ApprovalRate, first.ReferralRate, first.DeclineRate, first.MeanScore));
        Assert.Equal([new RuleHitRate("limits/low-income", 2, 0.5)], first.RuleHits);
        Assert.Equal(0, first.ScorePsi!.Value, 12);
        Assert.Equal(0, first.Csi.Single(c => c.Input == "age").Csi!.Value, 12);

        DailyRiskMetrics shifted = results[2];
        // Age: both below 30 against half and half → (1 − 0.5)·ln(1/0.5) + (0.0001 − 0.5)·ln(0.0001/0.5).
        Assert.Equal(0.5 * Math.Log(2) + (StabilityIndex.ShareFloor - 0.5) * Math.Log(StabilityIndex.ShareFloor / 0.5), shifted.Csi.Single(c => c.Input == "age").Csi!.Value, 9);
        Assert.Equal(StabilityBand.Shifted, shifted.Csi.Single(c => c.Input == "housing").Csi!.Band);

        DailyRiskMetrics unknown = results[1];
        Assert.Null(unknown.ScorePsi);
        Assert.Empty(unknown.Csi);
        Assert.Equal(1.0, unknown.DeclineRate);
    }
}
