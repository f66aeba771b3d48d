using System.CommandLine;
using System.Text.Json;
using JisuDai.Adapters.Composition;
using JisuDai.App.Results;
using JisuDai.App.Risk;
using JisuDai.Lending;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Models;
using JisuDai.Risk.Rules;
using JisuDai.Risk.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Tools.Risk;

/// <summary><c>jisudai decisions replay ID</c>: re-runs a recorded decision with the model and rule-set versions it names.</summary>
static class DecisionsCommand
{
    public static Command Create()
    {
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: $AzureWebJobsStorage, else the running local host's Azurite).", Recursive = true };
        var id = new Argument<string>("id") { Description = "The decision id." };
        var replay = new Command("replay", "Re-runs a decision; exit 0 when it reproduces exactly, 3 when it does not.") { id };
        replay.SetAction(async (parse, ct) =>
        {
            int exit = 0;
            int code = await StorageConnection.RunAsync(parse.GetValue(storage), async connectionString =>
            {
                await using ServiceProvider services = AppComposition.Over(connectionString);
                Replay? result = await services.GetRequiredService<CreditDecisions>().ReplayAsync(parse.GetValue(id)!, ct);
                if (result is null)
                {
                    Console.Error.WriteLine($"error: there is no decision {parse.GetValue(id)}.");
                    exit = 2;
                    return;
                }

                var original = result.Original;
                Console.Out.WriteLine($"decision {original.Id} of {original.DecidedAt:O}: model {original.ModelName} {original.ModelVersion}, rules {original.RuleSetName} {original.RuleSetVersion}");
                Console.Out.WriteLine($"recorded: {Summary(original.Result, original.Score)}");
                Console.Out.WriteLine($"replayed: {Summary(result.Result, result.Score)}");
                Console.Out.WriteLine(result.Reproduced ? "reproduced exactly" : "DIFFERENT");
                exit = result.Reproduced ? 0 : 3;
            }, typeof(ModelRegistryException), typeof(RuleSetStoreException));
            return code != 0 ? code : exit;
        });
        return new Command("decisions", "Recorded credit decisions.") { storage, replay };
    }

    static string Summary(JisuDai.Risk.Decisions.DecisionResult r, JisuDai.Risk.Scoring.ScoreResult s) =>
        $"{r.Outcome}, tier {r.Tier}, PD {s.ProbabilityOfDefault:F6}, score {s.Score}, limit {r.Limit}, rate {r.AnnualRate}, rules [{string.Join(", ", r.Fired.Select(f => f.RuleId))}], reasons [{string.Join(", ", r.Reasons)}]";
}
