using JisuDai.App.Staff;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Models;
using JisuDai.Risk.Monitoring;
using JisuDai.Risk.Outcomes;
using JisuDai.Risk.Rules;
using JisuDai.Risk.Scoring;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Monitoring;

/// <summary>What one monitoring run did.</summary>
/// <param name="Through">The last day it measured.</param>
/// <param name="Days">Days whose decision metrics it computed (every day since the last run, so a missed night is caught up).</param>
/// <param name="Decisions">Decisions on those days.</param>
/// <param name="Loans">Booked loans labelled (or found already final).</param>
/// <param name="OutcomesWritten">Outcome records created or changed.</param>
/// <param name="Findings">What the alert rules found on those days (each raised as a staff alert).</param>
/// <param name="Comparison">The champion against its challenger, while one runs.</param>
/// <param name="RuleSetComparison">The rule set in force against its challenger, while one runs.</param>
/// <param name="Unlabelled">Loans whose ledger could not be read tonight (each a staff alert), left out of the figures.</param>
public sealed record MonitoringRun(DateOnly Through, int Days, long Decisions, int Loans, int OutcomesWritten, IReadOnlyList<MonitoringFinding> Findings, ChallengerComparison? Comparison,
    RuleSetComparison? RuleSetComparison = null, int Unlabelled = 0);

