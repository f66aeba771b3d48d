using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using JisuDai.Adapters.Risk;
using JisuDai.Adapters.Staff;
using JisuDai.App.Staff;
using JisuDai.Lending.Applications;
using JisuDai.Risk.Data;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;
using JisuDai.Risk.Monitoring;
using JisuDai.Risk.Scoring;
using JisuDai.Risk.Training;
using JisuDai.Risk.Trees;
using JisuDai.Tests;

namespace JisuDai.Tools.Tests;

/// <summary><c>jisudai monitoring report</c> over stored figures on Azurite: the pictures, the PSI by day, the alerts.</summary>
public sealed class MonitoringCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task The_report_draws_each_days_PSI_against_the_models_baseline_the_rates_and_lists_the_monitoring_alerts()
    {
        using TextReader text = DefaultModel.OpenData();
        CreditDataset data = CreditDataset.Prepare(TabularText.Read(text, DefaultModel.DataName), DefaultModel.Options, DefaultModel.DataName);
        TrainingResult trained = ModelTrainer.Train(data, new TrainingOptions(Folds: 3, TreeGrid: [new TreeParameters(4, 3, 0.1, 20)]));
        var bundle = new ModelBundle(DefaultModel.Name, trained.Model, DefaultModel.Spec, trained.Report);
        var blobs = new BlobServiceClient(azurite.Server.ConnectionString);
        await new BlobModelRegistry(blobs, TimeProvider.System).RegisterAsync(bundle, CancellationToken.None);

        // Day one: the training population; day two: its riskiest tenth only.
        var scorer = new CreditScorer(bundle);
        var day1 = new DateOnly(2026, 11, 1);
        var tally = new DecisionTally(_ => bundle.Report.Baseline);
        var scored = Enumerable.Range(0, data.Count).Select(r => (Row: r, Score: scorer.Score(FeatureVector.Of(data, r, scorer.Inputs)).Score)).ToList();
        foreach ((int row, int score) in scored)
        {
            tally.Add(new MonitoredDecision(day1, scorer.Version, "r1", row % 4 == 0 ? CreditOutcome.Decline : CreditOutcome.Approve, score, [], FeatureVector.Of(data, row, scorer.Inputs)));
        }

        foreach ((int row, int score) in scored.OrderBy(s => s.Score).Take(100))
        {
            tally.Add(new MonitoredDecision(day1.AddDays(1), scorer.Version, "r1", CreditOutcome.Decline, score, [], FeatureVector.Of(data, row, scorer.Inputs)));
        }

        var metrics = new BlobRiskMetrics(blobs);
        foreach (var day in tally.Results().GroupBy(m => m.Day))
        {
            await metrics.SaveDayAsync(day.Key, day.ToList(), CancellationToken.None);
        }

        await new TableStaffAlerts(new TableServiceClient(azurite.Server.ConnectionString)).RaiseAsync(
            new StaffAlert($"monitoring-psi-{scorer.Version}", "monitoring-psi", scorer.Version, "PSI 3.1 over the 7 days to 2026-11-02.", DateTimeOffset.UtcNow), CancellationToken.None);

        string output = Path.Combine(Path.GetTempPath(), $"jisudai-monitoring-{Guid.NewGuid():N}");
        try
        {
            (int exitCode, string stdout, string error) = JisudaiCli.Run("monitoring", "report", "--storage", azurite.Server.ConnectionString, "--from", "2026-11-01", "--to", "2026-11-02", "--out", output);
            Assert.True(exitCode == 0, error);
            Assert.Contains("2 days measured, 1 monitoring alerts", stdout);

            using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json")));
            JsonElement[] days = report.RootElement.GetProperty("days").EnumerateArray().ToArray();
            Assert.Equal(2, days.Length);
            Assert.Equal((1000, 0.75), (days[0].GetProperty("decisions").GetInt32(), days[0].GetProperty("approvalRate").GetDouble()));
            Assert.Equal(0, days[0].GetProperty("psi").GetProperty(scorer.Version).GetDouble(), 9);
            Assert.True(days[1].GetProperty("psi").GetProperty(scorer.Version).GetDouble() >= StabilityIndex.ShiftedFrom);
            Assert.Equal("monitoring-psi", Assert.Single(report.RootElement.GetProperty("alerts").EnumerateArray()).GetProperty("kind").GetString());
            foreach (string png in new[] { "psi.png", "rates.png", "vintages.png" })
            {
                Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(output, png))[..4]);
            }

            string html = File.ReadAllText(Path.Combine(output, "report.html"));
            Assert.Contains("PSI 3.1 over the 7 days", html);
            Assert.Contains("data:image/png;base64,", html);
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
