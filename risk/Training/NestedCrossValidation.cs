using JisuDai.Risk.Data;
using JisuDai.Risk.Models;
using JisuDai.Risk.Scorecards;
using JisuDai.Risk.Trees;
using Microsoft.ML;

namespace JisuDai.Risk.Training;

/// <summary>
/// The candidates' figures from nested cross-validation: on each outer fold, the tree grid point and the blend weight
/// were chosen by an inner cross-validation of that fold's training rows alone, then fitted on them and judged on the
/// outer fold. The outer rows never took part in choosing, so these figures are not lifted by the choice as the
/// ordinary cross-validated ones are (those pick the best of the grid on the same folds they report).
/// </summary>
/// <param name="OuterFolds">The outer folds (training's own folds).</param>
/// <param name="InnerFolds">The stratified folds each outer training set was tuned on.</param>
/// <param name="Candidates">Scorecard, boosted trees and blend, as <see cref="TrainingReport.Candidates"/>; the parameters name each outer fold's choice.</param>
public sealed record NestedEstimate(int OuterFolds, int InnerFolds, IReadOnlyList<CandidateReport> Candidates);

/// <summary>Nested cross-validation of the candidates <see cref="ModelTrainer"/> trains, on its outer folds.</summary>
public static class NestedCrossValidation
{
    /// <summary>Estimates each candidate with <paramref name="innerFolds"/> inner folds inside training's outer folds, reporting progress as it goes.</summary>
    public static NestedEstimate Estimate(CreditDataset data, TrainingOptions options, int innerFolds, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        PointsScaling scaling = options.Scaling ?? new PointsScaling();
        IReadOnlyList<TreeParameters> grid = options.TreeGrid ?? TreeParameters.Grid;
        int[] outer = data.Folds ?? Folds.Stratified(data.Bad, options.Folds, options.Seed);
        int k = outer.Max() + 1;
        (int[][] outerTrain, int[][] outerTest) = ModelTrainer.Split(outer, k);
        if (innerFolds < 2 || outerTrain.Any(rows => rows.Count(r => data.Bad[r]) < innerFolds || rows.Count(r => !data.Bad[r]) < innerFolds))
        {
            throw new CreditDataException($"Nested cross-validation with {innerFolds} inner folds needs at least 2 inner folds, and {innerFolds} bad and {innerFolds} good rows in every outer fold's training rows.");
        }

        int total = k * (innerFolds * (1 + grid.Count) + 1), done = 0;
        void Step(string stage)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new TrainingProgress("nested: " + stage, Interlocked.Increment(ref done), total));
        }

        double[] scorecard = new double[data.Count], trees = new double[data.Count], blend = new double[data.Count];
        var chosenTrees = new string[k];
        var chosenWeights = new double[k];
        for (int f = 0; f < k; f++)
        {
            CreditDataset train = data.Select(outerTrain[f]) with { Folds = null }, test = data.Select(outerTest[f]);
            (int[][] innerTrain, int[][] innerTest) = ModelTrainer.Split(Folds.Stratified(train.Bad, innerFolds, options.Seed), innerFolds);
            string fold = $"outer fold {f + 1}/{k}";
            ModelTrainer.Tuning tuning = ModelTrainer.Tune(train, innerTrain, innerTest, grid, scaling, options, stage => Step($"{fold}, {stage}"), cancellationToken);

            var ml = new MLContext(options.Seed);
            double[] s = ScorecardTrainer.Predict(ScorecardTrainer.Fit(ml, train, scaling).Scorecard, test);
            double[] t = ModelTrainer.PredictTrees(ml, train, test, grid[tuning.BestTree], options.Seed);
            double[] b = ModelTrainer.Blend(s, t, tuning.BestWeight);
            for (int i = 0; i < outerTest[f].Length; i++)
            {
                int row = outerTest[f][i];
                (scorecard[row], trees[row], blend[row]) = (s[i], t[i], b[i]);
            }

            chosenTrees[f] = grid[tuning.BestTree].ToString();
            chosenWeights[f] = tuning.BestWeight;
            Step($"{fold}, refit and judged");
        }

        string treesChosen = string.Join(" | ", chosenTrees);
        return new NestedEstimate(k, innerFolds,
        [
            ModelTrainer.Report(ModelKinds.Scorecard, scorecard, data.Bad, outerTest, null),
            ModelTrainer.Report(ModelKinds.BoostedTrees, trees, data.Bad, outerTest, treesChosen),
            ModelTrainer.Report(ModelKinds.Blend, blend, data.Bad, outerTest, $"scorecard weights={string.Join(" | ", chosenWeights)}; {treesChosen}"),
        ]);
    }
}
