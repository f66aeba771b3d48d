using System.Globalization;
using JisuDai.Risk.Data;

namespace JisuDai.Risk.Binning;

/// <summary>
/// Fits bins to a feature. Numeric features start from up to ten equal-frequency bins, each with at least 5% of the rows,
/// then adjacent bins are merged until the bad rate is monotonic, rising or falling, whichever keeps more information
/// value. Where forcing monotonicity would lose more than a fifth of the information value (a U-shaped risk, say) the
/// bins stay as they are, at most six, and are flagged non-monotonic. Missing values get their own bin. Categories
/// rarer than 2% of rows are pooled into an "other" bin, which also takes categories first seen after training.
/// </summary>
public static class Binner
{
    const int FineBins = 10;
    const double MinNumericShare = 0.05;
    const double MinCategoryShare = 0.02;
    const int MaxNonMonotonicBins = 6;
    const double MonotonicKeep = 0.8;

    /// <summary>Fits the bins of <paramref name="column"/> against the outcomes <paramref name="bad"/>.</summary>
    public static FeatureBinning Fit(FeatureColumn column, bool[] bad)
    {
        int totalGood = bad.Count(b => !b), totalBad = bad.Length - totalGood;
        var missing = new Counts();
        for (int r = 0; r < bad.Length; r++)
        {
            if (column.IsMissing(r))
            {
                missing.Add(bad[r]);
            }
        }

        return column.Kind == FeatureKind.Numeric
            ? FitNumeric(column.Numbers!, bad, missing, totalGood, totalBad, column.Name)
            : FitCategorical(column.Categories!, bad, missing, totalGood, totalBad, column.Name);
    }

    static FeatureBinning FitNumeric(double[] values, bool[] bad, Counts missing, int totalGood, int totalBad, string name)
    {
        var rows = Enumerable.Range(0, values.Length).Where(r => !double.IsNaN(values[r]))
            .OrderBy(r => values[r]).ThenBy(r => r).ToArray();
        int minCount = Math.Max(1, (int)Math.Ceiling(MinNumericShare * values.Length));
        int target = Math.Max(minCount, (int)Math.Ceiling(rows.Length / (double)FineBins));

        // Fine bins cut only where the value changes, so equal values never straddle a cut.
        var fine = new List<Segment>();
        var current = new Segment(double.NaN, double.NaN, new Counts());
        for (int i = 0; i < rows.Length; i++)
        {
            double v = values[rows[i]];
            if (current.Counts.Total >= target && v > current.Max)
            {
                fine.Add(current);
                current = new Segment(v, v, new Counts());
            }

            current = current with { Min = double.IsNaN(current.Min) ? v : current.Min, Max = v };
            current.Counts.Add(bad[rows[i]]);
        }

        if (current.Counts.Total > 0)
        {
            fine.Add(current);
        }

        // A small tail bin joins its neighbour.
        while (fine.Count > 1 && fine[^1].Counts.Total < minCount)
        {
            fine[^2] = Merge(fine[^2], fine[^1]);
            fine.RemoveAt(fine.Count - 1);
        }

        List<Segment> rising = MergeToMonotonic(fine, rising: true);
        List<Segment> falling = MergeToMonotonic(fine, rising: false);
        List<Segment> monotonic = Iv(rising, missing, totalGood, totalBad) >= Iv(falling, missing, totalGood, totalBad) ? rising : falling;
        List<Segment> capped = CapBins(fine, MaxNonMonotonicBins);
        bool keepMonotonic = monotonic.Count >= 2 && Iv(monotonic, missing, totalGood, totalBad) >= MonotonicKeep * Iv(capped, missing, totalGood, totalBad)
            || capped.Count <= 2;
        List<Segment> chosen = keepMonotonic ? monotonic : capped;

        var counts = chosen.Select(s => s.Counts).ToList();
        var labels = new List<string>();
        var uppers = new List<double?>();
        for (int i = 0; i < chosen.Count; i++)
        {
            double? upper = i == chosen.Count - 1 ? null : (chosen[i].Max + chosen[i + 1].Min) / 2;
            string lower = i == 0 ? "-inf" : Format(uppers[i - 1]!.Value);
            labels.Add($"[{lower}, {(upper is null ? "+inf" : Format(upper.Value))})");
            uppers.Add(upper);
        }

        var bins = Build(counts, missing, totalGood, totalBad, (i, c, w) => new Bin(labels[i], uppers[i], null, false, false, c.Good, c.Bad, w));
        return new FeatureBinning(name, FeatureKind.Numeric, bins, InformationValue(bins, totalGood, totalBad), keepMonotonic && chosen.Count > 1);
    }

