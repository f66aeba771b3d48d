using JisuDai.App.Risk;
using JisuDai.Lending.Documents;
using JisuDai.Risk.Data;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Metrics;
using JisuDai.Risk.Models;
using JisuDai.Risk.Outcomes;
using JisuDai.Risk.Training;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Monitoring;

/// <summary>The platform's labelled decisions, ready to train on.</summary>
/// <param name="Champion">The champion they are to be compared with (its inputs are the columns).</param>
/// <param name="Window">The outcome window labelled on.</param>
/// <param name="Rows">Every decision with recorded inputs whose loan's window has ended, oldest first.</param>
/// <param name="Traffic">The recorded inputs of every decision on an application by this model (booked or not), oldest first, at most <see cref="PlatformTraining.TrafficKept"/> of the latest: what a new model's stability baseline is drawn from.</param>
public sealed record PlatformExport(ModelBundle Champion, string Window, IReadOnlyList<PlatformRow> Rows, IReadOnlyList<PlatformRow> Traffic);

/// <summary>What a retraining did.</summary>
/// <param name="Window">The outcome window trained on.</param>
/// <param name="Rows">Labelled rows found.</param>
/// <param name="TrainRows">Rows trained on (the earlier ones).</param>
/// <param name="OutOfTimeRows">The latest rows, kept back to judge the result.</param>
/// <param name="Auc">The new model's AUC against the champion's on the out-of-time rows (paired); null when there was too little to train.</param>
/// <param name="Version">The new version, when one was trained.</param>
/// <param name="Registered">True when it beat the champion out of time and was registered.</param>
/// <param name="Challenger">True when it was also made the challenger, in shadow (no traffic).</param>
/// <param name="Detail">What happened, for people.</param>
public sealed record RetrainingReport(string Window, int Rows, int TrainRows, int OutOfTimeRows, PairedAuc? Auc, string? Version, bool Registered, bool Challenger, string Detail);

/// <summary>What a recalibration did.</summary>
/// <param name="Window">The outcome window fitted on.</param>
/// <param name="Rows">The champion's matured decisions found.</param>
/// <param name="MeanPredicted">Their mean probability of default as decided.</param>
/// <param name="Observed">Their observed bad rate.</param>
/// <param name="Calibration">The calibration of the new version (composed with the champion's own); null when none was fitted.</param>
/// <param name="Version">The new version registered; null when none was.</param>
/// <param name="Detail">What happened, for people.</param>
public sealed record RecalibrationReport(string Window, int Rows, double MeanPredicted, double Observed, Calibration? Calibration, string? Version, string Detail);

