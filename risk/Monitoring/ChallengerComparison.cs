using JisuDai.Risk.Metrics;
using JisuDai.Risk.Models;
using JisuDai.Risk.Outcomes;

namespace JisuDai.Risk.Monitoring;

/// <summary>One decision made while a challenger ran, as the comparison reads it.</summary>
/// <param name="Arm">Which arm decided.</param>
/// <param name="Approved">Whether it was approved (automatically or by a reviewer, as the decision recorded: approve).</param>
/// <param name="ChampionPd">The champion's probability of default (acting or in shadow); null when it did not score it.</param>
/// <param name="ChallengerPd">The challenger's; null when it did not score it.</param>
/// <param name="ChampionScore">The champion's score points, for the arms' stability.</param>
/// <param name="Outcome">The booked loan's outcome, when there is one.</param>
public sealed record ArmDecision(string Arm, bool Approved, double? ChampionPd, double? ChallengerPd, int? ChampionScore, LoanOutcome? Outcome);

/// <summary>One arm's traffic and what its booked loans did in the window compared on.</summary>
public sealed record ArmSummary(string Arm, int Applications, double ApprovalRate, int Matured, int Bad, double? BadRate)
{
    /// <summary>
    /// The summary of one arm's applications: each whether it was approved, and its booked loan's outcome; rates read
    /// only loans whose <paramref name="window"/> ended by <paramref name="asOf"/>.
    /// </summary>
    public static ArmSummary Of(string arm, IReadOnlyList<(bool Approved, LoanOutcome? Outcome)> applications, string window, DateOnly asOf)
    {
        var labelled = applications.Select(a => a.Outcome?.MaturedLabel(window, asOf)).OfType<Label>().ToList();
        int bad = labelled.Count(l => l == Label.Bad);
        return new ArmSummary(arm, applications.Count, applications.Count == 0 ? 0 : applications.Count(a => a.Approved) / (double)applications.Count,
            labelled.Count, bad, labelled.Count == 0 ? null : bad / (double)labelled.Count);
    }

    /// <summary>The longest window in which <paramref name="matured"/> counts at least <see cref="ChallengerComparison.MinimumPairedLoans"/> loans, else the shortest.</summary>
    public static string WindowOf(Func<string, int> matured) =>
        OutcomeWindows.All.Reverse().FirstOrDefault(w => matured(w) >= ChallengerComparison.MinimumPairedLoans) ?? OutcomeWindows.All[0];
}

