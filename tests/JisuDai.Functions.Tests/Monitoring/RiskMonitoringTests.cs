using Azure.Data.Tables;
using Azure.Storage.Blobs;
using JisuDai.Adapters.Risk;
using JisuDai.Adapters.Staff;
using JisuDai.Adapters.Storage;
using JisuDai.App.Monitoring;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Data;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;
using JisuDai.Risk.Metrics;
using JisuDai.Risk.Monitoring;
using JisuDai.Risk.Outcomes;
using JisuDai.Risk.Scoring;
using JisuDai.Risk.Training;
using JisuDai.Risk.Trees;
using JisuDai.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace JisuDai.Functions.Tests.Monitoring;

/// <summary>The nightly risk monitoring on Azurite: outcome labels joined to decisions, each day's metrics, the book, catching up.</summary>
public sealed class RiskMonitoringTests : IAsyncLifetime
{
    static readonly DateOnly Decided = new(2026, 1, 14);
    static readonly DateOnly Disbursed = new(2026, 1, 15);

    AzuriteServer azurite = null!;
    static readonly Lazy<(ModelBundle Bundle, CreditDataset Data)> Model = new(() =>
    {
        using TextReader text = DefaultModel.OpenData();
        CreditDataset data = CreditDataset.Prepare(TabularText.Read(text, DefaultModel.DataName), DefaultModel.Options, DefaultModel.DataName);
        TrainingResult result = ModelTrainer.Train(data, new TrainingOptions(Folds: 3, TreeGrid: [new TreeParameters(4, 3, 0.1, 20)]));
        return (new ModelBundle(DefaultModel.Name, result.Model, DefaultModel.Spec, result.Report), data);
    });

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    sealed record Parts(RiskMonitoring Monitoring, TableDocumentStore<CreditDecision> Decisions, TableDocumentStore<Loan> Loans, TableDocumentStore<LoanOutcome> Outcomes, BlobRiskMetrics Metrics, CreditScorer Scorer, TableStaffAlerts Alerts);

