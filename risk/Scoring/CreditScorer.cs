using System.Collections.Concurrent;
using JisuDai.Risk.Data;
using JisuDai.Risk.Models;
using JisuDai.Risk.Scorecards;
using JisuDai.Risk.Trees;
using Microsoft.ML;

namespace JisuDai.Risk.Scoring;

/// <summary>
/// Scores applications with one model bundle, loaded once and kept warm: the scorecard is compiled to lookup tables, and
/// the tree model (when the champion uses one) runs on pooled ML.NET prediction engines, since an engine is not
/// thread-safe. Thread-safe; build one per model version and share it.
/// </summary>
public sealed class CreditScorer
{
    const int MaxReasons = 4;
    const double NoShortfall = 0.005;

    readonly CompiledFeature[] scorecard;
    readonly double intercept;
    readonly PointsScaling scaling;
    readonly double scorecardWeight;
    readonly Calibration? calibration;
    readonly TreeLayout? layout;
    readonly int[] layoutInputs = [];
    readonly ConcurrentBag<TreeSession> sessions = [];
    readonly Func<TreeSession>? newSession;

    /// <summary>Compiles <paramref name="bundle"/> for scoring.</summary>
    public CreditScorer(ModelBundle bundle)
    {
        CreditModel model = bundle.Model;
        Bundle = bundle;
        Version = bundle.Version;
        Spec = bundle.Spec;
        Features = new ApplicationFeatures(model.Inputs, bundle.Spec);
        Inputs = model.Inputs;
        scaling = model.Scaling;
        intercept = model.Scorecard.Intercept;
        scorecardWeight = model.ScorecardWeight;
        calibration = model.Calibration;
        var index = model.Inputs.Select((input, i) => (input.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        scorecard = model.Scorecard.Features.Select(f => new CompiledFeature(f, index[f.Binning.Feature], bundle.Spec.ReasonOf(f.Binning.Feature))).ToArray();
        if (model.ScorecardWeight < 1)
        {
            layout = model.TreeLayout ?? throw new InvalidOperationException("The model blends in trees but has no tree layout.");
            layoutInputs = layout.Features.Select(f => index[f.Name]).ToArray();
            var ml = new MLContext(0);
            ITransformer trees = BoostedTrees.Load(ml, model.TreeModel ?? throw new InvalidOperationException("The model blends in trees but has no tree model."));
            var schema = BoostedTrees.InputSchema(layout);
            newSession = () => new TreeSession(
                ml.Model.CreatePredictionEngine<TreeInput, TreeOutput>(trees, inputSchemaDefinition: schema),
                new TreeInput { Features = new float[layout.Width] });
            sessions.Add(newSession());
        }
    }

    /// <summary>The bundle this scorer runs.</summary>
    public ModelBundle Bundle { get; }

    /// <summary>The bundle's content hash.</summary>
    public string Version { get; }

    /// <summary>The feature spec.</summary>
    public FeatureSpec Spec { get; }

    /// <summary>How application fields map onto this model's inputs.</summary>
    public ApplicationFeatures Features { get; }

    /// <summary>The model's inputs.</summary>
    public IReadOnlyList<ModelInput> Inputs { get; }

    /// <summary>Scores one application's inputs.</summary>
    public ScoreResult Score(FeatureVector input)
    {
        Span<double> points = stackalloc double[scorecard.Length];
        Span<int> bins = stackalloc int[scorecard.Length];
        double logit = intercept;
        for (int i = 0; i < scorecard.Length; i++)
        {
            int bin = bins[i] = scorecard[i].BinOf(input);
            logit += scorecard[i].Logit(bin);
            points[i] = scorecard[i].Points(bin);
        }

        double pd = 1 / (1 + Math.Exp(-logit));
        if (scorecardWeight < 1)
        {
            pd = scorecardWeight * pd + (1 - scorecardWeight) * TreeProbability(input);
        }

        if (calibration is not null)
        {
            pd = calibration.Apply(pd);
        }

        return new ScoreResult(pd, (int)Math.Round(scaling.ScoreOf(pd), MidpointRounding.AwayFromZero), ScoreResult.BandOf(pd), Reasons(points, bins), Version);
    }

    /// <summary>Probabilities of default of many applications, spread over the machine's cores.</summary>
    public double[] ProbabilitiesOfDefault(IReadOnlyList<FeatureVector> inputs)
    {
        var result = new double[inputs.Count];
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, inputs.Count, 4096), range =>
        {
            for (int r = range.Item1; r < range.Item2; r++)
            {
                double logit = intercept;
                foreach (CompiledFeature f in scorecard)
                {
                    logit += f.Logit(f.BinOf(inputs[r]));
                }

                double pd = 1 / (1 + Math.Exp(-logit));
                pd = scorecardWeight < 1 ? scorecardWeight * pd + (1 - scorecardWeight) * TreeProbability(inputs[r]) : pd;
                result[r] = calibration?.Apply(pd) ?? pd;
            }
        });
        return result;
    }

