using System.IO.Compression;
using JisuDai.Risk.Data;
using JisuDai.Risk.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace JisuDai.Risk.Trees;

/// <summary>
/// Gradient-boosted trees (LightGBM through ML.NET) on a <see cref="TreeLayout"/>: fit with early stopping on an inner
/// validation split, saved as an ML.NET model whose bytes are the same for the same data and seed.
/// </summary>
public static class BoostedTrees
{
    const int MaxIterations = 400;
    const int EarlyStoppingRounds = 30;

    /// <summary>Fits trees on <paramref name="train"/>, holding out a stratified fifth of it to stop early.</summary>
    public static ITransformer Fit(MLContext ml, TreeLayout layout, CreditDataset train, TreeParameters parameters, int seed)
    {
        int[] holdout = Folds.Stratified(train.Bad, 5, seed);
        int[] fitRows = Enumerable.Range(0, train.Count).Where(r => holdout[r] != 0).ToArray();
        int[] stopRows = Enumerable.Range(0, train.Count).Where(r => holdout[r] == 0).ToArray();
        float[][] vectors = layout.Vectors(train);
        var trainer = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfLeaves = parameters.Leaves,
            MinimumExampleCountPerLeaf = parameters.MinLeafRows,
            LearningRate = parameters.LearningRate,
            NumberOfIterations = MaxIterations,
            EarlyStoppingRound = EarlyStoppingRounds,
            Booster = new GradientBooster.Options { MaximumTreeDepth = parameters.MaxDepth },
            NumberOfThreads = 1,
            Deterministic = true,
            Seed = seed,
            Silent = true,
            Verbose = false,
        });
        return trainer.Fit(View(ml, layout, fitRows.Select(r => vectors[r]), fitRows.Select(r => train.Bad[r])),
            View(ml, layout, stopRows.Select(r => vectors[r]), stopRows.Select(r => train.Bad[r])));
    }

    /// <summary>Probabilities of default for every row of <paramref name="data"/>.</summary>
    public static double[] Predict(MLContext ml, TreeLayout layout, ITransformer model, CreditDataset data)
    {
        float[][] vectors = layout.Vectors(data);
        IDataView scored = model.Transform(View(ml, layout, vectors, data.Bad));
        return scored.GetColumn<float>("Probability").Select(p => (double)p).ToArray();
    }

    /// <summary>The model's bytes, with the zip entries' times fixed so the same model always gives the same bytes.</summary>
    public static byte[] Save(MLContext ml, TreeLayout layout, ITransformer model)
    {
        using var raw = new MemoryStream();
        ml.Model.Save(model, Schema(ml, layout), raw);
        raw.Position = 0;
        using var source = new ZipArchive(raw, ZipArchiveMode.Read);
        using var stable = new MemoryStream();
        using (var target = new ZipArchive(stable, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (ZipArchiveEntry entry in source.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
            {
                ZipArchiveEntry copy = target.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using Stream from = entry.Open(), to = copy.Open();
                from.CopyTo(to);
            }
        }

        return stable.ToArray();
    }

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    public static ITransformer Load(MLContext ml, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return ml.Model.Load(stream, out _);
    }

    /// <summary>The input schema of the tree model: a float vector of the layout's width.</summary>
    public static SchemaDefinition InputSchema(TreeLayout layout)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(TreeInput));
        schema[nameof(TreeInput.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, layout.Width);
        return schema;
    }

    static DataViewSchema Schema(MLContext ml, TreeLayout layout) => View(ml, layout, [], []).Schema;

    static IDataView View(MLContext ml, TreeLayout layout, IEnumerable<float[]> vectors, IEnumerable<bool> bad) =>
        ml.Data.LoadFromEnumerable(vectors.Zip(bad, (v, b) => new TreeInput { Features = v, Label = b }).ToList(), InputSchema(layout));
}

/// <summary>One row as the tree model reads it.</summary>
public sealed class TreeInput
{
    /// <summary>The laid-out features.</summary>
    public float[] Features { get; set; } = [];

    /// <summary>True when the loan went bad (training only).</summary>
    public bool Label { get; set; }
}

/// <summary>The tree model's output.</summary>
public sealed class TreeOutput
{
    /// <summary>The calibrated probability of default.</summary>
    public float Probability { get; set; }
}
