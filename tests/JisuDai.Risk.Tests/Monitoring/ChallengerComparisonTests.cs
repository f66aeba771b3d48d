using System.Security.Cryptography;
using System.Text;
using JisuDai.Risk.Data;
using JisuDai.Risk.Metrics;
using JisuDai.Risk.Models;
using JisuDai.Risk.Monitoring;
using JisuDai.Risk.Outcomes;

namespace JisuDai.Risk.Tests.Monitoring;

/// <summary>The arm draw and the champion/challenger comparison on books built by hand.</summary>
public sealed class ChallengerComparisonTests
{
    static readonly ChallengerArm Arm = new("challenger-1", 0.5, DateTimeOffset.UnixEpoch);
    static readonly DateOnly AsOf = new(2026, 12, 6);

    static byte[] Digest(string customer) => HMACSHA256.HashData("key"u8.ToArray(), Encoding.UTF8.GetBytes(ModelArms.DrawInput("credit-risk", "challenger-1", customer)));

    [Fact]
    public void The_draw_gives_the_challenger_its_share_of_customers_and_nothing_at_a_share_of_zero()
    {
        var customers = Enumerable.Range(0, 20_000).Select(i => $"c-{i}").ToList();
        double share = customers.Count(c => ModelArms.Assign(Digest(c), 0.3) == ModelArms.Challenger) / (double)customers.Count;
        Assert.InRange(share, 0.29, 0.31); // 0.3 ± 3 standard deviations of 20,000 draws
        Assert.All(customers.Take(500), c => Assert.Equal(ModelArms.Champion, ModelArms.Assign(Digest(c), 0)));
        // Sticky: a customer's draw is a function of the key, the model, the challenger and the customer.
        Assert.All(customers.Take(500), c => Assert.Equal(ModelArms.Assign(Digest(c), 0.3), ModelArms.Assign(Digest(c), 0.3)));
        // Each customer in the challenger at 0.3 is in it at 0.5 too: raising the share only adds customers.
        Assert.All(customers.Where(c => ModelArms.Assign(Digest(c), 0.3) == ModelArms.Challenger), c => Assert.Equal(ModelArms.Challenger, ModelArms.Assign(Digest(c), 0.5)));
    }

    /// <summary>Four months on book: first-payment default and ever 30+ in 3 months have matured, the longer windows not.</summary>
    static LoanOutcome Outcome(int i, bool bad) => new($"loan-{i}.c", "c", $"a-{i}", null, AsOf.AddMonths(-4), AsOf, 4, bad ? Label.Bad : Label.Good, Label.Immature, Label.Immature, Label.Immature,
        bad ? Label.Bad : Label.Good, 0, null, []);

    /// <summary>400 booked loans, a third bad; the champion ranks them with noise, the challenger as <paramref name="challengerPd"/> says.</summary>
    static List<ArmDecision> Book(Func<double, bool, Random, double> challengerPd, int loans = 400, double challengerBadRate = 1 / 3.0)
    {
        var random = new Random(11);
        var rows = new List<ArmDecision>();
        for (int i = 0; i < loans; i++)
        {
            string arm = i % 2 == 0 ? ModelArms.Champion : ModelArms.Challenger;
            bool bad = random.NextDouble() < (arm == ModelArms.Champion ? 1 / 3.0 : challengerBadRate);
            double truth = bad ? 0.6 : 0.3;
            double champion = Math.Clamp(truth + (random.NextDouble() - 0.5) * 0.8, 0.001, 0.999);
            rows.Add(new ArmDecision(arm, true, champion, challengerPd(truth, bad, random), 600 + random.Next(-50, 50), Outcome(i, bad)));
        }

        return rows;
    }

    static readonly BaselineBins ScoreBins = BaselineBins.Numeric(MonitoringBaseline.ScoreName, Enumerable.Range(550, 100).Select(s => (double)s).ToList());

