using JisuDai.Risk.Data;
using JisuDai.Risk.Metrics;
using JisuDai.Risk.Models;
using JisuDai.Risk.Monitoring;
using JisuDai.Risk.Scorecards;
using JisuDai.Risk.Trees;
using Microsoft.ML;

namespace JisuDai.Risk.Training;

/// <summary>
/// Trains the candidates (scorecard, boosted trees with a small hyper-parameter search, and their blend) on the same
/// folds, picks the champion by mean cross-validated AUC, and refits it on all the data. The same data, options and seed
/// give the same report and the same model bytes.
/// </summary>
public static class ModelTrainer
{
    static readonly double[] BlendWeights = [0.25, 0.5, 0.75];

    /// <summary>Trains on <paramref name="data"/>, reporting progress as it goes.</summary>
    public static TrainingResult Train(CreditDataset data, TrainingOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        PointsScaling scaling = options.Scaling ?? new PointsScaling();
        IReadOnlyList<TreeParameters> grid = options.TreeGrid ?? TreeParameters.Grid;
        int[] fold = data.Folds ?? Folds.Stratified(data.Bad, options.Folds, options.Seed);
        int k = fold.Max() + 1;
        if (data.Folds is null && (options.Folds < 2 || data.Bad.Count(b => b) < options.Folds || data.Bad.Count(b => !b) < options.Folds))
        {
            throw new CreditDataException($"{options.Folds}-fold cross-validation needs at least {options.Folds} bad and {options.Folds} good rows, and at least 2 folds.");
        }

        int total = k * (1 + grid.Count) + 2, done = 0;
        void Step(string stage)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new TrainingProgress(stage, Interlocked.Increment(ref done), total));
        }

        (int[][] trainRows, int[][] testRows) = Split(fold, k);
        Tuning tuning = Tune(data, trainRows, testRows, grid, scaling, options, Step, cancellationToken);
        double[][] oof = tuning.OutOfFold;
        int bestTree = tuning.BestTree;
        double[] trees = oof[1 + bestTree];
        double bestWeight = tuning.BestWeight;
        double[] blend = Blend(oof[0], trees, bestWeight);
        var candidates = new List<CandidateReport>
        {
            Report(ModelKinds.Scorecard, oof[0], data.Bad, testRows, null),
            Report(ModelKinds.BoostedTrees, trees, data.Bad, testRows, grid[bestTree].ToString()),
            Report(ModelKinds.Blend, blend, data.Bad, testRows, $"scorecard weight={bestWeight}; {grid[bestTree]}"),
        };

        // Ties go to the simpler model: the list is in order of simplicity and MaxBy keeps the first maximum.
        string champion = candidates.MaxBy(c => Math.Round(c.Auc.Mean, 12))!.Name;

        var final = new MLContext(options.Seed);
        ScorecardFit scorecard = ScorecardTrainer.Fit(final, data, scaling);
        Step("refit scorecard on all rows");
        TreeLayout? treeLayout = null;
        byte[]? treeBytes = null;
        double[] fitted = ScorecardTrainer.Predict(scorecard.Scorecard, data);
        double weight = champion switch { ModelKinds.Scorecard => 1, ModelKinds.BoostedTrees => 0, _ => bestWeight };
        if (champion != ModelKinds.Scorecard)
        {
            treeLayout = TreeLayout.Of(data);
            ITransformer treeModel = BoostedTrees.Fit(final, treeLayout, data, grid[bestTree], options.Seed);
            treeBytes = BoostedTrees.Save(final, treeLayout, treeModel);
            fitted = Blend(fitted, BoostedTrees.Predict(final, treeLayout, treeModel, data), weight);
        }

        Step(champion == ModelKinds.Scorecard ? "done" : "refit trees on all rows");
        var model = new CreditModel(
            champion,
            data.Features.Select(f => new ModelInput(f.Name, f.Kind)).ToList(),
            scorecard.Scorecard,
            treeLayout,
            treeBytes,
            champion == ModelKinds.Scorecard ? null : grid[bestTree],
            weight,
            data.DataHash);
        NestedEstimate? nested = options.NestedFolds is { } inner ? NestedCrossValidation.Estimate(data, options, inner, progress, cancellationToken) : null;
        var selected = scorecard.Scorecard.Features.Select(f => f.Binning.Feature).ToHashSet();
        var report = new TrainingReport(
            champion,
            candidates,
            scorecard.Binnings.Select(b => new FeatureReport(b.Feature, b.InformationValue, selected.Contains(b.Feature)))
                .OrderByDescending(f => f.Iv).ToList(),
            data.Count,
            data.Bad.Count(b => b) / (double)data.Count,
            k,
            options.Seed,
            data.DataHash,
            data.Warnings,
            // The refit model's own scores on its training rows: what monitoring measures live traffic against.
            MonitoringBaseline.Of(data, fitted.Select(pd => (int)Math.Round(scaling.ScoreOf(pd), MidpointRounding.AwayFromZero)).ToList()),
            nested);
        return new TrainingResult(model, report, [new(ModelKinds.Scorecard, oof[0]), new(ModelKinds.BoostedTrees, trees), new(ModelKinds.Blend, blend)], data.Bad);
    }

    /// <summary>The tree grid point and blend weight cross-validation chose, and every candidate's out-of-fold predictions ([0]: scorecard, [1 + g]: grid point g).</summary>
    internal sealed record Tuning(int BestTree, double BestWeight, double[][] OutOfFold);

    internal static (int[][] Train, int[][] Test) Split(int[] fold, int k)
    {
        var trainRows = new int[k][];
        var testRows = new int[k][];
        for (int f = 0; f < k; f++)
        {
            trainRows[f] = Enumerable.Range(0, fold.Length).Where(r => fold[r] != f).ToArray();
            testRows[f] = Enumerable.Range(0, fold.Length).Where(r => fold[r] == f).ToArray();
        }

        return (trainRows, testRows);
    }

    /// <summary>Fits the scorecard and every tree grid point on each fold's training rows, predicts its test rows, and picks the tree and blend weight by mean AUC.</summary>
    internal static Tuning Tune(CreditDataset data, int[][] trainRows, int[][] testRows, IReadOnlyList<TreeParameters> grid, PointsScaling scaling, TrainingOptions options,
        Action<string> step, CancellationToken cancellationToken)
    {
        int k = trainRows.Length;
        var oof = new double[1 + grid.Count][];
        for (int c = 0; c < oof.Length; c++)
        {
            oof[c] = new double[data.Count];
        }

        var jobs = Enumerable.Range(0, k).SelectMany(f => Enumerable.Range(0, 1 + grid.Count).Select(c => (Fold: f, Candidate: c))).ToList();
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism ?? Environment.ProcessorCount, CancellationToken = cancellationToken }, job =>
        {
            var ml = new MLContext(options.Seed);
            CreditDataset train = data.Select(trainRows[job.Fold]), test = data.Select(testRows[job.Fold]);
            double[] predicted = job.Candidate == 0
                ? ScorecardTrainer.Predict(ScorecardTrainer.Fit(ml, train, scaling).Scorecard, test)
                : PredictTrees(ml, train, test, grid[job.Candidate - 1], options.Seed);
            for (int i = 0; i < predicted.Length; i++)
            {
                oof[job.Candidate][testRows[job.Fold][i]] = predicted[i];
            }

            step(job.Candidate == 0 ? $"scorecard, fold {job.Fold + 1}/{k}" : $"trees {grid[job.Candidate - 1]}, fold {job.Fold + 1}/{k}");
        });

        int bestTree = Enumerable.Range(0, grid.Count).MaxBy(g => MeanAuc(oof[1 + g], data.Bad, testRows));
        double bestWeight = BlendWeights.MaxBy(w => MeanAuc(Blend(oof[0], oof[1 + bestTree], w), data.Bad, testRows));
        return new Tuning(bestTree, bestWeight, oof);
    }

    internal static double[] PredictTrees(MLContext ml, CreditDataset train, CreditDataset test, TreeParameters parameters, int seed)
    {
        TreeLayout layout = TreeLayout.Of(train);
        return BoostedTrees.Predict(ml, layout, BoostedTrees.Fit(ml, layout, train, parameters, seed), test);
    }

    internal static double[] Blend(double[] scorecard, double[] trees, double weight) =>
        scorecard.Zip(trees, (s, t) => weight * s + (1 - weight) * t).ToArray();

    static double MeanAuc(double[] predicted, bool[] bad, int[][] testRows) =>
        testRows.Average(rows => BinaryMetrics.AreaUnderCurve(rows.Select(r => predicted[r]).ToArray(), rows.Select(r => bad[r]).ToArray()));

    internal static CandidateReport Report(string name, double[] predicted, bool[] bad, int[][] testRows, string? parameters)
    {
        var perFold = testRows.Select(rows => BinaryMetrics.Of(rows.Select(r => predicted[r]).ToArray(), rows.Select(r => bad[r]).ToArray())).ToList();
        return new CandidateReport(name,
            MetricSummary.Of(perFold.Select(m => m.Auc).ToList()),
            MetricSummary.Of(perFold.Select(m => m.Ks).ToList()),
            MetricSummary.Of(perFold.Select(m => m.Gini).ToList()),
            MetricSummary.Of(perFold.Select(m => m.Brier).ToList()),
            parameters);
    }
}
