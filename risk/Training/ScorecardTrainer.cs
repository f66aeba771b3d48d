using JisuDai.Risk.Binning;
using JisuDai.Risk.Data;
using JisuDai.Risk.Scorecards;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace JisuDai.Risk.Training;

/// <summary>The scorecard fitted on one training set, with the bins of every feature (selected or not).</summary>
/// <param name="Scorecard">The scorecard.</param>
/// <param name="Binnings">Every feature's bins, for the report's information values.</param>
public sealed record ScorecardFit(Scorecard Scorecard, IReadOnlyList<FeatureBinning> Binnings);

/// <summary>
/// Fits a scorecard: bins every feature, keeps those with information value at least 0.02 whose WoE correlates below
/// 0.7 with every stronger feature kept, fits an L2 logistic regression on the WoE values (ML.NET L-BFGS), and drops
/// any feature whose weight comes out with the wrong sign (so every point moves with the evidence), refitting until none does.
/// </summary>
public static class ScorecardTrainer
{
    const double MinInformationValue = 0.02;
    const double MaxCorrelation = 0.7;

    /// <summary>Fits a scorecard on <paramref name="train"/>.</summary>
    public static ScorecardFit Fit(MLContext ml, CreditDataset train, PointsScaling scaling)
    {
        var binnings = train.Features.Select(f => Binner.Fit(f, train.Bad)).ToList();
        var woe = binnings.Select((b, i) => Encode(b, train.Features[i])).ToList();
        var selected = new List<int>();
        foreach (int i in Enumerable.Range(0, binnings.Count).OrderByDescending(i => binnings[i].InformationValue).ThenBy(i => binnings[i].Feature, StringComparer.Ordinal))
        {
            if (binnings[i].InformationValue >= MinInformationValue && selected.All(j => Math.Abs(Correlation(woe[i], woe[j])) < MaxCorrelation))
            {
                selected.Add(i);
            }
        }

        if (selected.Count == 0)
        {
            // Weak data still gets a scorecard: the single most informative feature.
            selected.Add(Enumerable.Range(0, binnings.Count).MaxBy(i => binnings[i].InformationValue));
        }

        while (true)
        {
            (double intercept, float[] weights) = Regress(ml, selected.Select(i => woe[i]).ToList(), train.Bad);
            var wrongSign = selected.Where((_, k) => weights[k] > 0).ToList();
            if (wrongSign.Count == 0 || selected.Count == 1)
            {
                var fitted = selected.Select((i, k) => (binnings[i], (double)weights[k])).ToList();
                return new ScorecardFit(Scorecard.From(scaling, intercept, fitted), binnings);
            }

            // Drop the weakest offender and refit; the others may right themselves without it.
            selected.Remove(wrongSign.MinBy(i => binnings[i].InformationValue));
        }
    }

    /// <summary>Probabilities of default of every row of <paramref name="data"/>.</summary>
    public static double[] Predict(Scorecard scorecard, CreditDataset data)
    {
        var columns = scorecard.Features.Select(f => data.Features.Single(c => c.Name == f.Binning.Feature)).ToList();
        var result = new double[data.Count];
        Span<int> bins = stackalloc int[columns.Count];
        for (int r = 0; r < data.Count; r++)
        {
            for (int i = 0; i < columns.Count; i++)
            {
                bins[i] = scorecard.Features[i].Binning.BinOf(columns[i], r);
            }

            result[r] = scorecard.ProbabilityOf(bins);
        }

        return result;
    }

    static double[] Encode(FeatureBinning binning, FeatureColumn column) =>
        Enumerable.Range(0, column.Length).Select(r => binning.WoeOf(binning.BinOf(column, r))).ToArray();

    static (double Intercept, float[] Weights) Regress(MLContext ml, List<double[]> columns, bool[] bad)
    {
        int width = columns.Count;
        var rows = Enumerable.Range(0, bad.Length).Select(r => new WoeRow
        {
            Features = columns.Select(c => (float)c[r]).ToArray(),
            Label = bad[r],
        }).ToList();
        SchemaDefinition schema = SchemaDefinition.Create(typeof(WoeRow));
        schema[nameof(WoeRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L1Regularization = 0,
            L2Regularization = 0.1f,
            OptimizationTolerance = 1e-7f,
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(ml.Data.LoadFromEnumerable(rows, schema)).Model.SubModel;
        return (model.Bias, model.Weights.ToArray());
    }

    static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }

        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }

    sealed class WoeRow
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }
}
