using JisuDai.Risk.Models;
using JisuDai.Risk.Monitoring;
using JisuDai.Risk.Scoring;

namespace JisuDai.Risk.Tests.Monitoring;

/// <summary>Platt recalibration recovers a known miscalibration and leaves the ranking and the baseline's shares alone.</summary>
[Collection(DefaultModelCollection.Name)]
public sealed class CalibrationTests(DefaultModelFixture fixture)
{
    [Fact]
    public void Fitted_on_outcomes_drawn_from_a_known_distortion_it_recovers_the_distortion()
    {
        // The model says p; the world defaults with σ(−0.7 + 0.6 · logit p): fewer defaults, flatter.
        var random = new Random(5);
        var pd = Enumerable.Range(0, 50_000).Select(_ => 0.02 + 0.9 * random.NextDouble()).ToArray();
        var truth = new Calibration(-0.7, 0.6, 0, "fpd");
        bool[] bad = pd.Select(p => random.NextDouble() < truth.Apply(p)).ToArray();

        Calibration fitted = Calibration.Fit(pd, bad, "fpd");
        Assert.Equal(-0.7, fitted.Intercept, 1);
        Assert.Equal(0.6, fitted.Slope, 1);
        Assert.Equal(50_000, fitted.Rows);
        // Calibration in the large: the recalibrated mean is the observed rate (a property of the maximum-likelihood fit).
        Assert.Equal(bad.Count(b => b) / (double)bad.Length, pd.Average(fitted.Apply), 6);

        Calibration shift = Calibration.Fit(pd, bad, "fpd", interceptOnly: true);
        Assert.Equal(1, shift.Slope);
        Assert.Equal(bad.Count(b => b) / (double)bad.Length, pd.Average(shift.Apply), 6);

        // A model that ranks backwards cannot be recalibrated into a good one.
        Assert.Throws<ArgumentException>(() => Calibration.Fit(pd, pd.Select(p => random.NextDouble() < 1 - p).ToArray(), "fpd"));
    }

    [Fact]
    public void A_recalibrated_bundle_ranks_as_before_gets_a_new_version_and_its_baseline_still_reads_PSI_zero_on_the_training_rows()
    {
        ModelBundle bundle = fixture.Bundle;
        var calibration = new Calibration(-0.4, 0.8, 1000, "ever30in6");
        ModelBundle recalibrated = bundle with
        {
            Model = bundle.Model with { Calibration = calibration },
            Report = bundle.Report with { Baseline = bundle.Report.Baseline!.Recalibrated(calibration, bundle.Model.Scaling) },
        };
        Assert.NotEqual(bundle.Version, recalibrated.Version);
        Assert.Equal(recalibrated.Version, ModelBundle.FromFiles(recalibrated.Files()).Version);
        Assert.DoesNotContain("calibration", System.Text.Encoding.UTF8.GetString(bundle.Files()[ModelBundle.ManifestFile]));

        var before = new CreditScorer(bundle);
        var after = new CreditScorer(recalibrated);
        var tally = new DecisionTally(_ => recalibrated.Report.Baseline);
        var oldPd = new double[fixture.Data.Count];
        var newPd = new double[fixture.Data.Count];
        for (int row = 0; row < fixture.Data.Count; row++)
        {
            FeatureVector inputs = FeatureVector.Of(fixture.Data, row, before.Inputs);
            oldPd[row] = before.Score(inputs).ProbabilityOfDefault;
            ScoreResult score = after.Score(inputs);
            newPd[row] = score.ProbabilityOfDefault;
            Assert.Equal(calibration.Apply(oldPd[row]), newPd[row], 12);
            tally.Add(new MonitoredDecision(new DateOnly(2026, 12, 1), after.Version, "r", Lending.Applications.CreditOutcome.Approve, score.Score, [], inputs));
        }

        Assert.Equal(JisuDai.Risk.Metrics.BinaryMetrics.AreaUnderCurve(oldPd, fixture.Data.Bad), JisuDai.Risk.Metrics.BinaryMetrics.AreaUnderCurve(newPd, fixture.Data.Bad), 12);
        // Score edges moved with the scores, so the training rows still fall in their bins (rounding moves a handful).
        Assert.True(tally.Results().Single().ScorePsi!.Value < 0.01, $"{tally.Results().Single().ScorePsi}");
    }
}
