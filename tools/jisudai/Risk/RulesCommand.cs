using System.CommandLine;
using System.Globalization;
using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Risk;
using JisuDai.App.Risk;
using JisuDai.Risk.Rules;

namespace JisuDai.Tools.Risk;

/// <summary>
/// <c>jisudai rules validate|publish|rollback|list|backtest</c>. Publishing and rolling back go through the app's API
/// (<c>--api</c>, <c>--token</c>) as proposals a second admin approves; listing reads the store.
/// </summary>
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

        Option<string> api = Staff.StaffApi.ApiOption();
        Option<string?> token = Staff.StaffApi.TokenOption();
        var publishFile = new Argument<FileInfo>("file") { Description = "The rule-set JSON file to publish." };
        var publish = new Command("publish", "Validates a rule set and proposes publishing it to the app; a second admin approves (jisudai staff approve).") { publishFile };
        publish.SetAction((parse, ct) =>
        {
            FileInfo document = parse.GetValue(publishFile)!;
            return Read(document) is null ? Task.FromResult(2)
                : Staff.StaffApi.SendAsync(parse, api, token, HttpMethod.Post, "rules", new ByteArrayContent(File.ReadAllBytes(document.FullName)) { Headers = { ContentType = new("application/json") } }, _ => "", ct);
        });

        var rollback = new Command("rollback", "Proposes withdrawing the app's most recent rule-set publication; a second admin approves.");
        rollback.SetAction((parse, ct) => Staff.StaffApi.SendAsync(parse, api, token, HttpMethod.Post, "rules/rollback", null, _ => "", ct));

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

        return new Command("rules", "Rule sets: validate, publish, rollback, list, backtest.") { storage, api, token, validate, publish, rollback, list, BacktestCommand.Create() };
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
