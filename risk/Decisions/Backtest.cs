using JisuDai.Lending.Applications;

namespace JisuDai.Risk.Decisions;

/// <summary>One rule set's results over a backtest's applications.</summary>
/// <param name="RuleSetVersions">The rule-set versions these decisions were made under (the baseline of a platform backtest may span several).</param>
/// <param name="Approved">Applications approved.</param>
/// <param name="Referred">Applications referred to a reviewer.</param>
/// <param name="Declined">Applications declined.</param>
/// <param name="ExpectedBadRate">The model's mean probability of default over those approved; null when none were.</param>
/// <param name="ApprovedWithOutcome">Those approved whose outcome is known.</param>
/// <param name="ApprovedBad">Of those, the ones that went bad.</param>
public sealed record BacktestArm(
    IReadOnlyList<string> RuleSetVersions, int Approved, int Referred, int Declined, double? ExpectedBadRate, int ApprovedWithOutcome, int ApprovedBad)
{
    /// <summary>The share of approved applications with a known outcome that went bad; null when none is known.</summary>
    public double? ObservedBadRate => ApprovedWithOutcome == 0 ? null : ApprovedBad / (double)ApprovedWithOutcome;
}

/// <summary>How often a rule fired under the baseline and under the candidate.</summary>
public sealed record RuleFirings(string RuleId, int Baseline, int Candidate);

/// <summary>Applications whose outcome the candidate changes from <see cref="From"/> to <see cref="To"/> (approve, review, decline).</summary>
public sealed record OutcomeMove(string From, string To, int Applications);

/// <summary>
/// A candidate rule set against a baseline over the same applications with the same scores: each arm's rates and bad
/// rates, the applications whose outcome moves and where to, and each rule's firings in both.
/// </summary>
public sealed record BacktestReport(int Applications, BacktestArm Baseline, BacktestArm Candidate, IReadOnlyList<OutcomeMove> Moves, IReadOnlyList<RuleFirings> Rules)
{
    /// <summary>Applications whose outcome differs between the arms.</summary>
    public int Changed => Moves.Sum(m => m.Applications);
}

/// <summary>
/// Tallies a backtest one application at a time: both arms' decisions of it, its probability of default and, where
/// known, whether it went bad. An outcome is counted against the approvals of each arm that approved it, so a candidate
/// that approves applications the baseline declined has no outcome for them (they were never booked): its observed bad
/// rate is over the approvals both share, which is why the expected rate (the model's) stands beside it.
/// </summary>
public sealed class Backtest
{
    readonly Arm baseline = new(), candidate = new();
    readonly Dictionary<(CreditOutcome, CreditOutcome), int> moves = [];
    int applications;

    /// <summary>Adds one application decided as <paramref name="baselineResult"/> under <paramref name="baselineVersion"/> and as <paramref name="candidateResult"/> under <paramref name="candidateVersion"/>.</summary>
    public void Add(DecisionResult baselineResult, string baselineVersion, DecisionResult candidateResult, string candidateVersion, double probabilityOfDefault, bool? bad)
    {
        applications++;
        baseline.Add(baselineResult, baselineVersion, probabilityOfDefault, bad);
        candidate.Add(candidateResult, candidateVersion, probabilityOfDefault, bad);
        if (baselineResult.Outcome != candidateResult.Outcome)
        {
            var key = (baselineResult.Outcome, candidateResult.Outcome);
            moves[key] = moves.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>What has been tallied so far.</summary>
    public BacktestReport Report() => new(
        applications,
        baseline.Summary(),
        candidate.Summary(),
        [.. moves.OrderBy(m => m.Key.Item1).ThenBy(m => m.Key.Item2).Select(m => new OutcomeMove(Name(m.Key.Item1), Name(m.Key.Item2), m.Value))],
        [.. baseline.Fired.Keys.Union(candidate.Fired.Keys).Order(StringComparer.Ordinal)
            .Select(rule => new RuleFirings(rule, baseline.Fired.GetValueOrDefault(rule), candidate.Fired.GetValueOrDefault(rule)))]);

    static string Name(CreditOutcome outcome) => outcome.ToString().ToLowerInvariant();

    sealed class Arm
    {
        public readonly Dictionary<string, int> Fired = new(StringComparer.Ordinal);
        readonly SortedSet<string> versions = new(StringComparer.Ordinal);
        int approved, referred, declined, approvedWithOutcome, approvedBad;
        double approvedPd;

        public void Add(DecisionResult result, string version, double probabilityOfDefault, bool? bad)
        {
            versions.Add(version);
            switch (result.Outcome)
            {
                case CreditOutcome.Approve:
                    approved++;
                    approvedPd += probabilityOfDefault;
                    if (bad is { } isBad)
                    {
                        approvedWithOutcome++;
                        approvedBad += isBad ? 1 : 0;
                    }

                    break;
                case CreditOutcome.Review:
                    referred++;
                    break;
                default:
                    declined++;
                    break;
            }

            // A rule counts once per application however many of its rows fired.
            foreach (string rule in result.Fired.Select(f => f.RuleId).Distinct(StringComparer.Ordinal))
            {
                Fired[rule] = Fired.GetValueOrDefault(rule) + 1;
            }
        }

        public BacktestArm Summary() =>
            new([.. versions], approved, referred, declined, approved == 0 ? null : approvedPd / approved, approvedWithOutcome, approvedBad);
    }
}
