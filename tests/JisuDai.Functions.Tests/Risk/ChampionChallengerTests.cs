using JisuDai.App.Results;
using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Lending;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Data;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;
using JisuDai.Risk.Training;
using JisuDai.Risk.Trees;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Functions.Tests.Risk;

/// <summary>A challenger set through four eyes decides its share of customers, sticky per customer, and scores every other application in shadow.</summary>
public sealed class ChampionChallengerTests(DecisionServices services) : IClassFixture<DecisionServices>
{
    static readonly Caller First = new("adm-1", new HashSet<string> { Roles.Admin }), Second = new("adm-2", new HashSet<string> { Roles.Admin });

    static ModelBundle Challenger()
    {
        using TextReader text = DefaultModel.OpenData();
        CreditDataset data = CreditDataset.Prepare(TabularText.Read(text, DefaultModel.DataName), DefaultModel.Options, DefaultModel.DataName);
        TrainingResult result = ModelTrainer.Train(data.Select(Enumerable.Range(0, 600).ToArray()), new TrainingOptions(Folds: 3, Seed: 3, TreeGrid: [new TreeParameters(4, 3, 0.1, 20)]));
        return new ModelBundle(DefaultModel.Name, result.Model, DefaultModel.Spec, result.Report);
    }

    static DecisionCommand Command(string customer, string key, bool whatIf = false) => new(key, customer, whatIf ? null : $"app-{key}.{customer}", "express",
        new Dictionary<string, string?>
        {
            ["amount"] = "20000", ["termMonths"] = "12", ["age"] = "40", ["monthlyIncome"] = "15000", ["monthlyDebtPayments"] = "500", ["housing"] = "own",
            ["purpose"] = "used-car", ["employmentYears"] = "8", ["checkingBalance"] = "900", ["savingsBalance"] = "3000", ["creditHistory"] = "critical",
        },
        new ApplicantIdentity($"1101011980{Math.Abs(customer.GetHashCode()) % 100000000:00000000}", $"+86139{Math.Abs(key.GetHashCode()) % 100000000:00000000}", "Li Si", $"dev-{key}", "10.1.2.3"), null);

    /// <summary>Four eyes over the challenger power alone (the app's other powers need a payment provider configured).</summary>
    static FourEyes FourEyesOf(ServiceProvider provider) => new(provider.GetRequiredService<JisuDai.Lending.Documents.IDocumentStore<StaffRequest>>(),
        [new ModelChallengerPower(provider.GetRequiredService<ModelDesk>(), TimeProvider.System)], provider.GetRequiredService<IAuditLog>(), TimeProvider.System);

    static async Task SetChallengerAsync(ServiceProvider provider, ModelChallengerBody body)
    {
        var desk = provider.GetRequiredService<ModelDesk>();
        FourEyes fourEyes = FourEyesOf(provider);
        Result<StaffRequest> proposed = await desk.ProposeChallengerAsync(First, DefaultModel.Name, body, fourEyes, CancellationToken.None);
        Assert.True(proposed.Succeeded, proposed.Detail);
        // The proposer cannot approve their own; a second admin can.
        Assert.Equal(Refusal.Forbidden, (await fourEyes.ApproveAsync(First, proposed.Value!.Id, proposed.Value.Digest, new StaffContext(null!, null!), CancellationToken.None)).Refused);
        var approved = await fourEyes.ApproveAsync(Second, proposed.Value.Id, proposed.Value.Digest, new StaffContext(null!, null!), CancellationToken.None);
        Assert.True(approved.Succeeded, approved.Detail);
    }

    [Fact]
    public async Task A_challenger_on_half_the_traffic_decides_about_half_the_customers_each_always_the_same_way_and_the_other_model_scores_in_shadow()
    {
        ServiceProvider setup = await services.ProviderAsync("default");
        var registry = setup.GetRequiredService<IModelRegistry>();
        ModelBundle challenger = Challenger();
        await registry.RegisterAsync(challenger, CancellationToken.None);
        string champion = (await registry.GetChampionAsync(DefaultModel.Name, CancellationToken.None))!.Version;

        var desk = setup.GetRequiredService<ModelDesk>();
        Assert.Equal(Refusal.Invalid, (await desk.ProposeChallengerAsync(First, DefaultModel.Name, new ModelChallengerBody(challenger.Version, 0.6), FourEyesOf(setup), CancellationToken.None)).Refused);
        Assert.Equal(Refusal.Conflict, (await desk.ProposeChallengerAsync(First, DefaultModel.Name, new ModelChallengerBody(champion, 0.2), FourEyesOf(setup), CancellationToken.None)).Refused);
        await SetChallengerAsync(setup, new ModelChallengerBody(challenger.Version, 0.5));

        ServiceProvider provider = await services.ProviderAsync("default");
        var decisions = provider.GetRequiredService<CreditDecisions>();
        var made = new List<CreditDecision>();
        for (int i = 0; i < 120; i++)
        {
            made.Add(Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(Command($"cc-{i}", $"k{i}"), CancellationToken.None)).Decision);
        }