    double TreeProbability(FeatureVector input)
    {
        if (!sessions.TryTake(out TreeSession? session))
        {
            session = newSession!();
        }

        try
        {
            Span<float> vector = session.Input.Features;
            int slot = 0;
            for (int i = 0; i < layoutInputs.Length; i++)
            {
                int k = layoutInputs[i];
                slot = layout!.Write(i, input.Numbers[k], input.Categories[k], vector, slot);
            }

            session.Engine.Predict(session.Input, ref session.Output);
            return session.Output.Probability;
        }
        finally
        {
            sessions.Add(session);
        }
    }

    List<ReasonCode> Reasons(ReadOnlySpan<double> points, ReadOnlySpan<int> bins)
    {
        var reasons = new List<ReasonCode>(MaxReasons);
        for (int i = 0; i < scorecard.Length; i++)
        {
            double lost = scorecard[i].MaxPoints - points[i];
            if (lost > NoShortfall)
            {
                reasons.Add(new ReasonCode(scorecard[i].Name, Math.Round(lost, 1), bins[i] < 0 ? scorecard[i].NotProvided : scorecard[i].Reason));
            }
        }

        reasons.Sort((a, b) => b.PointsLost != a.PointsLost ? b.PointsLost.CompareTo(a.PointsLost) : string.CompareOrdinal(a.Code, b.Code));
        if (reasons.Count > MaxReasons)
        {
            reasons.RemoveRange(MaxReasons, reasons.Count - MaxReasons);
        }

        return reasons;
    }

    sealed class TreeSession(PredictionEngine<TreeInput, TreeOutput> engine, TreeInput input)
    {
        public PredictionEngine<TreeInput, TreeOutput> Engine { get; } = engine;

        public TreeInput Input { get; } = input;

        public TreeOutput Output = new();
    }

    /// <summary>A scorecard feature as lookup tables: bins, each bin's log-odds contribution and points.</summary>
    sealed class CompiledFeature
    {
        readonly int input;
        readonly bool numeric;
        readonly double[] uppers;
        readonly Dictionary<string, int> categories = new(StringComparer.Ordinal);
        readonly int missingBin = -1, otherBin = -1;
        readonly double[] logits, points;
        readonly double neutralPoints;

        public CompiledFeature(ScorecardFeature feature, int input, ReasonText reason)
        {
            this.input = input;
            Name = feature.Binning.Feature;
            Reason = reason;
            NotProvided = new ReasonText($"Not provided: {reason.En}", $"未提供：{reason.ZhCn}");
            MaxPoints = feature.MaxPoints;
            numeric = feature.Binning.Kind == FeatureKind.Numeric;
            var bins = feature.Binning.Bins;
            var ups = new List<double>();
            for (int b = 0; b < bins.Count; b++)
            {
                if (bins[b].Missing)
                {
                    missingBin = b;
                }
                else if (bins[b].Other)
                {
                    otherBin = b;
                }

                if (numeric && !bins[b].Missing)
                {
                    ups.Add(bins[b].Upper ?? double.PositiveInfinity);
                }

                foreach (string c in bins[b].Categories ?? [])
                {
                    categories[c] = b;
                }
            }

            uppers = [.. ups];
            logits = bins.Select(b => feature.Weight * b.Woe).ToArray();
            points = [.. feature.Points];
            neutralPoints = feature.NeutralPoints;
        }

        public string Name { get; }

        public ReasonText Reason { get; }

        /// <summary>The reason when the value was missing and training had no bin for that: the shortfall is for want of evidence.</summary>
        public ReasonText NotProvided { get; }

        public double MaxPoints { get; }

        public int BinOf(FeatureVector vector)
        {
            if (numeric)
            {
                double v = vector.Numbers[input];
                if (double.IsNaN(v))
                {
                    return missingBin;
                }

                // Numeric bins come first and in order, so the index among uppers is the bin index.
                for (int b = 0; b < uppers.Length; b++)
                {
                    if (v < uppers[b])
                    {
                        return b;
                    }
                }

                return uppers.Length - 1;
            }

            string? c = vector.Categories[input];
            return c is null ? missingBin : categories.TryGetValue(c, out int bin) ? bin : otherBin;
        }

        public double Logit(int bin) => bin < 0 ? 0 : logits[bin];

        public double Points(int bin) => bin < 0 ? neutralPoints : points[bin];
    }
}