/// <summary>
/// Retraining from the platform's own data. The export joins each decision's point-in-time inputs to its loan's final
/// label in the window (<c>Retraining:Window</c>, default ever30in6); declined and never-booked applications have no
/// outcome and are left out (no reject inference). The monthly run trains on all but the latest fifth (time-blocked
/// folds), and scores the latest fifth with the new model and with the champion, both from the inputs recorded at
/// decision time: an out-of-time comparison on the same rows (DeLong, paired). A new model that wins is registered and, when no challenger is running, made the challenger with no traffic: it
/// scores in shadow and acts on nothing. Giving it traffic, or promoting it, is for two admins. It is never made champion here.
/// </summary>
public sealed class PlatformTraining(
    IDocumentStore<CreditDecision> decisions, IDocumentStore<LoanOutcome> outcomes, IModelRegistry registry, RiskOptions options, string window,
    TimeProvider clock, ILogger<PlatformTraining> logger)
{
    /// <summary>The fewest labelled rows, and bads, worth training on.</summary>
    public const int MinimumRows = 200, MinimumBads = 20;

    /// <summary>The most decisions a new model's stability baseline is drawn from (the latest).</summary>
    public const int TrafficKept = 100_000;

    /// <summary>The window retraining labels on.</summary>
    public string Window => window;

    /// <summary>The labelled, point-in-time data set for the champion of <c>Risk:ModelName</c>.</summary>
    public async Task<PlatformExport> ExportAsync(CancellationToken cancellationToken)
    {
        (ChampionPointer pointer, ModelBundle champion) = await ChampionAsync("retrain", cancellationToken);
        Dictionary<string, Label> labelOf = await MaturedLabels.ByDecisionAsync(outcomes, window, JisuDai.Lending.Calendar.LenderCalendar.Today(clock), cancellationToken);

        var rows = new List<PlatformRow>();
        var traffic = new List<PlatformRow>();
        await foreach (Versioned<CreditDecision> read in decisions.ScanAsync(cancellationToken))
        {
            CreditDecision d = read.Document;
            if (d.Inputs is not { } inputs || d.ModelName != pointer.Name || d.ApplicationId is null)
            {
                continue;
            }

            traffic.Add(new PlatformRow(d.DecidedAt, inputs, false));
            if (labelOf.TryGetValue(d.Id, out Label label))
            {
                rows.Add(new PlatformRow(d.DecidedAt, inputs, label == Label.Bad));
            }
        }

        rows.Sort((a, b) => a.DecidedAt.CompareTo(b.DecidedAt));
        traffic.Sort((a, b) => a.DecidedAt.CompareTo(b.DecidedAt));
        return new PlatformExport(champion, window, rows, traffic.Count > TrafficKept ? traffic[^TrafficKept..] : traffic);
    }

    /// <summary>Trains on the platform's data, judges the result out of time, and registers it (as a shadow challenger) when it wins.</summary>
    public async Task<RetrainingReport> RetrainAsync(CancellationToken cancellationToken)
    {
        PlatformExport export = await ExportAsync(cancellationToken);
        int bads = export.Rows.Count(r => r.Bad);
        if (export.Rows.Count < MinimumRows || bads < MinimumBads || export.Rows.Count - bads < MinimumBads)
        {
            return Done(new RetrainingReport(window, export.Rows.Count, 0, 0, null, null, false, false,
                $"{export.Rows.Count} labelled rows ({bads} bad) in {window}: at least {MinimumRows}, with {MinimumBads} bad and {MinimumBads} good, are needed."));
        }

        (var train, var outOfTime) = PlatformData.Split(export.Rows);
        CreditDataset data = CreditDataset.Prepare(PlatformData.Table(export.Champion.Model.Inputs, train), PlatformData.Options, $"platform-{window}");
        TrainingResult result = await Task.Run(() => ModelTrainer.Train(data, new TrainingOptions(Parallelism: 1), cancellationToken: cancellationToken), cancellationToken);
        var trained = new ModelBundle(export.Champion.Name, result.Model, export.Champion.Spec, result.Report);
        var trainedScorer = new JisuDai.Risk.Scoring.CreditScorer(trained);
        // Its stability baseline is the traffic of the training period, declined applications included: the booked loans
        // it learnt from are not the population it will score, and a baseline of them would read as a shift at once.
        DateTimeOffset trainedUntil = train[^1].DecidedAt;
        var seen = export.Traffic.Where(r => r.DecidedAt <= trainedUntil).Select(r => JisuDai.Risk.Scoring.FeatureVector.FromRecord(r.Inputs, trained.Model.Inputs)).ToList();
        var bundle = seen.Count == 0 ? trained : trained with
        {
            Report = trained.Report with { Baseline = JisuDai.Risk.Monitoring.MonitoringBaseline.OfTraffic(trained.Model.Inputs, seen, seen.Select(v => trainedScorer.Score(v).Score).ToList()) },
        };
        var scorer = new JisuDai.Risk.Scoring.CreditScorer(bundle);

        // Both models score the same out-of-time rows from what was recorded at decision time.
        var champion = new JisuDai.Risk.Scoring.CreditScorer(export.Champion);
        var newPd = outOfTime.Select(r => scorer.Score(JisuDai.Risk.Scoring.FeatureVector.FromRecord(r.Inputs, bundle.Model.Inputs)).ProbabilityOfDefault).ToArray();
        var oldPd = outOfTime.Select(r => champion.Score(JisuDai.Risk.Scoring.FeatureVector.FromRecord(r.Inputs, champion.Inputs)).ProbabilityOfDefault).ToArray();
        var outcome = outOfTime.Select(r => r.Bad).ToArray();
        PairedAuc? auc = DeLong.Compare(oldPd, newPd, outcome);
        if (auc is null || auc.Difference.Value <= 0)
        {
            return Done(new RetrainingReport(window, export.Rows.Count, train.Count, outOfTime.Count, auc, bundle.Version, false, false,
                auc is null ? "The out-of-time rows have only one outcome: nothing to judge on." : $"Out of time the new model's AUC {auc.B.Value:F4} does not beat the champion's {auc.A.Value:F4}; not registered."));
        }

        await registry.RegisterAsync(bundle, cancellationToken);
        // Only where none runs, decided under the pointer's ETag: a challenger two admins set meanwhile is never replaced.
        ChampionPointer now = await registry.SetChallengerAsync(options.ModelName, new ChallengerArm(bundle.Version, 0, clock.GetUtcNow()), cancellationToken, onlyIfNone: true);
        bool challenger = now.Challenger?.Version == bundle.Version;

        return Done(new RetrainingReport(window, export.Rows.Count, train.Count, outOfTime.Count, auc, bundle.Version, true, challenger,
            $"Out of time the new model's AUC is {auc.B.Value:F4} against {auc.A.Value:F4} (difference {auc.Difference.Value:+0.0000;-0.0000}, 95% {auc.Difference.Lower:+0.0000;-0.0000} to {auc.Difference.Upper:+0.0000;-0.0000}); registered as version {bundle.Version}"
            + (challenger ? ", the challenger in shadow (no traffic until two admins give it some)." : $"; challenger {now.Challenger!.Version} is still running, so it waits.")));
    }

    /// <summary>
    /// Recalibrates the champion on its own decisions of the last <see cref="RecalibrationDays"/> days whose loans' labels
    /// in the window are final (Platt scaling of its probabilities, on top of any calibration it already has), and
    /// registers the result as a new version: the same model and inputs, probabilities moved to match what happened. It
    /// ranks exactly as the champion does and decides nothing until two admins promote it.
    /// </summary>
    public async Task<RecalibrationReport> RecalibrateAsync(CancellationToken cancellationToken)
    {
        (ChampionPointer pointer, ModelBundle champion) = await ChampionAsync("recalibrate", cancellationToken);
        Dictionary<string, Label> labelOf = await MaturedLabels.ByDecisionAsync(outcomes, window, JisuDai.Lending.Calendar.LenderCalendar.Today(clock), cancellationToken);

        DateTimeOffset since = clock.GetUtcNow().AddDays(-RecalibrationDays);
        var pd = new List<double>();
        var bad = new List<bool>();
        await foreach (Versioned<CreditDecision> read in decisions.ScanAsync(cancellationToken))
        {
            CreditDecision d = read.Document;
            if (d.ModelVersion == pointer.Version && d.DecidedAt >= since && labelOf.TryGetValue(d.Id, out Label label))
            {
                pd.Add(d.Score.ProbabilityOfDefault);
                bad.Add(label == Label.Bad);
            }
        }

        int bads = bad.Count(b => b);
        double observed = pd.Count == 0 ? 0 : bads / (double)pd.Count, predicted = pd.Count == 0 ? 0 : pd.Average();
        if (pd.Count < MinimumRows || bads < MinimumBads || pd.Count - bads < MinimumBads)
        {
            return Done(new RecalibrationReport(window, pd.Count, predicted, observed, null, null,
                $"{pd.Count} of the champion's decisions have final labels in {window} ({bads} bad): at least {MinimumRows}, with {MinimumBads} bad and {MinimumBads} good, are needed."));
        }

        Calibration fitted;
        try
        {
            fitted = Calibration.Fit(pd, bad, window);
        }
        catch (ArgumentException e)
        {
            return Done(new RecalibrationReport(window, pd.Count, predicted, observed, null, null, e.Message));
        }

        // On top of what the champion already applies: σ(a₂ + b₂·logit(σ(a₁ + b₁·x))) = σ(a₂ + b₂a₁ + b₂b₁·x).
        Calibration composed = champion.Model.Calibration is { } earlier
            ? fitted with { Intercept = fitted.Intercept + fitted.Slope * earlier.Intercept, Slope = fitted.Slope * earlier.Slope }
            : fitted;
        var bundle = champion with
        {
            Model = champion.Model with { Calibration = composed },
            Report = champion.Report with
            {
                Baseline = champion.Report.Baseline?.Recalibrated(fitted, champion.Model.Scaling),
                Warnings = [.. champion.Report.Warnings, $"Recalibrated from version {champion.Version} on {pd.Count} matured loans in {window}: mean predicted {predicted:P1}, observed {observed:P1}."],
            },
        };
        await registry.RegisterAsync(bundle, cancellationToken);
        return Done(new RecalibrationReport(window, pd.Count, predicted, observed, composed, bundle.Version,
            $"The champion predicted {predicted:P1} where {observed:P1} went bad in {window} ({pd.Count} loans); recalibrated as version {bundle.Version}, to promote through four eyes."));
    }

    async Task<(ChampionPointer Pointer, ModelBundle Champion)> ChampionAsync(string purpose, CancellationToken cancellationToken)
    {
        ChampionPointer pointer = await registry.GetChampionAsync(options.ModelName, cancellationToken)
            ?? throw new ModelRegistryException($"Model {options.ModelName} has no champion to {purpose}.");
        ModelBundle champion = await registry.GetAsync(pointer.Name, pointer.Version, cancellationToken)
            ?? throw new ModelRegistryException($"Model {pointer.Name} champion {pointer.Version} is not in the registry.");
        return (pointer, champion);
    }

    /// <summary>How far back recalibration looks for the champion's decisions.</summary>
    public const int RecalibrationDays = 365;

    RecalibrationReport Done(RecalibrationReport report)
    {
        logger.LogInformation("Recalibration: {Detail}", report.Detail);
        return report;
    }

    RetrainingReport Done(RetrainingReport report)
    {
        logger.LogInformation("Retraining from the platform: {Detail}", report.Detail);
        return report;
    }
}
