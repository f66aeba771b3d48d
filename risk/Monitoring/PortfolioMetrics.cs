using JisuDai.Risk.Metrics;
using JisuDai.Risk.Outcomes;

namespace JisuDai.Risk.Monitoring;

/// <summary>A booked loan's outcome with what its decision predicted.</summary>
/// <param name="Outcome">The labels.</param>
/// <param name="ProbabilityOfDefault">The decision's probability of default; null when the decision is not known.</param>
/// <param name="ModelVersion">The model version that decided it; null when not known.</param>
public sealed record ScoredOutcome(LoanOutcome Outcome, double? ProbabilityOfDefault, string? ModelVersion);

/// <summary>One disbursement month's vintage curve: the share of its loans ever 30+ days past due by each month on book.</summary>
/// <param name="Month">The disbursement month, yyyy-MM.</param>
/// <param name="Loans">Loans disbursed in it.</param>
/// <param name="Ever30">Index k − 1: the share, of the month's loans disbursed at least k months before the as-of day (closed ones included: a loan repaid early can no longer go bad), that reached 30+ within k months.</param>
/// <param name="Observed">Index k − 1: how many loans that share is of.</param>
public sealed record VintageCurve(string Month, int Loans, IReadOnlyList<double> Ever30, IReadOnlyList<int> Observed);

/// <summary>How loans moved between delinquency buckets from one month on book to the next.</summary>
/// <param name="Buckets">The buckets, in order: current, 1-29, 30-59, 60-89, 90+.</param>
/// <param name="Counts">[from][to]: loan-months that moved from one bucket to the other.</param>
/// <param name="Rates">[from][to]: the counts as shares of their row (null where the row is empty).</param>
public sealed record RollRates(IReadOnlyList<string> Buckets, IReadOnlyList<IReadOnlyList<long>> Counts, IReadOnlyList<IReadOnlyList<double?>> Rates);

/// <summary>A window's labels across the book.</summary>
/// <param name="Window">The window (<see cref="OutcomeWindows"/>).</param>
/// <param name="Matured">Loans whose window has ended (<see cref="LoanOutcome.MaturedLabel"/>).</param>
/// <param name="Bad">Of those, bad.</param>
/// <param name="Immature">Loans whose window has not ended (a bad among them included): not counted in the rate.</param>
/// <param name="BadRate">Bad over matured; null when none has matured.</param>
public sealed record LabelSummary(string Window, int Matured, int Bad, int Immature, double? BadRate);

/// <summary>One bin of a calibration table: loans ranked by predicted probability, mean predicted against observed.</summary>
public sealed record CalibrationBin(int Loans, double MeanPredicted, double Observed);

/// <summary>How well a model's probabilities ranked and matched matured outcomes of one window.</summary>
/// <param name="ModelVersion">The model.</param>
/// <param name="Window">The window.</param>
/// <param name="Loans">Matured loans with a known probability.</param>
/// <param name="Bad">Of those, bad.</param>
/// <param name="Auc">Area under the ROC curve; null without both goods and bads.</param>
/// <param name="Ks">Kolmogorov–Smirnov; null likewise.</param>
/// <param name="MeanPredicted">Mean probability of default.</param>
/// <param name="Observed">Observed bad rate.</param>
/// <param name="Calibration">Up to ten bins by predicted probability.</param>
public sealed record ModelPerformance(string ModelVersion, string Window, int Loans, int Bad, double? Auc, double? Ks, double MeanPredicted, double Observed, IReadOnlyList<CalibrationBin> Calibration);

