using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using JisuDai.App.Monitoring;
using JisuDai.App.Staff;
using JisuDai.Risk.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using ScottPlot;

namespace JisuDai.Tools.Risk;

/// <summary>
/// <c>jisudai monitoring report --out DIR [--from yyyy-MM-dd] [--to yyyy-MM-dd]</c>: what the nightly risk monitoring
/// measured, drawn. Reads the stored figures (storage from <c>--storage</c>, <c>AzureWebJobsStorage</c> or the running
/// local host) and writes <c>psi.png</c> (the score's PSI per model version, with the 0.1 and 0.25 bands), <c>rates.png</c>
/// (approval, referral and decline rates by day), <c>vintages.png</c> (30+ days past due by month on book per
/// disbursement month), <c>report.json</c> and <c>report.html</c> (the pictures, the monitoring alerts, roll rates and the
/// latest champion/challenger comparison).
/// </summary>
static class MonitoringCommand
{
    public const string PsiFile = "psi.png", RatesFile = "rates.png", VintagesFile = "vintages.png", JsonFile = "report.json", PageFile = "report.html";
    const int Width = 720, Height = 420;

    public static Command Create()
    {
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: $AzureWebJobsStorage, else the running local host's Azurite)." };
        var from = new Option<string?>("--from") { Description = "First day, yyyy-MM-dd (default: 30 days before --to)." };
        var to = new Option<string?>("--to") { Description = "Last day, yyyy-MM-dd (default: yesterday)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the pictures and the report.", Required = true };
        var report = new Command("report", "Draws what the nightly risk monitoring measured: PSI over time, rates, vintages, alerts, the challenger comparison.") { storage, from, to, output };
        report.SetAction((parse, ct) => StorageConnection.RunComposedAsync(parse.GetValue(storage), null, new Dictionary<string, string?>(), async services =>
        {
            var desk = services.GetRequiredService<MonitoringDesk>();
            var days = await desk.DaysAsync(parse.GetValue(from), parse.GetValue(to), ct);
            if (!days.Succeeded)
            {
                throw new ArgumentException(days.Detail);
            }

            var portfolio = await services.GetRequiredService<IRiskMetrics>().PortfolioAsync(null, ct);
            var comparison = await services.GetRequiredService<IRiskMetrics>().ComparisonAsync(services.GetRequiredService<App.Risk.RiskOptions>().ModelName, ct);
            var alerts = (await services.GetRequiredService<IStaffAlerts>().ListAsync(ct)).Where(a => a.Kind.StartsWith("monitoring-", StringComparison.Ordinal)).ToList();
            string model = services.GetRequiredService<App.Risk.RiskOptions>().ModelName;
            var registry = services.GetRequiredService<JisuDai.Risk.Models.IModelRegistry>();
            var baselines = new Dictionary<string, MonitoringBaseline?>();
            foreach (string version in days.Value!.Select(d => d.ModelVersion).Distinct())
            {
                baselines[version] = (await registry.GetAsync(model, version, ct))?.Report.Baseline;
            }

            DirectoryInfo dir = parse.GetValue(output)!;
            dir.Create();
            Write(dir.FullName, days.Value!, v => baselines.GetValueOrDefault(v), portfolio, comparison, alerts);
            Console.Out.WriteLine($"{days.Value!.Select(d => d.Day).Distinct().Count()} days measured, {alerts.Count} monitoring alerts; report in {Path.Combine(dir.FullName, PageFile)}.");
        }, typeof(ArgumentException)));
        return new Command("monitoring", "What risk monitoring measured.") { report };
    }

    /// <summary>The figures of each day, all segments added up, and each model version's PSI that day.</summary>
    sealed record Day(DateOnly On, long Decisions, double? ApprovalRate, double? ReferralRate, double? DeclineRate, IReadOnlyDictionary<string, double?> Psi);

