using System.Text.Json;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;
using JisuDai.Risk.Scorecards;
using JisuDai.Risk.Training;
using JisuDai.Risk.Trees;

namespace JisuDai.Risk.Tests;

/// <summary>The training pipeline on the bundled German Credit data.</summary>
[Collection(DefaultModelCollection.Name)]
public sealed class TrainingTests(DefaultModelFixture fixture)
{
    [Fact]
    public void The_champion_reaches_a_cross_validated_AUC_of_at_least_0_78_and_every_candidate_is_reported()
    {
        TrainingReport report = fixture.Bundle.Report;

        Assert.Equal([ModelKinds.Scorecard, ModelKinds.BoostedTrees, ModelKinds.Blend], report.Candidates.Select(c => c.Name));
        CandidateReport champion = report.Candidates.Single(c => c.Name == report.Champion);
        Assert.True(champion.Auc.Mean >= 0.78, $"champion {champion.Name} AUC {champion.Auc.Mean:F4}");
        Assert.Equal(report.Candidates.Max(c => c.Auc.Mean), champion.Auc.Mean);
        Assert.All(report.Candidates, c =>
        {
            Assert.Equal(2 * c.Auc.Mean - 1, c.Gini.Mean, 9);
            Assert.InRange(c.Ks.Mean, 0.2, 1);
            Assert.InRange(c.Brier.Mean, 0.05, 0.25);
            Assert.InRange(c.Auc.Std, 0.001, 0.1);
        });
        Assert.Equal(5, report.Folds);
        Assert.Equal(1000, report.Rows);
        Assert.Equal(0.3, report.BadRate, 9);
    }

    [Fact]
    public void Features_carry_their_information_value_and_the_excluded_protected_attributes_are_absent()
    {
        var features = fixture.Bundle.Report.Features;

        Assert.Equal(18, features.Count);
        Assert.DoesNotContain(features, f => f.Name is "personal_status" or "foreign_worker");
        Assert.Equal("checking_status", features[0].Name);
        Assert.True(features[0].Selected);
        Assert.All(features.Where(f => f.Iv < 0.02), f => Assert.False(f.Selected));
        Assert.Equal(features.OrderByDescending(f => f.Iv).Select(f => f.Name), features.Select(f => f.Name));
        Assert.Equal(fixture.Bundle.Model.Scorecard.Features.Select(f => f.Binning.Feature).Order(), features.Where(f => f.Selected).Select(f => f.Name).Order());
    }

    [Fact]
    public void The_same_data_and_seed_give_the_same_report_and_model_hash_however_many_cores_train()
    {
        ModelBundle again = DefaultModel.Train(parallelism: 1);

        Assert.Equal(JsonSerializer.Serialize(fixture.Bundle.Report, ModelBundle.Json), JsonSerializer.Serialize(again.Report, ModelBundle.Json));
        Assert.Equal(fixture.Bundle.Version, again.Version);
        Assert.Equal(fixture.Bundle.Files()[ModelBundle.TreesFile], again.Files()[ModelBundle.TreesFile]);
    }

    [Fact]
    public void Another_seed_gives_other_folds_and_so_another_version()
    {
        TrainingResult other = ModelTrainer.Train(fixture.Data, new TrainingOptions(Seed: 7, TreeGrid: [new Trees.TreeParameters(8, 3, 0.1, 20)]));

        Assert.NotEqual(
            fixture.Bundle.Report.Candidates[0].Auc.Mean,
            other.Report.Candidates[0].Auc.Mean);
        Assert.NotEqual(fixture.Bundle.Version, new ModelBundle(fixture.Bundle.Name, other.Model, fixture.Bundle.Spec, other.Report).Version);
    }

    [Fact]
    public void A_fold_column_sets_the_folds_as_time_based_validation_does()
    {
        // Folds by row position: an out-of-time split of the data into three periods.
        int[] periods = Enumerable.Range(0, fixture.Data.Count).Select(r => r * 3 / fixture.Data.Count).ToArray();
        TrainingResult result = ModelTrainer.Train(fixture.Data with { Folds = periods }, new TrainingOptions(TreeGrid: [new Trees.TreeParameters(8, 3, 0.1, 20)]));

        Assert.Equal(3, result.Report.Folds);
        Assert.All(result.Report.Candidates, c => Assert.InRange(c.Auc.Mean, 0.65, 0.9));
    }

    static readonly TreeParameters[] SmallGrid = [new(4, 3, 0.05, 10), new(8, 3, 0.1, 30), new(16, 6, 0.1, 10), new(16, 6, 0.05, 30), new(4, 6, 0.1, 30), new(8, 6, 0.05, 10)];

    [Fact]
    public void On_labels_that_have_nothing_to_do_with_the_data_the_tuned_trees_look_better_than_chance_and_nested_cross_validation_says_they_are_not()
    {
        // The German Credit rows with their outcomes shuffled: no model can rank them; the only lift is from choosing.
        var random = new Random(11);
        bool[] shuffled = [.. fixture.Data.Bad.OrderBy(_ => random.Next())];
        TrainingResult result = ModelTrainer.Train(fixture.Data with { Bad = shuffled }, new TrainingOptions(Folds: 4, TreeGrid: SmallGrid, NestedFolds: 3));

        NestedEstimate nested = Assert.IsType<NestedEstimate>(result.Report.Nested);
        Assert.Equal((4, 3), (nested.OuterFolds, nested.InnerFolds));
        Assert.Equal(result.Report.Candidates.Select(c => c.Name), nested.Candidates.Select(c => c.Name));
        double tuned = result.Report.Candidates.Single(c => c.Name == ModelKinds.BoostedTrees).Auc.Mean;
        double honest = nested.Candidates.Single(c => c.Name == ModelKinds.BoostedTrees).Auc.Mean;
        Assert.True(honest < tuned, $"nested {honest:F4} against tuned {tuned:F4}");
        Assert.InRange(honest, 0.44, 0.56);
        Assert.Equal(4, nested.Candidates.Single(c => c.Name == ModelKinds.BoostedTrees).Parameters!.Split(" | ").Length); // one choice per outer fold
    }

    [Fact]
    public void A_report_without_nested_figures_writes_none_so_bundles_keep_their_versions()
    {
        Assert.Null(fixture.Bundle.Report.Nested);
        Assert.DoesNotContain("\"nested\"", System.Text.Encoding.UTF8.GetString(fixture.Bundle.Files()[ModelBundle.ReportFile]));
    }

    [Fact]
    public void Progress_is_reported_up_to_the_total()
    {
        var seen = new List<TrainingProgress>();
        var progress = new SynchronousProgress(p => { lock (seen) { seen.Add(p); } });

        ModelTrainer.Train(fixture.Data, new TrainingOptions(TreeGrid: [new Trees.TreeParameters(4, 3, 0.1, 20)]), progress);

        Assert.Equal(5 * 2 + 2, seen.Count);
        Assert.Equal(Enumerable.Range(1, seen.Count), seen.Select(p => p.Done).Order());
        Assert.All(seen, p => Assert.Equal(12, p.Total));
    }

    sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
