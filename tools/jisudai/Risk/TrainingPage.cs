using System.Globalization;
using System.Net;
using System.Text;
using JisuDai.Risk.Models;
using JisuDai.Risk.Scorecards;
using JisuDai.Risk.Training;

namespace JisuDai.Tools.Risk;

/// <summary>The one-page HTML report: candidates, features and the charts, with the images inlined so the page stands alone.</summary>
static class TrainingPage
{
    public const string File = "report.html";

    public static void Write(ModelBundle bundle, string directory)
    {
        TrainingReport r = bundle.Report;
        static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        static string E(string s) => WebUtility.HtmlEncode(s);
        string Image(string file, string alt) =>
            $"<img alt=\"{E(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(System.IO.File.ReadAllBytes(Path.Combine(directory, file)))}\">";

        var html = new StringBuilder();
        html.Append($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(bundle.Name)}} {{bundle.Version}}: training report</title>
            <style>
            body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1500px; color: #222; }
            table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; } td, th { padding: 0.25rem 0.75rem; border-bottom: 1px solid #ddd; text-align: right; }
            td:first-child, th:first-child { text-align: left; } .champion { font-weight: 600; background: #eef6ee; } .off { color: #999; }
            .charts { display: flex; flex-wrap: wrap; gap: 1rem; } img { width: 480px; border: 1px solid #eee; }
            </style></head><body>
            <h1>{{E(bundle.Name)}} <small>version {{bundle.Version}}</small></h1>
            <p>{{r.Rows}} rows, bad rate {{(r.BadRate * 100).ToString("F1", CultureInfo.InvariantCulture)}}%, {{r.Folds}}-fold cross-validation, seed {{r.Seed}}. Champion: <b>{{E(r.Champion)}}</b>, refit on all rows. Data SHA-256 <code>{{r.DataHash}}</code>.</p>
            <h2>Candidates (mean ± std over folds)</h2>
            <table><tr><th>candidate</th><th>AUC</th><th>KS</th><th>Gini</th><th>Brier</th><th>parameters</th></tr>
            """);
        foreach (CandidateReport c in r.Candidates)
        {
            html.Append($"<tr class=\"{(c.Name == r.Champion ? "champion" : "")}\"><td>{E(c.Name)}</td><td>{F(c.Auc.Mean)} ± {F(c.Auc.Std)}</td><td>{F(c.Ks.Mean)} ± {F(c.Ks.Std)}</td><td>{F(c.Gini.Mean)} ± {F(c.Gini.Std)}</td><td>{F(c.Brier.Mean)} ± {F(c.Brier.Std)}</td><td>{E(c.Parameters ?? "")}</td></tr>\n");
        }

        html.Append("</table>\n");
        if (r.Nested is { } nested)
        {
            html.Append($"<h2>Nested cross-validation ({nested.OuterFolds} outer folds, each tuned on {nested.InnerFolds} inner folds of its training rows)</h2>\n");
            html.Append("<p>The grid point and blend weight were chosen without the outer fold, so these figures are not lifted by the choice as the ones above are.</p>\n");
            html.Append("<table><tr><th>candidate</th><th>AUC</th><th>KS</th><th>Gini</th><th>Brier</th><th>chosen per outer fold</th></tr>\n");
            foreach (CandidateReport c in nested.Candidates)
            {
                html.Append($"<tr><td>{E(c.Name)}</td><td>{F(c.Auc.Mean)} ± {F(c.Auc.Std)}</td><td>{F(c.Ks.Mean)} ± {F(c.Ks.Std)}</td><td>{F(c.Gini.Mean)} ± {F(c.Gini.Std)}</td><td>{F(c.Brier.Mean)} ± {F(c.Brier.Std)}</td><td>{E(c.Parameters ?? "")}</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<div class=\"charts\">");
        html.Append(Image(TrainingCharts.RocFile, "ROC curves")).Append(Image(TrainingCharts.KsFile, "KS curve")).Append(Image(TrainingCharts.ScoresFile, "Score distribution"));
        html.Append("</div>\n<h2>Features (information value in the final fit)</h2>\n<table><tr><th>feature</th><th>IV</th><th>in scorecard</th><th>bins: points</th></tr>\n");
        var scorecard = bundle.Model.Scorecard.Features.ToDictionary(f => f.Binning.Feature);
        foreach (FeatureReport f in r.Features)
        {
            string bins = scorecard.TryGetValue(f.Name, out var sf)
                ? string.Join("; ", sf.Binning.Bins.Select((b, i) => $"{b.Label}: {sf.Points[i].ToString("F1", CultureInfo.InvariantCulture)}"))
                : "";
            html.Append($"<tr class=\"{(f.Selected ? "" : "off")}\"><td>{E(f.Name)}</td><td>{F(f.Iv)}</td><td>{(f.Selected ? "yes" : "no")}</td><td style=\"text-align:left\">{E(bins)}</td></tr>\n");
        }

        html.Append("</table>\n");
        if (r.Warnings.Count > 0)
        {
            html.Append("<h2>Warnings</h2><ul>").Append(string.Concat(r.Warnings.Select(w => $"<li>{E(w)}</li>"))).Append("</ul>\n");
        }

        html.Append("</body></html>\n");
        System.IO.File.WriteAllText(Path.Combine(directory, File), html.ToString());
    }
}
