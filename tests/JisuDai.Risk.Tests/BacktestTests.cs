using JisuDai.Lending.Applications;
using JisuDai.Risk.Decisions;

namespace JisuDai.Risk.Tests;

/// <summary>The backtest's tally: each arm's counts and bad rates, the moves between outcomes, each rule's firings.</summary>
public sealed class BacktestTests
{
    static DecisionResult Decided(CreditOutcome outcome, params string[] rules) =>
        new(outcome, "low", 10_000m, 0.18m, 10_000m, 12, [.. rules.Select(r => new FiredRule("policy", r, null, null, null, null))], [], false, false);

    [Fact]
    public void Each_arm_counts_its_outcomes_and_bad_rates_on_its_own_approvals_and_the_moves_say_where_each_changed_application_went()
    {
        var backtest = new Backtest();
        // Approved by both, went bad; approved by both, good; approved only as decided (bad: the candidate saves it);
        // declined as decided, approved by the candidate (never booked, so no outcome); referred by both.
        backtest.Add(Decided(CreditOutcome.Approve), "r1", Decided(CreditOutcome.Approve), "c1", 0.10, true);
        backtest.Add(Decided(CreditOutcome.Approve), "r2", Decided(CreditOutcome.Approve), "c1", 0.05, false);
        backtest.Add(Decided(CreditOutcome.Approve), "r1", Decided(CreditOutcome.Decline, "CAP", "CAP"), "c1", 0.30, true);
        backtest.Add(Decided(CreditOutcome.Decline, "DTI"), "r1", Decided(CreditOutcome.Approve), "c1", 0.20, null);
        backtest.Add(Decided(CreditOutcome.Review, "AGE"), "r1", Decided(CreditOutcome.Review, "AGE"), "c1", 0.15, null);

        BacktestReport report = backtest.Report();
        Assert.Equal(5, report.Applications);
        Assert.Equal(["r1", "r2"], report.Baseline.RuleSetVersions);
        Assert.Equal((3, 1, 1), (report.Baseline.Approved, report.Baseline.Referred, report.Baseline.Declined));
        Assert.Equal((3, 1, 1), (report.Candidate.Approved, report.Candidate.Referred, report.Candidate.Declined));
        Assert.Equal(0.15, report.Baseline.ExpectedBadRate!.Value, 10);
        Assert.Equal(0.35 / 3, report.Candidate.ExpectedBadRate!.Value, 10);
        Assert.Equal((3, 2), (report.Baseline.ApprovedWithOutcome, report.Baseline.ApprovedBad));
        Assert.Equal((2, 1), (report.Candidate.ApprovedWithOutcome, report.Candidate.ApprovedBad));
        Assert.Equal(0.5, report.Candidate.ObservedBadRate);
        Assert.Equal([new OutcomeMove("approve", "decline", 1), new OutcomeMove("decline", "approve", 1)], report.Moves);
        Assert.Equal(2, report.Changed);
        // A rule counts once per application, however many of its rows fired.
        Assert.Equal([new RuleFirings("AGE", 1, 1), new RuleFirings("CAP", 0, 1), new RuleFirings("DTI", 1, 0)], report.Rules);
    }

    [Fact]
    public void Nothing_tallied_has_no_rates_to_report()
    {
        BacktestReport report = new Backtest().Report();
        Assert.Equal((0, 0), (report.Applications, report.Changed));
        Assert.Null(report.Baseline.ExpectedBadRate);
        Assert.Null(report.Candidate.ObservedBadRate);
        Assert.Empty(report.Rules);
    }
}
