using System.Reflection;
using System.Text.Json;
using JisuDai.Risk.Data;
using JisuDai.Risk.Models;
using JisuDai.Risk.Scoring;
using JisuDai.Risk.Training;

namespace JisuDai.Risk.Defaults;

/// <summary>
/// The cold-start model: trained on the bundled German Credit data with its feature spec, so the platform decides
/// applications with zero configuration. Sex/marital status and nationality are left out: they are not lawful grounds
/// for a credit decision.
/// </summary>
public static class DefaultModel
{
    /// <summary>The registry name of the default model.</summary>
    public const string Name = "credit-risk";

    /// <summary>The bundled data's name.</summary>
    public const string DataName = "credit-g.arff";

    /// <summary>How the bundled data is read: label, bad value and the columns left out.</summary>
    public static DatasetOptions Options { get; } = new("class", "bad", ["personal_status", "foreign_worker"]);

    /// <summary>The bundled data's text.</summary>
    public static TextReader OpenData() => new StreamReader(Resource(DataName));

    /// <summary>The feature spec of the bundled data: how application fields map to its columns, and reason texts.</summary>
    public static FeatureSpec Spec => JsonSerializer.Deserialize<FeatureSpec>(Resource("credit-g.spec.json"), ModelBundle.Json)!;

    /// <summary>Trains the default model with the default options and seed, on <paramref name="parallelism"/> cores (null: all).</summary>
    public static ModelBundle Train(IProgress<TrainingProgress>? progress = null, int? parallelism = null, CancellationToken cancellationToken = default)
    {
        using TextReader text = OpenData();
        CreditDataset data = CreditDataset.Prepare(TabularText.Read(text, DataName), Options, DataName);
        TrainingResult result = ModelTrainer.Train(data, new TrainingOptions(Parallelism: parallelism), progress, cancellationToken);
        return new ModelBundle(Name, result.Model, Spec, result.Report);
    }

    /// <summary>The default rule set's JSON (risk/Defaults/default-rules.json).</summary>
    public static byte[] RulesJson()
    {
        using var memory = new MemoryStream();
        Resource("default-rules.json").CopyTo(memory);
        return memory.ToArray();
    }

    static Stream Resource(string name) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream($"JisuDai.Risk.Defaults.{name}")
        ?? throw new InvalidOperationException($"The risk library was built without its resource {name}.");
}