    static FeatureBinning FitCategorical(string?[] values, bool[] bad, Counts missing, int totalGood, int totalBad, string name)
    {
        var byCategory = new SortedDictionary<string, Counts>(StringComparer.Ordinal);
        for (int r = 0; r < values.Length; r++)
        {
            if (values[r] is { } v)
            {
                if (!byCategory.TryGetValue(v, out Counts? c))
                {
                    byCategory[v] = c = new Counts();
                }

                c.Add(bad[r]);
            }
        }

        int minCount = Math.Max(1, (int)Math.Ceiling(MinCategoryShare * values.Length));
        var own = byCategory.Where(kv => kv.Value.Total >= minCount).ToList();
        var rare = byCategory.Where(kv => kv.Value.Total < minCount).ToList();
        var groups = own.Select(kv => (Categories: (IReadOnlyList<string>)[kv.Key], kv.Value, Other: false)).ToList();
        if (rare.Count > 0)
        {
            var pooled = new Counts();
            foreach (var kv in rare)
            {
                pooled.Good += kv.Value.Good;
                pooled.Bad += kv.Value.Bad;
            }

            groups.Add(([.. rare.Select(kv => kv.Key)], pooled, true));
        }

        var bins = Build(groups.Select(g => g.Value).ToList(), missing, totalGood, totalBad, (i, c, w) => new Bin(
            groups[i].Other ? "other: " + string.Join(", ", groups[i].Categories.Select(x => $"'{x}'")) : $"'{groups[i].Categories[0]}'",
            null, groups[i].Categories, false, groups[i].Other, c.Good, c.Bad, w));
        return new FeatureBinning(name, FeatureKind.Categorical, bins, InformationValue(bins, totalGood, totalBad), false);
    }

    /// <summary>Merges adjacent bins that break the direction until none does (pool-adjacent-violators).</summary>
    static List<Segment> MergeToMonotonic(List<Segment> fine, bool rising)
    {
        var bins = new List<Segment>(fine);
        for (int i = 0; i < bins.Count - 1;)
        {
            double a = bins[i].Counts.BadRate, b = bins[i + 1].Counts.BadRate;
            if (rising ? a > b : a < b)
            {
                bins[i] = Merge(bins[i], bins[i + 1]);
                bins.RemoveAt(i + 1);
                i = Math.Max(0, i - 1);
            }
            else
            {
                i++;
            }
        }

        return bins;
    }

    /// <summary>Merges the adjacent pair with the closest bad rates until at most <paramref name="max"/> bins remain.</summary>
    static List<Segment> CapBins(List<Segment> fine, int max)
    {
        var bins = new List<Segment>(fine);
        while (bins.Count > max)
        {
            int best = 0;
            for (int i = 1; i < bins.Count - 1; i++)
            {
                if (Math.Abs(bins[i].Counts.BadRate - bins[i + 1].Counts.BadRate) < Math.Abs(bins[best].Counts.BadRate - bins[best + 1].Counts.BadRate))
                {
                    best = i;
                }
            }

            bins[best] = Merge(bins[best], bins[best + 1]);
            bins.RemoveAt(best + 1);
        }

        return bins;
    }

    static List<Bin> Build(List<Counts> counts, Counts missing, int totalGood, int totalBad, Func<int, Counts, double, Bin> make)
    {
        int k = counts.Count + (missing.Total > 0 ? 1 : 0);
        var bins = counts.Select((c, i) => make(i, c, Woe(c, totalGood, totalBad, k))).ToList();
        if (missing.Total > 0)
        {
            bins.Add(new Bin("missing", null, null, true, false, missing.Good, missing.Bad, Woe(missing, totalGood, totalBad, k)));
        }

        return bins;
    }

    /// <summary>WoE with half a count added to each cell, so a bin with no bads (or no goods) stays finite.</summary>
    static double Woe(Counts c, int totalGood, int totalBad, int bins) =>
        Math.Log(GoodShare(c.Good, totalGood, bins) / BadShare(c.Bad, totalBad, bins));

    static double GoodShare(int good, int totalGood, int bins) => (good + 0.5) / (totalGood + 0.5 * bins);

    static double BadShare(int bad, int totalBad, int bins) => (bad + 0.5) / (totalBad + 0.5 * bins);

    static double InformationValue(IReadOnlyList<Bin> bins, int totalGood, int totalBad) =>
        bins.Sum(b => (GoodShare(b.Goods, totalGood, bins.Count) - BadShare(b.Bads, totalBad, bins.Count)) * b.Woe);

    static double Iv(List<Segment> segments, Counts missing, int totalGood, int totalBad) =>
        InformationValue(Build(segments.Select(s => s.Counts).ToList(), missing, totalGood, totalBad,
            (_, c, w) => new Bin("", null, null, false, false, c.Good, c.Bad, w)), totalGood, totalBad);

    static Segment Merge(Segment a, Segment b) =>
        new(a.Min, b.Max, new Counts { Good = a.Counts.Good + b.Counts.Good, Bad = a.Counts.Bad + b.Counts.Bad });

    static string Format(double v) => Math.Round(v, 4).ToString("G", CultureInfo.InvariantCulture);

    sealed record Segment(double Min, double Max, Counts Counts);

    sealed class Counts
    {
        public int Good;
        public int Bad;

        public int Total => Good + Bad;

        public double BadRate => Total == 0 ? 0 : Bad / (double)Total;

        public void Add(bool isBad)
        {
            if (isBad)
            {
                Bad++;
            }
            else
            {
                Good++;
            }
        }
    }
}
