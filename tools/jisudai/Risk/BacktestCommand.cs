using System.CommandLine;
using System.Globalization;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Data;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;
using JisuDai.Risk.Rules;
using JisuDai.Risk.Scoring;

namespace JisuDai.Tools.Risk;

/// <summary>
/// <c>jisudai rules backtest</c>: runs a candidate rule set and a baseline over past applications (a CSV of application
/// fields, with outcomes where known) and prints approval, review and decline rates, the expected bad rate of those
/// approved (the model's mean PD) and the observed one where outcomes are known, and each rule's firings in both.
/// Fraud checks are taken as clean: past applications' velocity and blacklist state are not in the file.
/// </summary>
static class BacktestCommand
{
    public static Command Create()
    {
        var rules = new Option<FileInfo>("--rules") { Description = "The candidate rule set (JSON).", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "Past applications: CSV or ARFF with a column per application field.", Required = true };
        var baseline = new Option<FileInfo?>("--baseline") { Description = "The rule set to compare with; default: the bundled default rules." };
        var model = new Option<DirectoryInfo?>("--model") { Description = "A model bundle folder (from 'jisudai train'); default: the default model, trained here." };
        var label = new Option<string?>("--label") { Description = "The outcome column, where known." };
        var bad = new Option<string?>("--bad") { Description = "The outcome value that means bad." };
        var product = new Option<FileInfo?>("--product") { Description = "The product applied for, as a product document (JSON, as POST /api/products takes); default: the built-in Express." };
        var command = new Command("backtest", "Compares a candidate rule set with a baseline over past applications.") { rules, data, baseline, model, label, bad, product };
        command.SetAction(parse => Run(parse.GetValue(rules)!, parse.GetValue(data)!, parse.GetValue(baseline), parse.GetValue(model),
            parse.GetValue(label), parse.GetValue(bad), parse.GetValue(product)));
        return command;
    }

    static int Run(FileInfo rulesFile, FileInfo dataFile, FileInfo? baselineFile, DirectoryInfo? modelDir, string? label, string? bad, FileInfo? productFile)
    {
        LoanProduct loanProduct = BuiltInProducts.Express;
        if (productFile is not null)
        {
            Outcome<ProductDraft> draft = ProductDocument.Parse(File.ReadAllBytes(productFile.FullName));
            if (!draft.Succeeded)
            {
                Console.Error.WriteLine($"error: --product {productFile.Name}: {string.Join("; ", draft.Errors.Select(e => $"{e.Field}: {e.Message}"))}");
                return 2;
            }

            loanProduct = draft.Value!.Product;
        }

        if ((label is null) != (bad is null))
        {
            Console.Error.WriteLine("error: --label and --bad go together.");
            return 2;
        }

        ModelBundle bundle;
        if (modelDir is not null)
        {
            try
            {
                bundle = ModelBundle.FromFiles(modelDir.GetFiles().ToDictionary(f => f.Name, f => File.ReadAllBytes(f.FullName)));
            }
            catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException)
            {
                Console.Error.WriteLine($"error: {modelDir.FullName}: {e.Message}");
                return 2;
            }
        }
        else
        {
            Console.Error.WriteLine("Training the default model (pass --model to use a registered bundle)...");
            bundle = DefaultModel.Train();
        }

        var scorer = new CreditScorer(bundle);
        FactCatalog catalog = DecisionFacts.Catalog(scorer.Features);
        RuleSet? candidate = Parse(File.Exists(rulesFile.FullName) ? File.ReadAllBytes(rulesFile.FullName) : null, rulesFile.FullName, catalog);
        RuleSet? current = Parse(baselineFile is null ? DefaultModel.RulesJson() : File.Exists(baselineFile.FullName) ? File.ReadAllBytes(baselineFile.FullName) : null,
            baselineFile?.FullName ?? "the bundled default rules", catalog);
        if (candidate is null || current is null)
        {
            return 2;
        }

        RawTable table;
        try
        {
            using TextReader text = dataFile.OpenText();
            table = TabularText.Read(text, dataFile.Name);
        }
        catch (Exception e) when (e is CreditDataException or FileNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        int labelColumn = label is null ? -1 : table.Columns.ToList().FindIndex(c => string.Equals(c, label, StringComparison.OrdinalIgnoreCase));
        if (label is not null && labelColumn < 0)
        {
            Console.Error.WriteLine($"error: {dataFile.Name}: there is no column '{label}' (from --label).");
            return 2;
        }

        int behaviourColumn = table.Columns.ToList().IndexOf("behaviourScore");
        var known = scorer.Features.Fields.Concat(DecisionFacts.DecisionFields.Select(f => f.Field)).ToHashSet(StringComparer.Ordinal);
        var fieldColumns = Enumerable.Range(0, table.Columns.Count).Where(c => c != labelColumn && c != behaviourColumn).ToList();
        var unknown = fieldColumns.Select(c => table.Columns[c]).Where(c => !known.Contains(c)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"error: {dataFile.Name}: columns that are not application fields: {string.Join(", ", unknown)}. Fields: {string.Join(", ", known.Order())}.");
            return 2;
        }