/// <summary>
/// The nightly closing of the learning loop's first half. It labels every booked loan (<see cref="OutcomeLabels"/>, as of
/// the day just ended) and keeps each label as a <see cref="LoanOutcome"/> joined to the decision that made the loan;
/// measures each day's decisions since the last run (<see cref="DecisionTally"/>: rates, mean score, rule hit rates, PSI
/// and CSI against the deciding model's training baseline) and the book (<see cref="PortfolioMetrics"/>: vintages, roll
/// rates, matured bad rates, each model's AUC, KS and calibration on matured labels). Only decisions on applications
/// count: a staff what-if check is not traffic. It reads every decision, loan and outcome once per run (a scan, a page at
/// a time); a loan whose labels are all final is not labelled again. Then the alert rules (<see cref="MonitoringAlerts"/>)
/// are applied to each day measured, and what they find is raised as a staff alert (one per rule and target, so a
/// condition that lasts is one alert; on-call hears when it opens). Running it twice for a day changes nothing.
/// </summary>
public sealed class RiskMonitoring(
    IDocumentStore<CreditDecision> decisions, IDocumentStore<Loan> loans, IDocumentStore<LoanOutcome> outcomes, IModelRegistry registry,
    IRiskMetrics metrics, IStaffAlerts alerts, AlertThresholds thresholds, Risk.RiskOptions options, IRuleSetStore ruleSets, Risk.RiskRulesOptions ruleOptions,
    TimeProvider clock, ILogger<RiskMonitoring> logger)
{
    /// <summary>How many days a first run measures back from <c>through</c>, at most.</summary>
    public const int FirstRunDays = 90;

    /// <summary>Labels the book and measures every day not yet measured, through <paramref name="through"/>.</summary>
    public async Task<MonitoringRun> RunAsync(DateOnly through, CancellationToken cancellationToken)
    {
        DateOnly from = await metrics.LastDayAsync(cancellationToken) is { } last ? last.AddDays(1) : through.AddDays(1 - FirstRunDays);
        var bundles = new Dictionary<(string, string), ModelBundle?>();
        async Task<ModelBundle?> BundleOf(string name, string version)
        {
            if (!bundles.TryGetValue((name, version), out ModelBundle? bundle))
            {
                bundles[(name, version)] = bundle = await registry.GetAsync(name, version, cancellationToken);
            }

            return bundle;
        }

        // One pass over the decisions: the day's traffic into the tally, and every application's decision for the labels.
        var byApplication = new Dictionary<string, Decided>(StringComparer.Ordinal);
        var modelNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var baselines = new Dictionary<string, MonitoringBaseline?>(StringComparer.Ordinal);
        var tally = new DecisionTally(version => baselines.GetValueOrDefault(version));
        await foreach (Versioned<CreditDecision> read in decisions.ScanAsync(cancellationToken))
        {
            CreditDecision d = read.Document;
            if (d.ApplicationId is null)
            {
                continue;
            }

            modelNames.TryAdd(d.ModelVersion, d.ModelName);
            if (!byApplication.TryGetValue(d.ApplicationId, out Decided? other) || other.DecidedAt < d.DecidedAt)
            {
                byApplication[d.ApplicationId] = Decided.Of(d);
            }

            if (d.On < from || d.On > through)
            {
                continue;
            }

            ModelBundle? bundle = await BundleOf(d.ModelName, d.ModelVersion);
            baselines.TryAdd(d.ModelVersion, bundle?.Report.Baseline);
            FeatureVector? inputs = d.Inputs is { } recorded && bundle is not null ? FeatureVector.FromRecord(recorded, bundle.Model.Inputs) : null;
            tally.Add(new MonitoredDecision(d.On, d.ModelVersion, d.RuleSetVersion, d.Result.Outcome, d.Score.Score, d.Result.Fired, inputs, d.Arm ?? ModelArms.Champion));
        }

        var stored = new Dictionary<string, Versioned<LoanOutcome>>(StringComparer.Ordinal);
        await foreach (Versioned<LoanOutcome> read in outcomes.ScanAsync(cancellationToken))
        {
            stored[read.Document.Id] = read;
        }

        int labelled = 0, written = 0, failed = 0;
        var book = new List<ScoredOutcome>();
        var outcomeOf = new Dictionary<string, LoanOutcome>(StringComparer.Ordinal);
        await foreach (Versioned<Loan> read in loans.ScanAsync(cancellationToken))
        {
            Loan loan = read.Document;
            byApplication.TryGetValue(loan.ApplicationId, out Decided? decision);
            stored.TryGetValue(loan.Id, out Versioned<LoanOutcome>? before);
            LoanOutcome? outcome;
            try
            {
                outcome = before is { Document.Final: true } ? before.Document : OutcomeLabels.Of(loan, decision?.Id, through);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One loan whose ledger cannot be read (the sweep quarantines such loans too) must not stop the night's run.
                failed++;
                logger.LogError(e, "Risk monitoring: loan {LoanId} could not be labelled; it is left out tonight.", loan.Id);
                await alerts.RaiseAsync(new StaffAlert($"monitoring-unlabelled-{loan.Id}", "monitoring-unlabelled", loan.Id,
                    $"Loan {loan.Id} could not be labelled as of {through:yyyy-MM-dd}: {e.Message}", clock.GetUtcNow()), cancellationToken);
                continue;
            }

            if (outcome is null)
            {
                continue;
            }

            labelled++;
            try
            {
                if (before is null)
                {
                    await outcomes.CreateAsync(outcome, cancellationToken);
                    written++;
                }
                else if (!SameLabels(before.Document, outcome))
                {
                    await outcomes.ReplaceAsync(outcome, before.ETag, cancellationToken);
                    written++;
                }
            }
            catch (Exception e) when (e is DocumentAlreadyExistsException or ConcurrencyConflictException)
            {
                // Another run labelled it at the same moment, from the same ledger: its record stands.
            }

            book.Add(new ScoredOutcome(outcome, decision?.Pd, decision?.ModelVersion));
            outcomeOf[loan.ApplicationId] = outcome;
        }

        var measured = tally.Results();
        int days = 0;
        for (DateOnly day = from; day <= through; day = day.AddDays(1), days++)
        {
            await metrics.SaveDayAsync(day, measured.Where(m => m.Day == day).ToList(), cancellationToken);
        }

        PortfolioMetrics portfolio = PortfolioMetrics.Of(book, through);
        await metrics.SavePortfolioAsync(portfolio, cancellationToken);

        ChallengerComparison? comparison = null;
        if (await registry.GetChampionAsync(options.ModelName, cancellationToken) is { Challenger: { } challenger } pointer)
        {
            comparison = ChallengerComparison.Of(pointer.Name, pointer.Version, challenger, through,
                ArmDecisions(byApplication.Values, pointer.Version, challenger, outcomeOf), (await BundleOf(pointer.Name, pointer.Version))?.Report.Baseline?.Score);
            await metrics.SaveComparisonAsync(comparison, cancellationToken);
        }

        RuleSetComparison? rulesComparison = null;
        if (await ruleSets.GetChallengerAsync(ruleOptions.Name, cancellationToken) is { } ruleChallenger
            && RuleSetsInForce.At(await ruleSets.ListAsync(ruleOptions.Name, cancellationToken), clock.GetUtcNow()) is { } inForce)
        {
            var rows = byApplication.Values
                .Where(d => d.RuleShadowVersion is not null && d.RuleSetArm is not null && d.DecidedAt >= ruleChallenger.Since
                    && (d.RuleSetVersion, d.RuleShadowVersion) is var pair && (pair == (inForce.Version, ruleChallenger.Version) || pair == (ruleChallenger.Version, inForce.Version)))
                .Select(d => new RuleArmDecision(d.RuleSetArm!, d.Outcome, d.RuleShadowOutcome!.Value, outcomeOf.GetValueOrDefault(d.ApplicationId)))
                .ToList();
            rulesComparison = RuleSetComparison.Of(ruleOptions.Name, inForce.Version, ruleChallenger, through, rows);
            await metrics.SaveRuleSetComparisonAsync(rulesComparison, cancellationToken);
        }

        // The window before the first day measured comes from earlier runs; the days just measured are in it too.
        var window = await metrics.DaysAsync(from.AddDays(-thresholds.WindowDays), through, cancellationToken);
        foreach (string version in window.Select(m => m.ModelVersion).Distinct(StringComparer.Ordinal).Where(v => !baselines.ContainsKey(v)).ToList())
        {
            baselines[version] = modelNames.TryGetValue(version, out string? name) ? (await BundleOf(name, version))?.Report.Baseline : null;
        }

        var findings = new List<MonitoringFinding>();
        for (DateOnly day = from; day <= through; day = day.AddDays(1))
        {
            findings.AddRange(MonitoringAlerts.Evaluate(day, window, v => baselines.GetValueOrDefault(v), day == through ? portfolio : null, thresholds));
        }

        foreach (MonitoringFinding finding in findings)
        {
            await alerts.RaiseAsync(new StaffAlert(finding.AlertId, $"monitoring-{finding.Rule}", finding.Target, finding.Detail, clock.GetUtcNow()), cancellationToken);
        }

        var run = new MonitoringRun(through, days, tally.Count, labelled, written, findings, comparison, rulesComparison, failed);
        logger.LogInformation("Risk monitoring: {Run}", run);
        return run;
    }

    /// <summary>
    /// The applications decided while <paramref name="challenger"/> ran beside <paramref name="champion"/>: each with both
    /// models' probabilities (one acting, one in shadow), whether it was approved outright, and its loan's outcome.
    /// </summary>
    static List<ArmDecision> ArmDecisions(IEnumerable<Decided> decided, string champion, ChallengerArm challenger, IReadOnlyDictionary<string, LoanOutcome> outcomeOf) =>
        decided.Where(d => d.Arm is not null && d.ShadowVersion is not null && d.DecidedAt >= challenger.Since
                && (d.ModelVersion, d.ShadowVersion) is var pair && (pair == (champion, challenger.Version) || pair == (challenger.Version, champion)))
            .Select(d =>
            {
                bool championActed = d.ModelVersion == champion;
                return new ArmDecision(d.Arm!, d.Outcome == Lending.Applications.CreditOutcome.Approve,
                    championActed ? d.Pd : d.ShadowPd, championActed ? d.ShadowPd : d.Pd, championActed ? d.Score : d.ShadowScore, outcomeOf.GetValueOrDefault(d.ApplicationId));
            })
            .ToList();

    /// <summary>
    /// What a run keeps of each application's decision while it runs: enough to join its loan, measure its model and
    /// compare its arms, not the whole record (whose fields, behaviour and bureau findings would hold years of decisions in memory).
    /// </summary>
    sealed record Decided(
        string Id, string ApplicationId, DateTimeOffset DecidedAt, string ModelVersion, double Pd, int Score, Lending.Applications.CreditOutcome Outcome, string? Arm,
        string? ShadowVersion, double? ShadowPd, int? ShadowScore, string RuleSetVersion, string? RuleSetArm, string? RuleShadowVersion, Lending.Applications.CreditOutcome? RuleShadowOutcome)
    {
        public static Decided Of(CreditDecision d) => new(
            d.Id, d.ApplicationId!, d.DecidedAt, d.ModelVersion, d.Score.ProbabilityOfDefault, d.Score.Score, d.Result.Outcome, d.Arm,
            d.Shadow?.ModelVersion, d.Shadow?.Score.ProbabilityOfDefault, d.Shadow?.Score.Score, d.RuleSetVersion, d.RuleSetArm,
            d.RuleSetShadow?.RuleSetVersion, d.RuleSetShadow?.Result.Outcome);
    }

    static readonly int[] NoMonths = [];

    // The as-of day moves every run; only a change in what the labels say is worth a write.
    static bool SameLabels(LoanOutcome a, LoanOutcome b) =>
        (a with { AsOf = default, MonthEndDaysPastDue = NoMonths }) == (b with { AsOf = default, MonthEndDaysPastDue = NoMonths })
        && a.MonthEndDaysPastDue.SequenceEqual(b.MonthEndDaysPastDue);
}
