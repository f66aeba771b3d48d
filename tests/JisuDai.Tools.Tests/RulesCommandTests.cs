using JisuDai.Tests.Shared.Security;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using JisuDai.Adapters.Composition;
using JisuDai.App.Risk;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Data;
using JisuDai.Risk.Defaults;
using JisuDai.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Tools.Tests;

/// <summary><c>jisudai rules</c> and <c>jisudai decisions replay</c>, run as a risk officer runs them.</summary>
public sealed class RulesCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    static string Temp(string name, string content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}-{name}");
        File.WriteAllText(path, content);
        return path;
    }

    static string DefaultRules => Encoding.UTF8.GetString(DefaultModel.RulesJson());

    [Fact]
    public void Validate_accepts_the_default_rules_and_lists_every_error_of_a_bad_file_by_JSON_path()
    {
        var ok = JisudaiCli.Run("rules", "validate", Repository.Path("risk", "Defaults", "default-rules.json"));
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("valid: default version ", ok.Out);

        JsonNode doc = JsonNode.Parse(DefaultRules)!;
        doc["tables"]![0]!["hitPolicy"] = "any";
        doc["tables"]![0]!["rules"]![0]!["when"] = "application.age <";
        var bad = JisudaiCli.Run("rules", "validate", Temp("bad.json", doc.ToJsonString()));

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("error: $.tables[0].hitPolicy: must be first, priority or collect.", bad.Error);
        Assert.Contains("error: $.tables[0].rules[0].when: at 17: The expression ended too soon.", bad.Error);
    }

    [Fact]
    public void Backtest_compares_a_candidate_with_the_baseline_and_shows_each_rules_change()
    {
        // Past applications: the bundled data's rows as application fields, with an income and the known outcome.
        using TextReader text = DefaultModel.OpenData();
        RawTable raw = TabularText.Read(text, DefaultModel.DataName);
        int Column(string name) => raw.Columns.ToList().IndexOf(name);
        var housing = new Dictionary<string, string> { ["rent"] = "rent", ["own"] = "own", ["for free"] = "free" };
        var csv = new StringBuilder("termMonths,amount,age,housing,monthlyIncome,outcome\n");
        for (int r = 0; r < 300; r++)
        {
            string?[] c = raw.Rows[r].Cells;
            csv.Append(CultureInfo.InvariantCulture, $"{c[Column("duration")]},{c[Column("credit_amount")]},{c[Column("age")]},{housing[c[Column("housing")]!]},{8000 + r * 10},{c[Column("class")]}\n");
        }

        JsonNode candidate = JsonNode.Parse(DefaultRules)!;
        candidate["tables"]![0]!["rules"]!.AsArray().Add(JsonNode.Parse("""{ "id": "POL-YOUNG", "when": "application.age < 25", "action": "decline", "reason": "TOO_YOUNG" }"""));

        var result = JisudaiCli.Run("rules", "backtest", "--rules", Temp("candidate.json", candidate.ToJsonString()),
            "--data", Temp("past.csv", csv.ToString()), "--label", "outcome", "--bad", "bad");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("300 applications scored", result.Out);
        Assert.Matches(@"approved\s+\d+\.\d%\s+\d+\.\d%", result.Out);
        Assert.Matches(@"declined\s+\d+\.\d%\s+\d+\.\d%", result.Out);
        int young = Enumerable.Range(0, 300).Count(r => int.Parse(raw.Rows[r].Cells[Column("age")]!, CultureInfo.InvariantCulture) < 25);
        Assert.Matches($@"POL-YOUNG\s+0\s+{young}\s+\+{young}", result.Out);
        Assert.Contains("progress 300/300", result.Error);
    }

    [Fact]
    public void Backtest_refuses_columns_that_are_not_application_fields()
    {
        var result = JisudaiCli.Run("rules", "backtest", "--rules", Repository.Path("risk", "Defaults", "default-rules.json"),
            "--data", Temp("past.csv", "amount,salary\n1000,5\n"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("columns that are not application fields: salary", result.Error);
    }

    [Fact]
    public async Task Replay_from_the_command_line_reproduces_a_recorded_decision()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.Server.ConnectionString,
            ["Security:PersonalDataKey"] = TestTokens.PersonalDataKey,
        }.Concat(TestKeyVault.Settings)).Build();
        await using ServiceProvider services = new ServiceCollection().AddLogging().AddJisuDai(configuration).BuildServiceProvider();
        await services.GetRequiredService<RiskModel>().RefreshAsync(CancellationToken.None);
        var application = new Dictionary<string, string?> { ["amount"] = "8000", ["termMonths"] = "12", ["age"] = "30", ["monthlyIncome"] = "9000", ["housing"] = "rent" };
        var outcome = await services.GetRequiredService<CreditDecisions>().DecideAsync(new DecisionCommand(
            "replay-key", "c-replay", null, "express", application, new ApplicantIdentity("110101199001011234", "+8613900000000", "Chen Liu", "dev-r", "10.0.0.9"), null), CancellationToken.None);
        string id = Assert.IsType<DecisionOutcome.Decided>(outcome).Decision.Id;

        var replay = JisudaiCli.Run("decisions", "replay", id, "--storage", azurite.Server.ConnectionString);
        var missing = JisudaiCli.Run("decisions", "replay", "0123.c-none", "--storage", azurite.Server.ConnectionString);

        Assert.True(replay.ExitCode == 0, replay.Error + replay.Out);
        Assert.Contains("reproduced exactly", replay.Out);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("there is no decision 0123.c-none", missing.Error);
    }
}
