using System.Diagnostics;
using JisuDai.Risk.Models;
using JisuDai.Risk.Trees;
using Microsoft.ML;

namespace JisuDai.Tools.Bench;

/// <summary>
/// The same-run baseline of the in-process score and decide benchmarks: the bare ML.NET call at their heart, one
/// <c>PredictionEngine.Predict</c> of the bundle's boosted trees on one row already laid out, with nothing of ours around
/// it (no mapping, no scorecard, no reasons, no rules). Our figures are read as multiples of it, so they hold on a
/// machine faster or slower than this one.
/// </summary>
static class EngineBaseline
{
    public static Latency Time(ModelBundle bundle, int samples, string what)
    {
        CreditModel model = bundle.Model;
        TreeLayout layout = model.TreeLayout ?? throw new InvalidOperationException("The default model has no trees to time.");
        var ml = new MLContext(0);
        ITransformer trees = BoostedTrees.Load(ml, model.TreeModel!);
        PredictionEngine<TreeInput, TreeOutput> engine = ml.Model.CreatePredictionEngine<TreeInput, TreeOutput>(trees, inputSchemaDefinition: BoostedTrees.InputSchema(layout));
        var input = new TreeInput { Features = Enumerable.Range(0, layout.Width).Select(i => (float)(i % 3)).ToArray() };
        var output = new TreeOutput();
        for (int i = 0; i < 20_000; i++)
        {
            engine.Predict(input, ref output);
        }

        var times = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            long start = Stopwatch.GetTimestamp();
            engine.Predict(input, ref output);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(times);
        return Latency.Of(what, times);
    }
}