        var modelFields = scorer.Features.Fields.ToHashSet(StringComparer.Ordinal);
        var progress = new ConsoleProgress<int>(done => (done, table.Rows.Count, "applications"));
        var backtest = new Backtest();
        int unscorable = 0;
        DateOnly on = DateOnly.FromDateTime(DateTime.UtcNow);
        for (int r = 0; r < table.Rows.Count; r++)
        {
            RawRow row = table.Rows[r];
            var application = fieldColumns.ToDictionary(c => table.Columns[c], c => row.Cells[c]);
            var mapped = scorer.Features.Map(application.Where(f => modelFields.Contains(f.Key)).ToDictionary());
            if (!mapped.Succeeded)
            {
                if (unscorable++ < 5)
                {
                    Console.Error.WriteLine($"warning: {dataFile.Name}, line {row.Line}: {string.Join(" ", mapped.Errors.Select(e => e.Message))}");
                }

                progress.Report(r + 1);
                continue;
            }

            ScoreResult score = scorer.Score(mapped.Value!);
            CustomerHistory? customer = behaviourColumn >= 0 && double.TryParse(row.Cells[behaviourColumn], CultureInfo.InvariantCulture, out double b) ? new CustomerHistory(b) : null;
            var request = new DecisionRequest(application, CheckResults.Clean, customer, loanProduct, on);
            bool? isBad = labelColumn >= 0 && row.Cells[labelColumn] is { } outcome ? string.Equals(outcome, bad, StringComparison.OrdinalIgnoreCase) : null;
            DecisionResult a = DecisionEngine.Decide(current, catalog, request, score), c2 = DecisionEngine.Decide(candidate, catalog, request, score);
            backtest.Add(a, current.Version, c2, candidate.Version, score.ProbabilityOfDefault, isBad);
            progress.Report(r + 1);
        }

        BacktestReport report = backtest.Report();
        int scored = report.Applications;
        static string Percent(double share, int decimals) => (share * 100).ToString($"F{decimals}", CultureInfo.InvariantCulture) + "%";
        string Rate(int n) => scored == 0 ? "-" : Percent(n / (double)scored, 1);
        string Mean(BacktestArm arm) => arm.ExpectedBadRate is { } rate ? Percent(rate, 2) : "-";
        string Observed(BacktestArm arm) => arm.ObservedBadRate is { } rate ? $"{Percent(rate, 2)} of {arm.ApprovedWithOutcome}" : "-";
        (BacktestArm before, BacktestArm after) = (report.Baseline, report.Candidate);
        Console.Out.WriteLine($"{scored} applications scored with model {bundle.Name} {bundle.Version}{(unscorable > 0 ? $"; {unscorable} skipped (bad fields)" : "")}.");
        Console.Out.WriteLine($"{"",-28} {"baseline " + current.Version,-28} {"candidate " + candidate.Version,-28}");
        Console.Out.WriteLine($"{"approved",-28} {Rate(before.Approved),-28} {Rate(after.Approved),-28}");
        Console.Out.WriteLine($"{"referred to review",-28} {Rate(before.Referred),-28} {Rate(after.Referred),-28}");
        Console.Out.WriteLine($"{"declined",-28} {Rate(before.Declined),-28} {Rate(after.Declined),-28}");
        Console.Out.WriteLine($"{"expected bad rate, approved",-28} {Mean(before),-28} {Mean(after),-28}");
        Console.Out.WriteLine($"{"observed bad rate, approved",-28} {Observed(before),-28} {Observed(after),-28}");
        Console.Out.WriteLine($"{"outcome changed",-28} {report.Changed} applications");
        Console.Out.WriteLine();
        Console.Out.WriteLine($"{"rule",-24} {"baseline",10} {"candidate",10} {"change",10}");
        foreach (RuleFirings rule in report.Rules)
        {
            Console.Out.WriteLine($"{rule.RuleId,-24} {rule.Baseline,10} {rule.Candidate,10} {rule.Candidate - rule.Baseline,10:+0;-0;0}");
        }

        return 0;
    }

    static RuleSet? Parse(byte[]? json, string source, FactCatalog catalog)
    {
        if (json is null)
        {
            Console.Error.WriteLine($"error: {source}: no such file.");
            return null;
        }

        (RuleSet? ruleSet, var errors) = RuleSet.Parse(json, catalog);
        foreach (RuleSetError error in errors)
        {
            Console.Error.WriteLine($"error: {source}: {error.Path}: {error.Message}");
        }

        return ruleSet;
    }
}
