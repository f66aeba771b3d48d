using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using JisuDai.Risk.Scoring;
using JisuDai.Risk.Training;

namespace JisuDai.Risk.Models;

/// <summary>
/// A model as it is stored and shipped: the model (scorecard with its binning and scaling, the ML.NET tree model where
/// used, the data hash), the feature spec and the training report, as files. The version is a hash of those files'
/// contents, so the same training gives the same version and any change gives another.
/// </summary>
public sealed record ModelBundle(string Name, CreditModel Model, FeatureSpec Spec, TrainingReport Report)
{
    /// <summary>The manifest: model and spec, as JSON.</summary>
    public const string ManifestFile = "model.json";

    /// <summary>The ML.NET tree model, where the champion uses one.</summary>
    public const string TreesFile = "trees.zip";

    /// <summary>The training report.</summary>
    public const string ReportFile = "report.json";

    /// <summary>How bundle JSON is written: camelCase, enums as names, indented for people.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>The content hash: the first 16 hex digits of SHA-256 over the files, by name.</summary>
    [JsonIgnore]
    public string Version => VersionOf(Files());

    /// <summary>The bundle's files and their bytes.</summary>
    public IReadOnlyDictionary<string, byte[]> Files()
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [ManifestFile] = JsonSerializer.SerializeToUtf8Bytes(new Manifest(Name, Model with { TreeModel = null }, Spec), Json),
            [ReportFile] = JsonSerializer.SerializeToUtf8Bytes(Report, Json),
        };
        if (Model.TreeModel is { } trees)
        {
            files[TreesFile] = trees;
        }

        return files;
    }

    /// <summary>Reads a bundle from its files; throws <see cref="InvalidDataException"/> when one is missing or unreadable.</summary>
    public static ModelBundle FromFiles(IReadOnlyDictionary<string, byte[]> files)
    {
        try
        {
            Manifest manifest = JsonSerializer.Deserialize<Manifest>(Need(files, ManifestFile), Json)
                ?? throw new InvalidDataException($"{ManifestFile} is empty.");
            TrainingReport report = JsonSerializer.Deserialize<TrainingReport>(Need(files, ReportFile), Json)
                ?? throw new InvalidDataException($"{ReportFile} is empty.");
            CreditModel model = manifest.Model with { TreeModel = files.TryGetValue(TreesFile, out byte[]? trees) ? trees : null };
            if (model.ScorecardWeight < 1 && model.TreeModel is null)
            {
                throw new InvalidDataException($"The model blends in trees but the bundle has no {TreesFile}.");
            }

            return new ModelBundle(manifest.Name, model, manifest.Spec, report);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The model bundle is not readable: {e.Message}", e);
        }
    }

    /// <summary>The version of a set of bundle files.</summary>
    public static string VersionOf(IReadOnlyDictionary<string, byte[]> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach ((string name, byte[] bytes) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            sha.AppendData(BitConverter.GetBytes((long)bytes.Length));
            sha.AppendData(bytes);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    static byte[] Need(IReadOnlyDictionary<string, byte[]> files, string name) =>
        files.TryGetValue(name, out byte[]? bytes) ? bytes : throw new InvalidDataException($"The model bundle has no {name}.");

    sealed record Manifest(string Name, CreditModel Model, FeatureSpec Spec);
}
