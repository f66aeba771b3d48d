using System.CommandLine;
using System.Globalization;
using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Risk;
using JisuDai.App.Risk;
using JisuDai.Risk.Rules;

namespace JisuDai.Tools.Risk;

/// <summary><c>jisudai rules validate|publish|rollback|list|backtest</c>.</summary>
static class RulesCommand
{
    public static Command Create()
    {
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: $AzureWebJobsStorage, else the running local host's Azurite).", Recursive = true };

        var file = new Argument<FileInfo>("file") { Description = "A rule-set JSON file (docs/rules.md)." };
        var validate = new Command("validate", "Checks a rule set; prints each error with its JSON path.") { file };
        validate.SetAction(parse =>
        {
            RuleSet? ruleSet = Read(parse.GetValue(file)!);
            if (ruleSet is null)
            {
                return 2;
            }

            Console.Out.WriteLine($"valid: {ruleSet.Document.Name} version {ruleSet.Version}, {ruleSet.Document.Tiers.Count} tiers, {ruleSet.Tables.Count} tables, {ruleSet.RuleCount} rules, effective from {ruleSet.Document.EffectiveFrom:O}.");
            return 0;
        });

        var publishFile = new Argument<FileInfo>("file") { Description = "The rule-set JSON file to publish." };
        var publish = new Command("publish", "Validates and publishes a rule set; it decides from its effectiveFrom time.") { publishFile };
        publish.SetAction((parse, ct) =>
        {
            RuleSet? ruleSet = Read(parse.GetValue(publishFile)!);
            return ruleSet is null ? Task.FromResult(2) : Run(parse.GetValue(storage), async store =>
            {
                PublishedRuleSet published = await store.PublishAsync(ruleSet, ct);
                Console.Out.WriteLine($"Published {published.Name} version {published.Version}, effective from {published.EffectiveFrom:O}.");
            });
        });

        var name = new Option<string>("--name") { Description = "The rule set's name.", DefaultValueFactory = _ => "default" };
        var rollback = new Command("rollback", "Withdraws the most recent publication; the one before it decides again.") { name };
        rollback.SetAction((parse, ct) => Run(parse.GetValue(storage), async store =>
        {
            PublishedRuleSet? inForce = await store.RollbackAsync(parse.GetValue(name)!, DateTimeOffset.UtcNow, ct);
            Console.Out.WriteLine(inForce is null ? "Rolled back; no publication is in force yet." : $"Rolled back; in force now: {inForce.Version} (effective from {inForce.EffectiveFrom:O}).");
        }));

        var listName = new Option<string>("--name") { Description = "The rule set's name.", DefaultValueFactory = _ => "default" };
        var list = new Command("list", "Lists a rule set's publications, newest first; * marks the one in force.") { listName };
        list.SetAction((parse, ct) => Run(parse.GetValue(storage), async store =>
        {
            var published = await store.ListAsync(parse.GetValue(listName)!, ct);
            PublishedRuleSet? inForce = RuleSetsInForce.At(published, DateTimeOffset.UtcNow);
            if (published.Count == 0)
            {
                Console.Out.WriteLine("Nothing is published under that name.");
                return;
            }

            Console.Out.WriteLine($"  {"version",-17} {"effective from",-26} {"published",-26} description");
            foreach (PublishedRuleSet p in published)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(ReferenceEquals(p, inForce) ? "*" : " ")} {p.Version,-17} {p.EffectiveFrom.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z{"",-6} {p.PublishedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z{"",-6} {p.Description}"));
            }
        }));

        return new Command("rules", "Rule sets: validate, publish, rollback, list, backtest.") { storage, validate, publish, rollback, list, BacktestCommand.Create() };
    }

    /// <summary>Reads and validates a rule-set file against the default model's facts; prints the errors and returns null when invalid.</summary>
    public static RuleSet? Read(FileInfo file)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"error: {file.FullName}: no such file.");
            return null;
        }

        (RuleSet? ruleSet, var errors) = RuleSet.Parse(File.ReadAllBytes(file.FullName), RuleSetCatalogs.Publishing);
        foreach (RuleSetError error in errors)
        {
            Console.Error.WriteLine($"error: {error.Path}: {error.Message}");
        }

        return ruleSet;
    }

    static Task<int> Run(string? storage, Func<IRuleSetStore, Task> action) =>
        StorageConnection.RunAsync(storage,
            connectionString => action(new BlobRuleSetStore(StorageAccount.FromConnectionString(connectionString).Blobs, TimeProvider.System)),
            typeof(RuleSetStoreException));
}
