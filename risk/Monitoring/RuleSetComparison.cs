using JisuDai.Lending.Applications;
using JisuDai.Risk.Metrics;
using JisuDai.Risk.Models;
using JisuDai.Risk.Outcomes;

namespace JisuDai.Risk.Monitoring;

/// <summary>One decision made while a rule-set challenger ran: its arm, what the acting rule set decided, what the other would have, and the loan's outcome.</summary>
public sealed record RuleArmDecision(string Arm, CreditOutcome Acting, CreditOutcome Shadow, LoanOutcome? Outcome);

/// <summary>
/// The rule set in force against its challenger: each arm's approval and bad rates with a two-proportion test of the
/// bad rates on one window, how often the two would decide alike, and each one's approval rate on the other's arm
/// (what it would have approved there, read from the shadow decisions). Only booked loans have outcomes, so bad rates
/// compare what each rule set let through.
/// </summary>
public sealed record RuleSetComparison(
    string Name, string ChampionVersion, string ChallengerVersion, double TrafficShare, DateOnly AsOf, string Window,
    ArmSummary Champion, ArmSummary Challenger, TwoProportionTest? BadRateTest, double? Agreement,
    double? ChallengerApprovalOnChampionArm, double? ChampionApprovalOnChallengerArm)
{
    /// <summary>Compares on the longest window with at least 50 matured loans across the arms (else the shortest).</summary>
    public static RuleSetComparison Of(string name, string championVersion, ChallengerArm challenger, DateOnly asOf, IReadOnlyList<RuleArmDecision> decisions)
    {
        string window = ArmSummary.WindowOf(w => decisions.Count(d => d.Outcome?.MaturedLabel(w, asOf) is not null));
        ArmSummary Summary(string arm) =>
            ArmSummary.Of(arm, decisions.Where(d => d.Arm == arm).Select(d => (d.Acting == CreditOutcome.Approve, d.Outcome)).ToList(), window, asOf);

        double? ShadowApproval(string arm)
        {
            var inArm = decisions.Where(d => d.Arm == arm).ToList();
            return inArm.Count == 0 ? null : inArm.Count(d => d.Shadow == CreditOutcome.Approve) / (double)inArm.Count;
        }

        ArmSummary champion = Summary(ModelArms.Champion), challenging = Summary(ModelArms.Challenger);
        return new RuleSetComparison(name, championVersion, challenger.Version, challenger.TrafficShare, asOf, window, champion, challenging,
            TwoProportionTest.Of(champion.Bad, champion.Matured, challenging.Bad, challenging.Matured),
            decisions.Count == 0 ? null : decisions.Count(d => d.Acting == d.Shadow) / (double)decisions.Count,
            ShadowApproval(ModelArms.Champion), ShadowApproval(ModelArms.Challenger));
    }
}