/// <summary>The book's performance as of one day: vintage curves, roll rates, labels and the live models' performance.</summary>
public sealed record PortfolioMetrics(
    DateOnly AsOf, int Loans, IReadOnlyList<VintageCurve> Vintages, RollRates RollRates, IReadOnlyList<LabelSummary> Labels, IReadOnlyList<ModelPerformance> Performance)
{
    /// <summary>The delinquency buckets roll rates use.</summary>
    public static IReadOnlyList<string> Buckets { get; } = ["current", "1-29", "30-59", "60-89", "90+"];

    /// <summary>The bucket index of a number of days past due.</summary>
    public static int BucketOf(int daysPastDue) => daysPastDue switch { <= 0 => 0, < 30 => 1, < 60 => 2, < 90 => 3, _ => 4 };

    /// <summary>Measures the book <paramref name="loans"/> as of <paramref name="asOf"/>.</summary>
    public static PortfolioMetrics Of(IReadOnlyList<ScoredOutcome> loans, DateOnly asOf)
    {
        return new PortfolioMetrics(asOf, loans.Count, VintagesOf(loans.Select(l => l.Outcome).ToList(), asOf), RollRatesOf(loans.Select(l => l.Outcome)),
            OutcomeWindows.All.Select(w => Summary(loans, w, asOf)).ToList(),
            loans.Where(l => l.ModelVersion is not null && l.ProbabilityOfDefault is not null).GroupBy(l => l.ModelVersion!, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => OutcomeWindows.All.Select(w => PerformanceOf(g.Key, w, g.ToList(), asOf)).OfType<ModelPerformance>()).ToList());
    }

    /// <summary>Vintage curves by disbursement month as of <paramref name="asOf"/>, oldest first.</summary>
    public static IReadOnlyList<VintageCurve> VintagesOf(IReadOnlyList<LoanOutcome> loans, DateOnly asOf) => loans
        .GroupBy(l => $"{l.DisbursedOn:yyyy-MM}", StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g =>
        {
            int longest = g.Max(l => OutcomeLabels.MonthsBetween(l.DisbursedOn, asOf));
            var shares = new List<double>(longest);
            var observed = new List<int>(longest);
            for (int k = 1; k <= longest; k++)
            {
                var onBook = g.Where(l => OutcomeLabels.MonthsBetween(l.DisbursedOn, asOf) >= k).ToList();
                int bad = onBook.Count(l => l.First30On is { } d && d <= l.DisbursedOn.AddMonths(k));
                shares.Add(bad / (double)onBook.Count);
                observed.Add(onBook.Count);
            }

            return new VintageCurve(g.Key, g.Count(), shares, observed);
        })
        .ToList();

    /// <summary>Roll rates over every pair of consecutive month-ends on book (disbursement counts as current).</summary>
    public static RollRates RollRatesOf(IEnumerable<LoanOutcome> loans)
    {
        var counts = new long[Buckets.Count, Buckets.Count];
        foreach (LoanOutcome loan in loans)
        {
            int from = 0;
            foreach (int days in loan.MonthEndDaysPastDue)
            {
                int to = BucketOf(days);
                counts[from, to]++;
                from = to;
            }
        }

        var countRows = new List<IReadOnlyList<long>>();
        var rateRows = new List<IReadOnlyList<double?>>();
        for (int i = 0; i < Buckets.Count; i++)
        {
            var row = Enumerable.Range(0, Buckets.Count).Select(j => counts[i, j]).ToList();
            long total = row.Sum();
            countRows.Add(row);
            rateRows.Add(row.Select(c => total == 0 ? (double?)null : c / (double)total).ToList());
        }

        return new RollRates(Buckets, countRows, rateRows);
    }

    static LabelSummary Summary(IReadOnlyList<ScoredOutcome> loans, string window, DateOnly asOf)
    {
        int good = 0, bad = 0, immature = 0;
        foreach (ScoredOutcome l in loans)
        {
            switch (l.Outcome.MaturedLabel(window, asOf))
            {
                case Label.Good: good++; break;
                case Label.Bad: bad++; break;
                default: immature++; break;
            }
        }

        return new LabelSummary(window, good + bad, bad, immature, good + bad == 0 ? null : bad / (double)(good + bad));
    }

    /// <summary>A model's performance on one window's matured labels (the window ended by <paramref name="asOf"/>); null when none has matured.</summary>
    public static ModelPerformance? PerformanceOf(string modelVersion, string window, IReadOnlyList<ScoredOutcome> loans, DateOnly asOf)
    {
        var matured = loans.Where(l => l.ProbabilityOfDefault is not null && l.Outcome.MaturedLabel(window, asOf) is not null).ToList();
        if (matured.Count == 0)
        {
            return null;
        }

        double[] pd = matured.Select(l => l.ProbabilityOfDefault!.Value).ToArray();
        bool[] isBad = matured.Select(l => l.Outcome.LabelOf(window) == Label.Bad).ToArray();
        int bads = isBad.Count(b => b);
        bool both = bads > 0 && bads < matured.Count;
        return new ModelPerformance(modelVersion, window, matured.Count, bads,
            both ? BinaryMetrics.AreaUnderCurve(pd, isBad) : null,
            both ? BinaryMetrics.Roc(pd, isBad).Max(p => p.TruePositiveRate - p.FalsePositiveRate) : null,
            pd.Average(), bads / (double)matured.Count, Calibration(pd, isBad));
    }

    /// <summary>Loans ranked by predicted probability and cut into up to ten bins of (near) equal size.</summary>
    public static IReadOnlyList<CalibrationBin> Calibration(IReadOnlyList<double> pd, IReadOnlyList<bool> bad)
    {
        int[] order = Enumerable.Range(0, pd.Count).OrderBy(i => pd[i]).ToArray();
        int bins = Math.Min(10, order.Length);
        var result = new List<CalibrationBin>(bins);
        for (int b = 0; b < bins; b++)
        {
            int from = (int)((long)b * order.Length / bins), to = (int)((long)(b + 1) * order.Length / bins);
            var rows = order[from..to];
            result.Add(new CalibrationBin(rows.Length, rows.Average(i => pd[i]), rows.Count(i => bad[i]) / (double)rows.Length));
        }

        return result;
    }
}
