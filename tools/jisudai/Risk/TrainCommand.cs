using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using JisuDai.Risk.Data;
using JisuDai.Risk.Models;
using JisuDai.Risk.Scoring;
using JisuDai.Risk.Training;

namespace JisuDai.Tools.Risk;

/// <summary>
/// <c>jisudai train</c>: trains the candidates on a CSV or ARFF file, picks the champion and writes the model bundle,
/// report.json, the charts and report.html to the output folder. Bad data is reported and nothing is written.
/// </summary>
static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Training data, CSV (with a header row) or ARFF.", Required = true };
        var label = new Option<string>("--label") { Description = "The outcome column.", Required = true };
        var bad = new Option<string>("--bad") { Description = "The outcome value that means bad.", Required = true };
        var foldColumn = new Option<string?>("--fold-column") { Description = "A column naming each row's fold (time-based validation)." };
        var folds = new Option<int>("--folds") { Description = "Stratified cross-validation folds.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed for folds and models.", DefaultValueFactory = _ => 42 };
        var ignore = new Option<string?>("--ignore") { Description = "Comma-separated columns that are not features (IDs, dates)." };
        var spec = new Option<FileInfo?>("--spec") { Description = "Feature spec JSON: application field mapping and reason texts (see docs/risk.md)." };
        var name = new Option<string?>("--name") { Description = "The model's registry name; default: the data file's name." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the bundle and the report.", Required = true };
        var command = new Command("train", "Trains a credit-risk model and writes its bundle and report.")
        {
            data, label, bad, foldColumn, folds, seed, ignore, spec, name, output,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(Run(
            parse.GetValue(data)!, parse.GetValue(label)!, parse.GetValue(bad)!, parse.GetValue(foldColumn), parse.GetValue(folds),
            parse.GetValue(seed), parse.GetValue(ignore), parse.GetValue(spec), parse.GetValue(name), parse.GetValue(output)!, cancellationToken)));
        return command;
    }

    static int Run(FileInfo dataFile, string label, string bad, string? foldColumn, int folds, int seed, string? ignore,
        FileInfo? specFile, string? name, DirectoryInfo output, CancellationToken cancellationToken)
    {
        try
        {
            if (folds < 2)
            {
                throw new CreditDataException("--folds must be at least 2.");
            }

            if (!dataFile.Exists)
            {
                throw new CreditDataException($"{dataFile.FullName}: no such file.");
            }

            FeatureSpec featureSpec = FeatureSpec.Identity;
            if (specFile is not null)
            {
                featureSpec = ReadSpec(specFile);
            }

            RawTable table;
            using (TextReader text = dataFile.OpenText())
            {
                table = TabularText.Read(text, dataFile.Name);
            }

            var ignored = (ignore ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            CreditDataset dataset = CreditDataset.Prepare(table, new DatasetOptions(label, bad, ignored, foldColumn), dataFile.Name);
            foreach (string warning in dataset.Warnings)
            {
                Console.Error.WriteLine($"warning: {warning}");
            }

            Console.Error.WriteLine($"Training on {dataset.Count} rows, {dataset.Features.Count} features, bad rate {dataset.Bad.Count(b => b) / (double)dataset.Count:P1}.");
            TrainingResult result = ModelTrainer.Train(dataset, new TrainingOptions(folds, seed), new ConsoleProgress<TrainingProgress>(p => (p.Done, p.Total, p.Stage)), cancellationToken);
            var bundle = new ModelBundle(name ?? RegistryName(Path.GetFileNameWithoutExtension(dataFile.Name)), result.Model, featureSpec, result.Report);

            output.Create();
            foreach ((string file, byte[] bytes) in bundle.Files())
            {
                File.WriteAllBytes(Path.Combine(output.FullName, file), bytes);
            }

            TrainingCharts.Draw(result, result.Model.Scaling, output.FullName);
            TrainingPage.Write(bundle, output.FullName);
            foreach (CandidateReport c in result.Report.Candidates)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(c.Name == result.Report.Champion ? "*" : " ")} {c.Name,-14} AUC {c.Auc.Mean:F4} ± {c.Auc.Std:F4}   KS {c.Ks.Mean:F4}   Gini {c.Gini.Mean:F4}   Brier {c.Brier.Mean:F4}"));
            }

            Console.Out.WriteLine($"Champion {result.Report.Champion}; bundle {bundle.Name} version {bundle.Version} in {output.FullName} (report.html).");
            return 0;
        }
        catch (CreditDataException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>A file name as a registry name: lowercase letters, digits and hyphens.</summary>
    static string RegistryName(string fileName)
    {
        string name = new string(fileName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return name.Length == 0 ? "model" : name[..Math.Min(63, name.Length)];
    }

    static FeatureSpec ReadSpec(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CreditDataException($"{file.FullName}: no such file.");
        }

        try
        {
            return JsonSerializer.Deserialize<FeatureSpec>(File.ReadAllBytes(file.FullName), ModelBundle.Json)
                ?? throw new CreditDataException($"{file.Name}: the feature spec is empty.");
        }
        catch (JsonException e)
        {
            throw new CreditDataException($"{file.Name}: the feature spec is not valid JSON for a spec ({e.Path}): {e.Message}");
        }
    }
}