        int inChallenger = made.Count(d => d.Arm == ModelArms.Challenger);
        Assert.InRange(inChallenger, 40, 80); // 60 expected; 40 to 80 is beyond four standard deviations
        Assert.All(made, d =>
        {
            Assert.Equal(d.Arm == ModelArms.Challenger ? (challenger.Version, champion) : (champion, challenger.Version), (d.ModelVersion, d.Shadow!.ModelVersion));
            Assert.NotNull(d.Shadow.Score);
            Assert.True(d.TimingsMicroseconds.ContainsKey("shadow"));
        });

        // The same customer, another application: the same arm.
        foreach (CreditDecision d in made.Take(20))
        {
            CreditDecision again = Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(Command(d.CustomerId, $"again-{d.CustomerId}"), CancellationToken.None)).Decision;
            Assert.Equal(d.Arm, again.Arm);
        }

        // A challenger's decision replays with the model that made it; a staff what-if is the champion's alone.
        CreditDecision byChallenger = made.First(d => d.Arm == ModelArms.Challenger);
        Assert.True((await decisions.ReplayAsync(byChallenger.Id, CancellationToken.None))!.Reproduced);
        CreditDecision whatIf = Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(Command("cc-0", "what-if", whatIf: true), CancellationToken.None)).Decision;
        Assert.Equal((ModelArms.Champion, champion), (whatIf.Arm, whatIf.ModelVersion));
        Assert.Null(whatIf.Shadow);

        // Promoting the challenger needs a comparison that passes the guardrails: none yet, then one with nothing matured.
        var modelDesk = provider.GetRequiredService<ModelDesk>();
        Result<StaffRequest> early = await modelDesk.ProposePromotionAsync(First, DefaultModel.Name, new ModelPromotionBody(challenger.Version), FourEyesOf(provider), CancellationToken.None);
        Assert.Equal(Refusal.Conflict, early.Refused);
        Assert.Contains("no comparison", early.Detail);
        var monitoring = provider.GetRequiredService<JisuDai.App.Monitoring.RiskMonitoring>();
        var run = await monitoring.RunAsync(JisuDai.Lending.Calendar.LenderCalendar.Today(TimeProvider.System), CancellationToken.None);
        Assert.Equal((champion, challenger.Version, 0), (run.Comparison!.ChampionVersion, run.Comparison.ChallengerVersion, run.Comparison.PairedLoans));
        // 120 applications and 20 more from the first 20 customers, each in the arm its customer was drawn into.
        Assert.Equal(inChallenger + made.Take(20).Count(d => d.Arm == ModelArms.Challenger), run.Comparison.Challenger.Applications);
        Assert.Equal(140, run.Comparison.Champion.Applications + run.Comparison.Challenger.Applications);
        Assert.False(run.Comparison.Passes);
        Assert.Equal(run.Comparison.AsOf, (await modelDesk.ComparisonAsync(DefaultModel.Name, CancellationToken.None)).Value!.AsOf);
        Result<StaffRequest> refused = await modelDesk.ProposePromotionAsync(First, DefaultModel.Name, new ModelPromotionBody(challenger.Version), FourEyesOf(provider), CancellationToken.None);
        Assert.Equal(Refusal.Conflict, refused.Refused);
        Assert.Contains("does not pass the guardrails", refused.Detail);

        // Ended through four eyes: every application is the champion's again, with nothing in shadow.
        await SetChallengerAsync(setup, new ModelChallengerBody(null, null));
        ServiceProvider after = await services.ProviderAsync("default");
        CreditDecision later = Assert.IsType<DecisionOutcome.Decided>(await after.GetRequiredService<CreditDecisions>().DecideAsync(Command(byChallenger.CustomerId, "after-end"), CancellationToken.None)).Decision;
        Assert.Equal((ModelArms.Champion, champion), (later.Arm, later.ModelVersion));
        Assert.Null(later.Shadow);

        // Ended, it is still held to its last comparison: it cannot be promoted around the guardrails.
        Result<StaffRequest> afterEnd = await modelDesk.ProposePromotionAsync(First, DefaultModel.Name, new ModelPromotionBody(challenger.Version), FourEyesOf(provider), CancellationToken.None);
        Assert.Equal(Refusal.Conflict, afterEnd.Refused);
        Assert.Contains("does not pass the guardrails", afterEnd.Detail);
    }

    [Fact]
    public async Task A_cap_on_the_challengers_arm_stops_its_approvals_for_the_day_and_leaves_the_champions_alone()
    {
        ServiceProvider provider = await services.ProviderAsync("default");
        var caps = provider.GetRequiredService<DailyCapDesk>();
        var day = new DateOnly(2026, 12, 7);
        await provider.GetRequiredService<IDailyCapStore>().SetAsync(new DailyCaps([new DailyCap(CapScope.ModelArm, ModelArms.Challenger, 1, null)], 1), CancellationToken.None);

        Assert.Null(await caps.CountApprovalAsync("a1.c", "express", "default", ModelArms.Challenger, day, CancellationToken.None));
        Assert.Equal("approvals|ModelArm|challenger", await caps.CountApprovalAsync("a2.c", "express", "default", ModelArms.Challenger, day, CancellationToken.None));
        Assert.Null(await caps.CountApprovalAsync("a3.c", "express", "default", ModelArms.Champion, day, CancellationToken.None));

        // Proposed, an arm cap names an arm.
        Result<StaffRequest> bad = await caps.ProposeAsync(First, new DailyCapsBody([new DailyCap(CapScope.ModelArm, "winner", 5, null)], 1), FourEyesOf(provider), CancellationToken.None);
        Assert.Equal(Refusal.Invalid, bad.Refused);
        Assert.Equal("caps[0].key", Assert.Single(bad.Errors).Field);
    }

    [Fact]
    public async Task A_rule_set_challenger_decides_its_share_of_customers_the_other_rule_set_is_evaluated_in_shadow_and_ending_it_takes_four_eyes()
    {
        ServiceProvider provider = await services.ProviderAsync("default");
        var desk = provider.GetRequiredService<RuleSetDesk>();
        FourEyes fourEyes = new(provider.GetRequiredService<JisuDai.Lending.Documents.IDocumentStore<StaffRequest>>(), [new RuleSetChallengerPower(desk)],
            provider.GetRequiredService<IAuditLog>(), TimeProvider.System);

        // The challenger declines everyone: any applicant in its arm is declined, whatever the rule set in force says.
        var document = System.Text.Json.Nodes.JsonNode.Parse(DefaultModel.RulesJson())!;
        document["tiers"] = System.Text.Json.Nodes.JsonNode.Parse("[{ \"tier\": \"all\", \"action\": \"decline\", \"incomeMultiple\": 1, \"annualRate\": 0.2 }]");
        document["description"] = "challenger: decline everything";
        var body = new RuleSetChallengerBody(System.Text.Json.JsonDocument.Parse(document.ToJsonString()).RootElement, 0.5);
        Assert.Equal(Refusal.Invalid, (await desk.ProposeChallengerAsync(First, body with { TrafficShare = 0.7 }, fourEyes, CancellationToken.None)).Refused);
        Result<StaffRequest> proposed = await desk.ProposeChallengerAsync(First, body, fourEyes, CancellationToken.None);
        Assert.True(proposed.Succeeded, proposed.Detail);
        Assert.Equal(Refusal.Forbidden, (await fourEyes.ApproveAsync(First, proposed.Value!.Id, proposed.Value.Digest, new StaffContext(null!, null!), CancellationToken.None)).Refused);
        Assert.True((await fourEyes.ApproveAsync(Second, proposed.Value.Id, proposed.Value.Digest, new StaffContext(null!, null!), CancellationToken.None)).Succeeded);

        var decisions = (await services.ProviderAsync("default")).GetRequiredService<CreditDecisions>();
        var made = new List<CreditDecision>();
        for (int i = 0; i < 60; i++)
        {
            made.Add(Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(Command($"rs-{i}", $"rs{i}"), CancellationToken.None)).Decision);
        }

        string inForce = made.First(d => d.RuleSetArm == ModelArms.Champion).RuleSetVersion;
        Assert.InRange(made.Count(d => d.RuleSetArm == ModelArms.Challenger), 15, 45);
        Assert.All(made, d =>
        {
            Assert.NotNull(d.RuleSetShadow);
            if (d.RuleSetArm == ModelArms.Challenger)
            {
                Assert.Equal(Lending.Applications.CreditOutcome.Decline, d.Result.Outcome);
                Assert.Equal(inForce, d.RuleSetShadow!.RuleSetVersion);
            }
            else
            {
                Assert.Equal(inForce, d.RuleSetVersion);
                Assert.Equal(Lending.Applications.CreditOutcome.Decline, d.RuleSetShadow!.Result.Outcome);
            }
        });
        Assert.True((await decisions.ReplayAsync(made.First(d => d.RuleSetArm == ModelArms.Challenger).Id, CancellationToken.None))!.Reproduced);

        Result<StaffRequest> end = await desk.ProposeChallengerAsync(First, new RuleSetChallengerBody(null, null), fourEyes, CancellationToken.None);
        Assert.True((await fourEyes.ApproveAsync(Second, end.Value!.Id, end.Value.Digest, new StaffContext(null!, null!), CancellationToken.None)).Succeeded);
        CreditDecision after = Assert.IsType<DecisionOutcome.Decided>(await (await services.ProviderAsync("default")).GetRequiredService<CreditDecisions>()
            .DecideAsync(Command("rs-0", "rs-after"), CancellationToken.None)).Decision;
        Assert.Null(after.RuleSetShadow);
        Assert.Equal(inForce, after.RuleSetVersion);
    }
}