    [Fact]
    public void A_challenger_that_ranks_better_passes_with_its_AUC_interval_above_the_champions()
    {
        ChallengerComparison better = ChallengerComparison.Of("credit-risk", "champion-1", Arm, AsOf,
            Book((truth, _, r) => Math.Clamp(truth + (r.NextDouble() - 0.5) * 0.2, 0.001, 0.999)), ScoreBins);

        // Matured in fpd and ever30in3 only: the comparison reads the longest window with enough loans.
        Assert.Equal(OutcomeWindows.Ever30In3, better.Window);
        Assert.Equal((200, 200, 400), (better.Champion.Applications, better.Challenger.Applications, better.PairedLoans));
        Assert.True(better.Auc!.B.Value > better.Auc.A.Value && better.Auc.Difference.Lower > 0, $"{better.Auc}");
        Assert.True(better.ChallengerKs!.Value.Value > better.ChampionKs!.Value.Value);
        Assert.True(better.ChampionKs.Value.Lower <= better.ChampionKs.Value.Value && better.ChampionKs.Value.Value <= better.ChampionKs.Value.Upper);
        Assert.NotNull(better.ArmPsi);
        Assert.DoesNotContain(better.Reasons, r => r.Contains("populations differ"));
        Assert.True(better.Passes, string.Join(" ", better.Reasons));
    }

    [Fact]
    public void A_challenger_that_ranks_worse_or_whose_arm_goes_bad_more_or_that_has_too_few_loans_does_not_pass_and_says_why()
    {
        ChallengerComparison worse = ChallengerComparison.Of("credit-risk", "champion-1", Arm, AsOf, Book((_, _, r) => r.NextDouble()), ScoreBins);
        Assert.False(worse.Passes);
        Assert.Contains(worse.Reasons, r => r.Contains("AUC is worse"));

        ChallengerComparison riskier = ChallengerComparison.Of("credit-risk", "champion-1", Arm, AsOf,
            Book((truth, _, r) => Math.Clamp(truth + (r.NextDouble() - 0.5) * 0.2, 0.001, 0.999), challengerBadRate: 0.6), ScoreBins);
        Assert.True(riskier.BadRateTest!.RateB > riskier.BadRateTest.RateA && riskier.BadRateTest.PValue < 0.05);
        Assert.Contains(riskier.Reasons, r => r.Contains("higher bad rate"));

        ChallengerComparison young = ChallengerComparison.Of("credit-risk", "champion-1", Arm, AsOf,
            Book((truth, _, r) => truth, loans: 30), ScoreBins);
        Assert.False(young.Passes);
        Assert.Contains(young.Reasons, r => r.StartsWith("Only 30 matured loans"));
    }

    [Fact]
    public void A_rule_set_comparison_gives_each_arms_rates_the_agreement_and_what_each_would_have_approved_on_the_others_arm()
    {
        var rows = new List<RuleArmDecision>();
        // Champion arm: 100 decisions, 60 approved; the challenger would have approved only 30 of them. Challenger arm: 100, 30 approved.
        for (int i = 0; i < 100; i++)
        {
            var acting = i < 60 ? Lending.Applications.CreditOutcome.Approve : Lending.Applications.CreditOutcome.Decline;
            var shadow = i < 30 ? Lending.Applications.CreditOutcome.Approve : Lending.Applications.CreditOutcome.Decline;
            rows.Add(new RuleArmDecision(ModelArms.Champion, acting, shadow, i < 60 ? Outcome(i, bad: i % 4 == 0) : null));
        }

        for (int i = 0; i < 100; i++)
        {
            var acting = i < 30 ? Lending.Applications.CreditOutcome.Approve : Lending.Applications.CreditOutcome.Decline;
            rows.Add(new RuleArmDecision(ModelArms.Challenger, acting, i < 60 ? Lending.Applications.CreditOutcome.Approve : Lending.Applications.CreditOutcome.Decline,
                i < 30 ? Outcome(100 + i, bad: i % 10 == 0) : null));
        }

        RuleSetComparison c = RuleSetComparison.Of("default", "r1", Arm, AsOf, rows);
        Assert.Equal((0.6, 0.3), (c.Champion.ApprovalRate, c.Challenger.ApprovalRate));
        Assert.Equal((0.3, 0.6), (c.ChallengerApprovalOnChampionArm, c.ChampionApprovalOnChallengerArm));
        Assert.Equal(OutcomeWindows.Ever30In3, c.Window); // 90 booked loans matured in it
        Assert.Equal((60, 15, 30, 3), (c.Champion.Matured, c.Champion.Bad, c.Challenger.Matured, c.Challenger.Bad));
        Assert.Equal(0.25, c.BadRateTest!.RateA);
        Assert.Equal(0.1, c.BadRateTest.RateB, 12);
        // The same outcome in 70 of the champion arm's 100 and 70 of the challenger arm's.
        Assert.Equal(0.7, c.Agreement!.Value, 12);
    }
}
