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
/// report.json, the charts and report.html to the output folder. Bad data is reported and nothing is written. With
/// <c>--from-platform</c> the data is the platform's own (<see cref="App.Monitoring.PlatformTraining"/>): each decision's
/// recorded inputs joined to its loan's final label in <c>--window</c>, written to <c>platform-data.csv</c> in the output
/// folder and trained on with time-blocked folds (out-of-time validation), under the champion's name and feature spec.
/// </summary>
static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo?>("--data") { Description = "Training data, CSV (with a header row) or ARFF (not with --from-platform)." };
        var label = new Option<string?>("--label") { Description = "The outcome column (with --data)." };
        var bad = new Option<string?>("--bad") { Description = "The outcome value that means bad (with --data)." };
        var fromPlatform = new Option<bool>("--from-platform") { Description = "Train on the platform's decisions and outcomes (the storage of --storage, $AzureWebJobsStorage or the running local host)." };
        var window = new Option<string>("--window") { Description = "With --from-platform: the outcome window to label on (fpd, ever30in3, ever30in6, ever30in12, ever90in12).", DefaultValueFactory = _ => JisuDai.Risk.Outcomes.OutcomeWindows.Ever30In6 };
        var storage = new Option<string?>("--storage") { Description = "With --from-platform: the storage connection string." };
        var foldColumn = new Option<string?>("--fold-column") { Description = "A column naming each row's fold (time-based validation)." };
        var folds = new Option<int>("--folds") { Description = "Stratified cross-validation folds.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed for folds and models.", DefaultValueFactory = _ => 42 };
        var ignore = new Option<string?>("--ignore") { Description = "Comma-separated columns that are not features (IDs, dates)." };
        var spec = new Option<FileInfo?>("--spec") { Description = "Feature spec JSON: application field mapping and reason texts (see docs/risk.md)." };
        var name = new Option<string?>("--name") { Description = "The model's registry name; default: the data file's name." };
        var nestedFolds = new Option<int>("--nested-folds")
        {
            Description = "Also estimate every candidate by nested cross-validation with this many inner folds (the grid and blend chosen inside each outer fold's training rows), so the reported figures are not lifted by the choice; 0: no (about 1 + this many times the training time).",
            DefaultValueFactory = _ => 0,
        };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the bundle and the report.", Required = true };
        var command = new Command("train", "Trains a credit-risk model and writes its bundle and report.")
        {
            data, label, bad, foldColumn, folds, seed, nestedFolds, ignore, spec, name, output, fromPlatform, window, storage,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            DirectoryInfo outDir = parse.GetValue(output)!;
            if (parse.GetValue(fromPlatform))
            {
                if (parse.GetValue(data) is not null)
                {
                    await Console.Error.WriteLineAsync("error: --from-platform trains on the platform's data; leave out --data.");
                    return 2;
                }

                string w = parse.GetValue(window)!;
                if (!JisuDai.Risk.Outcomes.OutcomeWindows.All.Contains(w))
                {
                    await Console.Error.WriteLineAsync($"error: --window must be one of {string.Join(", ", JisuDai.Risk.Outcomes.OutcomeWindows.All)}.");
                    return 2;
                }

                int code = 0;
                int guarded = await StorageConnection.RunComposedAsync(parse.GetValue(storage), null, new Dictionary<string, string?> { [App.Configuration.AppSettings.RetrainingWindow] = w }, async services =>
                {
                    var training = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<App.Monitoring.PlatformTraining>(services);
                    App.Monitoring.PlatformExport export = await training.ExportAsync(cancellationToken);
                    Console.Error.WriteLine($"Exported {export.Rows.Count} labelled decisions ({export.Rows.Count(r => r.Bad)} bad in {w}) for {export.Champion.Name}, champion {export.Champion.Version}.");
                    outDir.Create();
                    FileInfo csv = new(Path.Combine(outDir.FullName, "platform-data.csv"));
                    await File.WriteAllTextAsync(csv.FullName, PlatformData.Csv(PlatformData.Table(export.Champion.Model.Inputs, export.Rows, parse.GetValue(folds))), cancellationToken);
                    code = Run(csv, PlatformData.Label, PlatformData.Options.BadValue, PlatformData.Period, parse.GetValue(folds), parse.GetValue(seed), parse.GetValue(nestedFolds), null,
                        null, export.Champion.Name, outDir, cancellationToken, export.Champion.Spec);
                }, typeof(JisuDai.Risk.Models.ModelRegistryException), typeof(CreditDataException));
                return guarded != 0 ? guarded : code;
            }

            if (parse.GetValue(data) is not { } file || parse.GetValue(label) is not { } l || parse.GetValue(bad) is not { } b)
            {
                await Console.Error.WriteLineAsync("error: give --data, --label and --bad (or --from-platform).");
                return 2;
            }

            return Run(file, l, b, parse.GetValue(foldColumn), parse.GetValue(folds), parse.GetValue(seed), parse.GetValue(nestedFolds), parse.GetValue(ignore), parse.GetValue(spec), parse.GetValue(name), outDir, cancellationToken);
        });
        return command;
    }

    static int Run(FileInfo dataFile, string label, string bad, string? foldColumn, int folds, int seed, int nestedFolds, string? ignore,
        FileInfo? specFile, string? name, DirectoryInfo output, CancellationToken cancellationToken, FeatureSpec? givenSpec = null)
    {
        try
        {
            if (folds < 2)
            {
                throw new CreditDataException("--folds must be at least 2.");
            }

            if (nestedFolds is < 0 or 1)
            {
                throw new CreditDataException("--nested-folds must be 0 (none) or at least 2.");
            }

            if (!dataFile.Exists)
            {
                throw new CreditDataException($"{dataFile.FullName}: no such file.");
            }

            FeatureSpec featureSpec = givenSpec ?? FeatureSpec.Identity;
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
            TrainingResult result = ModelTrainer.Train(dataset, new TrainingOptions(folds, seed, NestedFolds: nestedFolds == 0 ? null : nestedFolds), new ConsoleProgress<TrainingProgress>(p => (p.Done, p.Total, p.Stage)), cancellationToken);
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

            if (result.Report.Nested is { } nested)
            {
                Console.Out.WriteLine($"Nested cross-validation ({nested.OuterFolds} outer folds, {nested.InnerFolds} inner):");
                foreach (CandidateReport c in nested.Candidates)
                {
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {c.Name,-14} AUC {c.Auc.Mean:F4} ± {c.Auc.Std:F4}   KS {c.Ks.Mean:F4}   Gini {c.Gini.Mean:F4}   Brier {c.Brier.Mean:F4}"));
                }
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
