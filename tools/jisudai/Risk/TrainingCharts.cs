using JisuDai.Risk.Metrics;
using JisuDai.Risk.Scorecards;
using JisuDai.Risk.Training;
using ScottPlot;

namespace JisuDai.Tools.Risk;

/// <summary>Draws training's out-of-fold results: ROC curves, the champion's KS curve and its score distribution.</summary>
static class TrainingCharts
{
    public const string RocFile = "roc.png";
    public const string KsFile = "ks.png";
    public const string ScoresFile = "scores.png";
    const int Width = 720, Height = 480;

    public static void Draw(TrainingResult result, PointsScaling scaling, string directory)
    {
        Roc(result, Path.Combine(directory, RocFile));
        double[] champion = result.OutOfFold.Single(o => o.Name == result.Report.Champion).ProbabilityOfDefault;
        double[] scores = champion.Select(scaling.ScoreOf).ToArray();
        Ks(scores, result.Bad, result.Report.Champion, Path.Combine(directory, KsFile));
        Distribution(scores, result.Bad, result.Report.Champion, Path.Combine(directory, ScoresFile));
    }

    static void Roc(TrainingResult result, string path)
    {
        var plot = new Plot();
        foreach (OutOfFold candidate in result.OutOfFold)
        {
            var curve = BinaryMetrics.Roc(candidate.ProbabilityOfDefault, result.Bad);
            double auc = BinaryMetrics.AreaUnderCurve(candidate.ProbabilityOfDefault, result.Bad);
            var line = plot.Add.ScatterLine(curve.Select(p => p.FalsePositiveRate).ToArray(), curve.Select(p => p.TruePositiveRate).ToArray());
            line.LegendText = $"{candidate.Name} (pooled AUC {auc:F3})";
            line.LineWidth = candidate.Name == result.Report.Champion ? 3 : 1.5f;
        }

        var chance = plot.Add.ScatterLine(new double[] { 0, 1 }, new double[] { 0, 1 });
        chance.LinePattern = LinePattern.Dashed;
        chance.Color = Colors.Gray;
        chance.LegendText = "chance";
        plot.Title("ROC, out-of-fold");
        plot.XLabel("False-positive rate (goods declined)");
        plot.YLabel("True-positive rate (bads caught)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.SavePng(path, Width, Height);
    }

    static void Ks(double[] scores, bool[] bad, string champion, string path)
    {
        int[] order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        int bads = bad.Count(b => b), goods = bad.Length - bads;
        var x = new List<double>();
        var cumBad = new List<double>();
        var cumGood = new List<double>();
        int b = 0, g = 0;
        double ks = 0, ksAt = 0;
        foreach (int i in order)
        {
            if (bad[i])
            {
                b++;
            }
            else
            {
                g++;
            }

            x.Add(scores[i]);
            cumBad.Add(b / (double)bads);
            cumGood.Add(g / (double)goods);
            if (cumBad[^1] - cumGood[^1] > ks)
            {
                ks = cumBad[^1] - cumGood[^1];
                ksAt = scores[i];
            }
        }

        var plot = new Plot();
        var badLine = plot.Add.ScatterLine(x.ToArray(), cumBad.ToArray());
        badLine.LegendText = "bads, cumulative share";
        badLine.Color = Colors.Red;
        var goodLine = plot.Add.ScatterLine(x.ToArray(), cumGood.ToArray());
        goodLine.LegendText = "goods, cumulative share";
        goodLine.Color = Colors.Green;
        var marker = plot.Add.VerticalLine(ksAt);
        marker.LinePattern = LinePattern.Dashed;
        marker.LegendText = $"KS {ks:F3} at score {ksAt:F0}";
        plot.Title($"KS, out-of-fold ({champion})");
        plot.XLabel("Score (higher is safer)");
        plot.YLabel("Cumulative share");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, Width, Height);
    }

    static void Distribution(double[] scores, bool[] bad, string champion, string path)
    {
        const int bins = 20;
        double min = Math.Floor(scores.Min()), max = Math.Ceiling(scores.Max());
        double width = Math.Max(1, (max - min) / bins);
        double[] centres = Enumerable.Range(0, bins).Select(i => min + (i + 0.5) * width).ToArray();
        double[] Share(bool isBad)
        {
            var counts = new double[bins];
            int n = 0;
            for (int i = 0; i < scores.Length; i++)
            {
                if (bad[i] == isBad)
                {
                    counts[Math.Clamp((int)((scores[i] - min) / width), 0, bins - 1)]++;
                    n++;
                }
            }

            return counts.Select(c => c / n).ToArray();
        }

        var plot = new Plot();
        var goods = plot.Add.Bars(centres.Select(c => c - width * 0.2).ToArray(), Share(false));
        goods.LegendText = "goods";
        goods.Color = Colors.Green.WithAlpha(0.7);
        var bads = plot.Add.Bars(centres.Select(c => c + width * 0.2).ToArray(), Share(true));
        bads.LegendText = "bads";
        bads.Color = Colors.Red.WithAlpha(0.7);
        foreach (var bar in goods.Bars.Concat(bads.Bars))
        {
            bar.Size = width * 0.4;
        }

        plot.Title($"Score distribution, out-of-fold ({champion})");
        plot.XLabel("Score (higher is safer)");
        plot.YLabel("Share of the class");
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Margins(bottom: 0);
        plot.SavePng(path, Width, Height);
    }
}