/// <summary>
/// The champion against its challenger on one outcome window: each arm's approval and bad rates with a two-proportion
/// test; AUC (DeLong intervals, paired) and KS (bootstrap intervals) of both models' scores on the same matured loans;
/// the champion score's stability between the arms (a check that the draw split like populations); and whether the
/// challenger passes the guardrails for promotion, with the reasons it does not.
/// </summary>
public sealed record ChallengerComparison(
    string ModelName, string ChampionVersion, string ChallengerVersion, double TrafficShare, DateOnly AsOf, string Window,
    ArmSummary Champion, ArmSummary Challenger, TwoProportionTest? BadRateTest, int PairedLoans, PairedAuc? Auc,
    Interval? ChampionKs, Interval? ChallengerKs, Stability? ArmPsi, bool Passes, IReadOnlyList<string> Reasons)
{
    /// <summary>The fewest matured loans scored by both models a comparison is judged on.</summary>
    public const int MinimumPairedLoans = 50;

    /// <summary>The bootstrap resamples behind the KS intervals.</summary>
    public const int Resamples = 200;

    /// <summary>
    /// Compares on <paramref name="window"/> (null: the longest window with at least <see cref="MinimumPairedLoans"/>
    /// matured loans scored by both, else the shortest). <paramref name="scoreBins"/> are the champion's baseline score bins.
    /// </summary>
    public static ChallengerComparison Of(
        string modelName, string championVersion, ChallengerArm challenger, DateOnly asOf, IReadOnlyList<ArmDecision> decisions, BaselineBins? scoreBins, string? window = null, int seed = 42)
    {
        window ??= ArmSummary.WindowOf(w => Paired(decisions, w, asOf).Count);
        ArmSummary Summary(string arm) =>
            ArmSummary.Of(arm, decisions.Where(d => d.Arm == arm).Select(d => (d.Approved, d.Outcome)).ToList(), window, asOf);

        ArmSummary champion = Summary(ModelArms.Champion), challenging = Summary(ModelArms.Challenger);
        TwoProportionTest? badRates = TwoProportionTest.Of(champion.Bad, champion.Matured, challenging.Bad, challenging.Matured);
        var paired = Paired(decisions, window, asOf);
        double[] a = paired.Select(p => p.ChampionPd!.Value).ToArray(), b = paired.Select(p => p.ChallengerPd!.Value).ToArray();
        bool[] isBad = paired.Select(p => p.Outcome!.LabelOf(window) == Label.Bad).ToArray();
        PairedAuc? auc = paired.Count >= 2 ? DeLong.Compare(a, b, isBad) : null;
        (Interval? ksA, Interval? ksB) = auc is null ? (null, null) : (KsInterval(a, isBad, seed), KsInterval(b, isBad, seed));

        Stability? armPsi = null;
        double armPsiLimit = StabilityIndex.WatchFrom;
        if (scoreBins is not null)
        {
            long[] Counts(string arm)
            {
                var counts = new long[scoreBins.Count];
                foreach (ArmDecision d in decisions.Where(d => d.Arm == arm && d.ChampionScore is not null))
                {
                    counts[scoreBins.BinOf(d.ChampionScore!.Value)]++;
                }

                return counts;
            }

            long[] inChampion = Counts(ModelArms.Champion), inChallenger = Counts(ModelArms.Challenger);
            long total = inChampion.Sum(), other = inChallenger.Sum();
            armPsi = total == 0 ? null : StabilityIndex.Of(inChampion.Select(c => c / (double)total).ToList(), inChallenger);
            // Two samples of one population differ by chance too: PSI is about χ²(bins − 1)·(1/n₁ + 1/n₂), so that much is allowed on top.
            if (total > 0 && other > 0)
            {
                armPsiLimit += (scoreBins.Shares.Count(s => s > 0) - 1) * (1.0 / total + 1.0 / other);
            }
        }

        var reasons = new List<string>();
        if (paired.Count < MinimumPairedLoans || auc is null)
        {
            reasons.Add($"Only {paired.Count} matured loans in {window} were scored by both models; at least {MinimumPairedLoans} with bads and goods are needed.");
        }
        else if (auc.Difference.Upper < 0)
        {
            reasons.Add($"The challenger's AUC is worse beyond the interval: {auc.Difference.Value:+0.000;-0.000} (95% {auc.Difference.Lower:+0.000;-0.000} to {auc.Difference.Upper:+0.000;-0.000}).");
        }

        if (badRates is { } test && test.RateB > test.RateA && test.PValue < 0.05)
        {
            reasons.Add($"The challenger's arm has a higher bad rate: {test.RateB:P1} against {test.RateA:P1} (p = {test.PValue:F3}).");
        }

        if (armPsi is { } psi && psi.Value >= armPsiLimit)
        {
            reasons.Add($"The arms' populations differ (PSI {psi.Value:F3} of the champion's score between them, above {armPsiLimit:F3}): the comparison is not like for like.");
        }

        return new ChallengerComparison(modelName, championVersion, challenger.Version, challenger.TrafficShare, asOf, window, champion, challenging, badRates,
            paired.Count, auc, ksA, ksB, armPsi, reasons.Count == 0, reasons);
    }

    static List<ArmDecision> Paired(IReadOnlyList<ArmDecision> decisions, string window, DateOnly asOf) =>
        decisions.Where(d => d.ChampionPd is not null && d.ChallengerPd is not null && d.Outcome?.MaturedLabel(window, asOf) is not null).ToList();

    /// <summary>KS with a percentile bootstrap interval (seeded, so the same data give the same interval).</summary>
    static Interval? KsInterval(double[] pd, bool[] bad, int seed)
    {
        static double Ks(double[] p, bool[] b) => BinaryMetrics.Roc(p, b).Max(r => r.TruePositiveRate - r.FalsePositiveRate);
        if (!bad.Contains(true) || !bad.Contains(false))
        {
            return null;
        }

        var random = new Random(seed);
        var draws = new double[Resamples];
        var p = new double[pd.Length];
        var b = new bool[pd.Length];
        for (int r = 0; r < Resamples; r++)
        {
            for (int i = 0; i < pd.Length; i++)
            {
                int k = random.Next(pd.Length);
                p[i] = pd[k];
                b[i] = bad[k];
            }

            draws[r] = b.Contains(true) && b.Contains(false) ? Ks(p, b) : 0;
        }

        Array.Sort(draws);
        return new Interval(Ks(pd, bad), draws[(int)(0.025 * Resamples)], draws[(int)(0.975 * Resamples) - 1]);
    }
}