    async Task<Parts> ComposeAsync(AlertThresholds? thresholds = null)
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var registry = new BlobModelRegistry(blobs, TimeProvider.System);
        await registry.RegisterAsync(Model.Value.Bundle, CancellationToken.None);
        var decisions = new TableDocumentStore<CreditDecision>(tables, "decisions");
        var loans = new TableDocumentStore<Loan>(tables, "loans", DocumentKinds.LoanTables);
        var outcomes = new TableDocumentStore<LoanOutcome>(tables, "outcomes");
        var metrics = new BlobRiskMetrics(blobs);
        var alerts = new TableStaffAlerts(tables);
        return new Parts(new RiskMonitoring(decisions, loans, outcomes, registry, metrics, alerts, thresholds ?? new AlertThresholds(), new JisuDai.App.Risk.RiskOptions(DefaultModel.Name, TimeSpan.FromMinutes(1)),
            new BlobRuleSetStore(blobs, TimeProvider.System), new JisuDai.App.Risk.RiskRulesOptions("default"), TimeProvider.System, NullLogger<RiskMonitoring>.Instance),
            decisions, loans, outcomes, metrics, new CreditScorer(Model.Value.Bundle), alerts);
    }

    /// <summary>A decision on training row <paramref name="row"/>, as the decision use case records it.</summary>
    static CreditDecision DecisionOn(CreditScorer scorer, int row, string customer, DateOnly on, string? applicationId, string modelVersion)
    {
        FeatureVector inputs = FeatureVector.Of(Model.Value.Data, row, scorer.Inputs);
        ScoreResult score = scorer.Score(inputs);
        var result = new DecisionResult(CreditOutcome.Approve, "A", 12_000m, 0.18m, 12_000m, 12, [new FiredRule("limits", "base", null, null, 1, null)], [], false, false);
        return new CreditDecision($"d{row}.{customer}", customer, applicationId, "hash", new DateTimeOffset(on.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero), on,
            "express", DefaultModel.Name, modelVersion, "default", "r1", new Dictionary<string, string?>(), new Dictionary<string, string>(),
            CheckResults.Clean, null, score, result, new Dictionary<string, double>(), Inputs: inputs.ToRecord(scorer.Inputs));
    }

    static Loan Booked(string customer, string applicationId)
    {
        LoanProduct product = BuiltInProducts.Express;
        RepaymentSchedule schedule = Offers.Price(product, Offers.TermsFor(product, 12_000m, 12, 0.18m), Disbursed).Value!.Schedule;
        return new Loan($"loan-1.{customer}", customer, applicationId, 12_000m, LoanStatus.Active, Disbursed, product.Code, schedule, "tr-1")
            .Raise(LoanEventType.LoanDisbursed, Disbursed, 12_000m, "tr-1");
    }

    [Fact]
    public async Task A_run_labels_each_booked_loan_joined_to_its_decision_measures_the_day_and_the_book_and_a_rerun_writes_nothing()
    {
        Parts p = await ComposeAsync();
        string version = p.Scorer.Version;
        await p.Decisions.CreateAsync(DecisionOn(p.Scorer, 0, "c-paid", Decided, "app.c-paid", version));
        await p.Decisions.CreateAsync(DecisionOn(p.Scorer, 1, "c-late", Decided, "app.c-late", version));
        // A staff what-if check: not traffic, not counted.
        await p.Decisions.CreateAsync(DecisionOn(p.Scorer, 2, "external", Decided, null, version));

        Loan paid = Booked("c-paid", "app.c-paid");
        Installment first = paid.Schedule!.Installments[0];
        paid = LoanRepayments.Record(paid, new RecordedRepayment("p1", first.DueDate, first.Total, new DateTimeOffset(first.DueDate.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)))).Value!.Loan;
        await p.Loans.CreateAsync(paid);
        await p.Loans.CreateAsync(Booked("c-late", "app.c-late"));
        // Approved, never paid out: lent nothing, no labels.
        await p.Loans.CreateAsync(Booked("c-none", "app.c-none") with { Status = LoanStatus.Approved });
        // A loan whose ledger no longer replays (interest is never a charge): left out with an alert, the run goes on.
        await p.Loans.CreateAsync(Booked("c-bad", "app.c-bad") with { Charges = [new ChargeAssessed("penalty-x", Disbursed.AddDays(40), 1, JisuDai.Lending.Repayments.Component.Interest, 5m)] });

        DateOnly through = first.DueDate.AddDays(30);
        MonitoringRun run = await p.Monitoring.RunAsync(through, CancellationToken.None);
        Assert.Equal((2L, 2, 2, RiskMonitoring.FirstRunDays, 1), (run.Decisions, run.Loans, run.OutcomesWritten, run.Days, run.Unlabelled));
        Assert.Equal("monitoring-unlabelled", Assert.Single(await p.Alerts.ListAsync(CancellationToken.None)).Kind);

        LoanOutcome late = (await p.Outcomes.FindAsync("c-late", "loan-1.c-late"))!.Document;
        Assert.Equal((Label.Bad, "d1.c-late"), (late.FirstPaymentDefault, late.DecisionId));
        Assert.Equal(Label.Good, (await p.Outcomes.FindAsync("c-paid", "loan-1.c-paid"))!.Document.FirstPaymentDefault);
        Assert.Null(await p.Outcomes.FindAsync("c-none", "loan-1.c-none"));

        DailyRiskMetrics day = Assert.Single(await p.Metrics.DaysAsync(Decided, Decided, CancellationToken.None));
        Assert.Equal((2L, 1.0, version), (day.Decisions, day.ApprovalRate, day.ModelVersion));
        Assert.NotNull(day.ScorePsi);
        Assert.Equal(Model.Value.Bundle.Model.Inputs.Count, day.Csi.Count);
        Assert.Equal([new RuleHitRate("limits/base", 2, 1.0)], day.RuleHits);

        PortfolioMetrics book = (await p.Metrics.PortfolioAsync(null, CancellationToken.None))!;
        Assert.Equal((through, 2), (book.AsOf, book.Loans));
        LabelSummary fpd = book.Labels.Single(l => l.Window == OutcomeWindows.FirstPaymentDefault);
        Assert.Equal((2, 1, 0.5), (fpd.Matured, fpd.Bad, fpd.BadRate));
        ModelPerformance performance = book.Performance.Single(m => m.Window == OutcomeWindows.FirstPaymentDefault);
        Assert.Equal((version, 2, 1), (performance.ModelVersion, performance.Loans, performance.Bad));
        Assert.Equal("2026-01", Assert.Single(book.Vintages).Month);

        MonitoringRun again = await p.Monitoring.RunAsync(through, CancellationToken.None);
        Assert.Equal((0, 0L, 2, 0), (again.Days, again.Decisions, again.Loans, again.OutcomesWritten));
        Assert.Single(await p.Alerts.ListAsync(CancellationToken.None)); // the same alert, not a second
    }

    [Fact]
    public async Task Retraining_on_a_world_whose_risk_changed_beats_the_champion_out_of_time_and_runs_as_a_shadow_challenger_never_as_champion()
    {
        Parts p = await ComposeAsync();
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var registry = new BlobModelRegistry(blobs, TimeProvider.System);
        string champion = p.Scorer.Version;
        await registry.PromoteAsync(DefaultModel.Name, champion, CancellationToken.None);
        var training = new PlatformTraining(p.Decisions, p.Outcomes, registry, new JisuDai.App.Risk.RiskOptions(DefaultModel.Name, TimeSpan.FromMinutes(1)),
            OutcomeWindows.Ever30In6, TimeProvider.System, NullLogger<PlatformTraining>.Instance);

        // Too little yet: nothing is trained.
        RetrainingReport early = await training.RetrainAsync(CancellationToken.None);
        Assert.Equal((0, false, (string?)null), (early.Rows, early.Registered, early.Version));

        // The platform's loans went bad by a rule the training data never had: long loans default, short ones do not.
        CreditDataset data = Model.Value.Data;
        FeatureColumn duration = data.Features.Single(f => f.Name == "duration");
        for (int r = 0; r < data.Count; r++)
        {
            CreditDecision decision = DecisionOn(p.Scorer, r, $"c{r}", Decided.AddDays(r / 10), $"a.c{r}", champion);
            await p.Decisions.CreateAsync(decision);
            bool bad = duration.Numbers![r] >= 24;
            Label label = bad ? Label.Bad : Label.Good;
            await p.Outcomes.CreateAsync(new LoanOutcome($"loan.c{r}", $"c{r}", $"a.c{r}", decision.Id, Disbursed, Disbursed.AddMonths(7), 7,
                label, label, Label.Immature, Label.Immature, Label.Good, bad ? 40 : 0, null, []));
        }

        RetrainingReport report = await training.RetrainAsync(CancellationToken.None);
        Assert.Equal((1000, 800, 200, true, true), (report.Rows, report.TrainRows, report.OutOfTimeRows, report.Registered, report.Challenger));
        Assert.True(report.Auc!.Difference.Lower > 0, report.Detail);
        ChampionPointer pointer = (await registry.GetChampionAsync(DefaultModel.Name, CancellationToken.None))!;
        Assert.Equal((champion, report.Version, 0.0), (pointer.Version, pointer.Challenger!.Version, pointer.Challenger.TrafficShare));
        // Its stability baseline is the traffic of its training period (the first 80 days' 800 decisions), not only its labelled loans.
        Assert.Equal(800, (await registry.GetAsync(DefaultModel.Name, report.Version!, CancellationToken.None))!.Report.Baseline!.Rows);

        // Recalibration: the champion's own decisions, whose world defaults far more or less than it said, give a new
        // version with the same ranking and honest probabilities; it is registered, not promoted.
        RecalibrationReport recalibrated = await training.RecalibrateAsync(CancellationToken.None);
        Assert.Equal(1000, recalibrated.Rows);
        Assert.NotNull(recalibrated.Version);
        Assert.NotEqual(recalibrated.MeanPredicted, recalibrated.Observed);
        ModelBundle calibrated = (await registry.GetAsync(DefaultModel.Name, recalibrated.Version!, CancellationToken.None))!;
        Assert.Equal(recalibrated.Calibration, calibrated.Model.Calibration);
        var scorer = new CreditScorer(calibrated);
        double meanAfter = Enumerable.Range(0, data.Count).Average(r => scorer.Score(FeatureVector.Of(data, r, scorer.Inputs)).ProbabilityOfDefault);
        Assert.Equal(recalibrated.Observed, meanAfter, 3);
        Assert.Equal(champion, (await registry.GetChampionAsync(DefaultModel.Name, CancellationToken.None))!.Version);

        // Point in time: the export is exactly the recorded inputs and the final labels, oldest first.
        PlatformExport export = await training.ExportAsync(CancellationToken.None);
        Assert.Equal(1000, export.Rows.Count);
        Assert.Equal(export.Rows.OrderBy(r => r.DecidedAt).Select(r => r.DecidedAt), export.Rows.Select(r => r.DecidedAt));
        Assert.Equal(data.Features.Single(f => f.Name == "duration").Numbers!.Count(d => d >= 24), export.Rows.Count(r => r.Bad));
    }

    [Fact]
    public async Task Traffic_from_the_riskiest_tenth_reads_a_shifted_PSI_raises_one_alert_days_missed_are_caught_up_and_a_model_without_a_baseline_is_unavailable()
    {
        // Stability judged day by day here, so the shifted day is not averaged with the ordinary one.
        Parts p = await ComposeAsync(new AlertThresholds(WindowDays: 1, MinimumDecisions: 50));
        string version = p.Scorer.Version;
        await p.Metrics.SaveDayAsync(Decided.AddDays(-1), [], CancellationToken.None);

        // Day one: the training population as it was. Day three: only its riskiest tenth applies.
        CreditDataset data = Model.Value.Data;
        var byRisk = Enumerable.Range(0, data.Count).OrderBy(r => p.Scorer.Score(FeatureVector.Of(data, r, p.Scorer.Inputs)).Score).ToList();
        for (int r = 0; r < data.Count; r++)
        {
            await p.Decisions.CreateAsync(DecisionOn(p.Scorer, r, $"c{r}", Decided, $"a.c{r}", version));
        }

        foreach (int r in byRisk.Take(100))
        {
            await p.Decisions.CreateAsync(DecisionOn(p.Scorer, r, $"c{r}", Decided.AddDays(2), $"b.c{r}", version) with { Id = $"e{r}.c{r}" });
        }

        // A decision by a model the registry no longer has.
        await p.Decisions.CreateAsync(DecisionOn(p.Scorer, 0, "old", Decided.AddDays(2), "a.old", "0000000000000000"));

        MonitoringRun run = await p.Monitoring.RunAsync(Decided.AddDays(2), CancellationToken.None);
        Assert.Equal((3, 1101L), (run.Days, run.Decisions));

        var days = await p.Metrics.DaysAsync(Decided, Decided.AddDays(2), CancellationToken.None);
        DailyRiskMetrics same = days.Single(d => d.Day == Decided);
        Assert.Equal(0, same.ScorePsi!.Value, 9);
        Assert.All(same.Csi, c => Assert.Equal(0, c.Csi!.Value, 9));
        Assert.DoesNotContain(days, d => d.Day == Decided.AddDays(1));

        DailyRiskMetrics shifted = days.Single(d => d.Day == Decided.AddDays(2) && d.ModelVersion == version);
        Assert.Equal(StabilityBand.Shifted, shifted.ScorePsi!.Band);
        Assert.True(shifted.ScorePsi.Value > 1, $"PSI {shifted.ScorePsi.Value}");

        DailyRiskMetrics unknown = days.Single(d => d.ModelVersion == "0000000000000000");
        Assert.Null(unknown.ScorePsi);
        Assert.Empty(unknown.Csi);
        Assert.Equal(Decided.AddDays(2), await p.Metrics.LastDayAsync(CancellationToken.None));

        // The shift is an alert on the model's score (and on the inputs that moved), not on the ordinary first day.
        MonitoringFinding psi = Assert.Single(run.Findings, f => f.Rule == MonitoringAlerts.ScoreShift);
        Assert.Equal((version, Decided.AddDays(2)), (psi.Target, psi.Day));
        Assert.DoesNotContain(run.Findings, f => f.Day == Decided);
        JisuDai.App.Staff.StaffAlert alert = Assert.Single(await p.Alerts.ListAsync(CancellationToken.None), a => a.Id == psi.AlertId);
        Assert.Equal(("monitoring-psi", true), (alert.Kind, alert.Open));

        // Raised again while open and not yet told: still to tell; once told, raising it again is not a new opening.
        Assert.NotNull(await p.Alerts.RaiseAsync(alert with { Detail = "again", At = DateTimeOffset.UtcNow }, CancellationToken.None));
        await p.Alerts.MarkNotifiedAsync(alert.Id, alert.At, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Null(await p.Alerts.RaiseAsync(alert with { Detail = "again", At = DateTimeOffset.UtcNow }, CancellationToken.None));
        var resolved = await p.Alerts.ResolveAsync(alert.Id, "risk-1", "Checked the channel mix; retraining.", DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.False(resolved!.Open);
        Assert.NotNull(await p.Alerts.RaiseAsync(alert with { At = DateTimeOffset.UtcNow }, CancellationToken.None));
    }
}