    /// <summary>Writes the pictures, report.json and report.html of <paramref name="metrics"/> to <paramref name="directory"/>.</summary>
    public static void Write(string directory, IReadOnlyList<DailyRiskMetrics> metrics, Func<string, MonitoringBaseline?> baselineOf, PortfolioMetrics? portfolio,
        ChallengerComparison? comparison, IReadOnlyList<StaffAlert> alerts)
    {
        var days = metrics.GroupBy(m => m.Day).OrderBy(g => g.Key).Select(g =>
        {
            long n = g.Sum(m => m.Decisions);
            double? Rate(Func<DailyRiskMetrics, long> count) => n == 0 ? null : g.Sum(count) / (double)n;
            // A model's day may be split over rule-set versions and arms: its PSI is of their bins added up.
            var psi = g.GroupBy(m => m.ModelVersion).ToDictionary(v => v.Key, v =>
            {
                BaselineBins? score = baselineOf(v.Key)?.Score;
                return score is null ? null : StabilityIndex.Of(score.Shares, score.Sum(v.Select(m => m.ScoreBins)))?.Value;
            });
            return new Day(g.Key, n, Rate(m => m.Approved), Rate(m => m.Referred), Rate(m => m.Declined), psi);
        }).ToList();

        DrawPsi(days, Path.Combine(directory, PsiFile));
        DrawRates(days, Path.Combine(directory, RatesFile));
        DrawVintages(portfolio, Path.Combine(directory, VintagesFile));
        var json = new
        {
            days = days.Select(d => new { day = d.On, d.Decisions, d.ApprovalRate, d.ReferralRate, d.DeclineRate, psi = d.Psi }),
            alerts = alerts.Select(a => new { a.Id, a.Kind, a.Target, a.Detail, a.At, a.Open }),
            portfolio,
            comparison,
        };
        File.WriteAllText(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(json, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        File.WriteAllText(Path.Combine(directory, PageFile), Page(directory, days, portfolio, comparison, alerts));
    }

    static void DrawPsi(IReadOnlyList<Day> days, string path)
    {
        var plot = new Plot();
        foreach (string version in days.SelectMany(d => d.Psi.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var points = days.Where(d => d.Psi.GetValueOrDefault(version) is not null).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var line = plot.Add.ScatterLine(points.Select(d => d.On.ToDateTime(TimeOnly.MinValue).ToOADate()).ToArray(), points.Select(d => d.Psi[version]!.Value).ToArray());
            line.LegendText = $"model {version}";
        }

        foreach ((double level, string label) in new[] { (StabilityIndex.WatchFrom, "watch 0.1"), (StabilityIndex.ShiftedFrom, "shifted 0.25") })
        {
            var band = plot.Add.HorizontalLine(level);
            band.LinePattern = LinePattern.Dashed;
            band.LegendText = label;
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Title("Score PSI against the training baseline, by day");
        plot.YLabel("PSI");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }

    static void DrawRates(IReadOnlyList<Day> days, string path)
    {
        var plot = new Plot();
        foreach ((string name, Func<Day, double?> rate) in new (string, Func<Day, double?>)[] { ("approved", d => d.ApprovalRate), ("referred", d => d.ReferralRate), ("declined", d => d.DeclineRate) })
        {
            var points = days.Where(d => rate(d) is not null).ToList();
            if (points.Count > 0)
            {
                plot.Add.ScatterLine(points.Select(d => d.On.ToDateTime(TimeOnly.MinValue).ToOADate()).ToArray(), points.Select(d => rate(d)!.Value * 100).ToArray()).LegendText = name;
            }
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Title("Decisions by outcome, by day");
        plot.YLabel("% of the day's decisions");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }

    static void DrawVintages(PortfolioMetrics? portfolio, string path)
    {
        var plot = new Plot();
        foreach (VintageCurve curve in portfolio?.Vintages ?? [])
        {
            plot.Add.ScatterLine(Enumerable.Range(1, curve.Ever30.Count).Select(k => (double)k).ToArray(), curve.Ever30.Select(s => s * 100).ToArray()).LegendText = $"{curve.Month} ({curve.Loans})";
        }

        plot.Title(portfolio is null ? "Vintages: monitoring has not run" : $"Vintages as of {portfolio.AsOf:yyyy-MM-dd}: ever 30+ days past due");
        plot.XLabel("Months on book");
        plot.YLabel("% of the month's loans");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }

    static string Page(string directory, IReadOnlyList<Day> days, PortfolioMetrics? portfolio, ChallengerComparison? comparison, IReadOnlyList<StaffAlert> alerts)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        static string P(double? v) => v is { } x ? x.ToString("P1", CultureInfo.InvariantCulture) : "unavailable";
        string Image(string file, string alt) => $"<img alt=\"{E(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(Path.Combine(directory, file)))}\">";
        var html = new StringBuilder($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Risk monitoring</title>
            <style>
            body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1500px; color: #222; }
            table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; } td, th { padding: 0.25rem 0.75rem; border-bottom: 1px solid #ddd; text-align: right; }
            td:first-child, th:first-child { text-align: left; } .charts { display: flex; flex-wrap: wrap; gap: 1rem; } img { width: 560px; border: 1px solid #eee; }
            </style></head><body>
            <h1>Risk monitoring</h1>
            <p>{{days.Count}} days measured{{(days.Count > 0 ? $", {days[0].On:yyyy-MM-dd} to {days[^1].On:yyyy-MM-dd}, {days.Sum(d => d.Decisions)} decisions" : "")}}. A figure with nothing to compare against reads unavailable, never 0.</p>
            <div class="charts">{{Image(PsiFile, "Score PSI by day")}}{{Image(RatesFile, "Rates by day")}}{{Image(VintagesFile, "Vintage curves")}}</div>
            <h2>Monitoring alerts</h2>
            <table><tr><th>opened</th><th>kind</th><th>target</th><th>state</th><th>detail</th></tr>
            """);
        foreach (StaffAlert a in alerts.OrderBy(a => a.At))
        {
            html.Append($"<tr><td>{a.At:yyyy-MM-dd HH:mm}</td><td>{E(a.Kind)}</td><td>{E(a.Target)}</td><td>{(a.Open ? "open" : "resolved by " + E(a.ResolvedBy ?? ""))}</td><td style=\"text-align:left\">{E(a.Detail)}</td></tr>\n");
        }

        html.Append("</table>\n");
        if (portfolio is not null)
        {
            html.Append($"<h2>The book as of {portfolio.AsOf:yyyy-MM-dd}: {portfolio.Loans} loans</h2>\n<table><tr><th>window</th><th>matured</th><th>bad</th><th>immature</th><th>bad rate</th></tr>\n");
            foreach (LabelSummary l in portfolio.Labels)
            {
                html.Append($"<tr><td>{E(l.Window)}</td><td>{l.Matured}</td><td>{l.Bad}</td><td>{l.Immature}</td><td>{P(l.BadRate)}</td></tr>\n");
            }

            html.Append("</table>\n<h3>Roll rates, month on book to the next</h3>\n<table><tr><th>from \\ to</th>");
            html.Append(string.Concat(portfolio.RollRates.Buckets.Select(b => $"<th>{E(b)}</th>"))).Append("</tr>\n");
            for (int i = 0; i < portfolio.RollRates.Buckets.Count; i++)
            {
                html.Append($"<tr><td>{E(portfolio.RollRates.Buckets[i])}</td>{string.Concat(portfolio.RollRates.Rates[i].Select(r => $"<td>{P(r)}</td>"))}</tr>\n");
            }

            html.Append("</table>\n");
        }

        if (comparison is not null)
        {
            html.Append($"<h2>Champion {E(comparison.ChampionVersion)} against challenger {E(comparison.ChallengerVersion)} ({comparison.Window}, as of {comparison.AsOf:yyyy-MM-dd})</h2>\n");
            html.Append($"<p>AUC {(comparison.Auc is { } auc ? $"{auc.A.Value:F3} against {auc.B.Value:F3}, difference {auc.Difference.Value:+0.000;-0.000} (95% {auc.Difference.Lower:+0.000;-0.000} to {auc.Difference.Upper:+0.000;-0.000})" : "unavailable")}; ");
            html.Append($"bad rates {P(comparison.Champion.BadRate)} and {P(comparison.Challenger.BadRate)}. Guardrails: {(comparison.Passes ? "passed" : "not passed: " + E(string.Join(" ", comparison.Reasons)))}</p>\n");
        }

        return html.Append("</body></html>\n").ToString();
    }
}
