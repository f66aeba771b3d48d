namespace JisuDai.Risk.Metrics;

/// <summary>An estimate with its two-sided 95% confidence interval.</summary>
/// <param name="Value">The estimate.</param>
/// <param name="Lower">The interval's lower end.</param>
/// <param name="Upper">The interval's upper end.</param>
public readonly record struct Interval(double Value, double Lower, double Upper)
{
    /// <summary>The normal quantile of a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>Value ± 1.96 standard errors, kept within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Interval Normal(double value, double standardError, double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        new(value, Math.Max(min, value - Z95 * standardError), Math.Min(max, value + Z95 * standardError));
}

/// <summary>Two models' AUCs on the same outcomes, each with its interval, and the interval of their difference (B − A).</summary>
public sealed record PairedAuc(Interval A, Interval B, Interval Difference, double PValue);

/// <summary>
/// DeLong's method for the variance of an AUC and of the difference of two AUCs measured on the same cases (DeLong,
/// DeLong and Clarke-Pearson, 1988), computed from ranks in O(n log n) (Sun and Xu, 2014). Ties count one half.
/// Probabilities are of default: higher means riskier, so a bad ranked above a good is a correct ordering.
/// </summary>
public static class DeLong
{
    /// <summary>The AUC of <paramref name="probabilityOfDefault"/> against <paramref name="bad"/>, with its 95% interval; null without both bads and goods.</summary>
    public static Interval? Auc(IReadOnlyList<double> probabilityOfDefault, IReadOnlyList<bool> bad)
    {
        if (Components(probabilityOfDefault, bad) is not var (v10, v01) || v10.Length < 2 || v01.Length < 2)
        {
            return null;
        }

        double auc = v10.Average();
        return Interval.Normal(auc, Math.Sqrt(Covariance(v10, v10) / v10.Length + Covariance(v01, v01) / v01.Length), 0, 1);
    }

    /// <summary>
    /// Model A's and model B's AUCs on the same cases, and B − A with its 95% interval and two-sided p-value; null
    /// without at least two bads and two goods.
    /// </summary>
    public static PairedAuc? Compare(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<bool> bad)
    {
        if (a.Count != b.Count || a.Count != bad.Count)
        {
            throw new ArgumentException("Both models must be scored on the same cases.");
        }

        if (Components(a, bad) is not var (a10, a01) || Components(b, bad) is not var (b10, b01) || a10.Length < 2 || a01.Length < 2)
        {
            return null;
        }

        int m = a10.Length, n = a01.Length;
        double aucA = a10.Average(), aucB = b10.Average();
        double varA = Covariance(a10, a10) / m + Covariance(a01, a01) / n;
        double varB = Covariance(b10, b10) / m + Covariance(b01, b01) / n;
        double cov = Covariance(a10, b10) / m + Covariance(a01, b01) / n;
        double seDiff = Math.Sqrt(Math.Max(0, varA + varB - 2 * cov));
        double diff = aucB - aucA;
        double p = seDiff == 0 ? (diff == 0 ? 1 : 0) : 2 * (1 - Normal.Cdf(Math.Abs(diff) / seDiff));
        return new PairedAuc(Interval.Normal(aucA, Math.Sqrt(varA), 0, 1), Interval.Normal(aucB, Math.Sqrt(varB), 0, 1), Interval.Normal(diff, seDiff, -1, 1), p);
    }

    /// <summary>
    /// The structural components: for each bad, the share of goods ranked below it (V10); for each good, the share of
    /// bads ranked above it (V01). Null without both.
    /// </summary>
    static (double[] V10, double[] V01)? Components(IReadOnlyList<double> score, IReadOnlyList<bool> bad)
    {
        var bads = new List<double>();
        var goods = new List<double>();
        for (int i = 0; i < score.Count; i++)
        {
            (bad[i] ? bads : goods).Add(score[i]);
        }

        if (bads.Count == 0 || goods.Count == 0)
        {
            return null;
        }

        double[] all = [.. bads, .. goods];
        double[] rankAll = MidRanks(all), rankBad = MidRanks([.. bads]), rankGood = MidRanks([.. goods]);
        int m = bads.Count, n = goods.Count;
        var v10 = new double[m];
        var v01 = new double[n];
        for (int i = 0; i < m; i++)
        {
            // Goods ranked below bad i: its rank among all, less its rank among the bads.
            v10[i] = (rankAll[i] - rankBad[i]) / n;
        }

        for (int j = 0; j < n; j++)
        {
            // Bads ranked above good j: all bads, less those at or below it.
            v01[j] = 1 - (rankAll[m + j] - rankGood[j]) / m;
        }

        return (v10, v01);
    }

    /// <summary>1-based ranks, ties given the mean of the ranks they span.</summary>
    static double[] MidRanks(double[] values)
    {
        int[] order = Enumerable.Range(0, values.Length).ToArray();
        Array.Sort(values.ToArray(), order);
        var ranks = new double[values.Length];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]])
            {
                j++;
            }

            double mid = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++)
            {
                ranks[order[k]] = mid;
            }

            i = j + 1;
        }

        return ranks;
    }

    /// <summary>Sample covariance (n − 1).</summary>
    static double Covariance(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += (x[i] - mx) * (y[i] - my);
        }

        return sum / (x.Length - 1);
    }
}

/// <summary>The standard normal distribution.</summary>
public static class Normal
{
    /// <summary>P(Z ≤ <paramref name="z"/>), to about 1e-7 (Abramowitz and Stegun 7.1.26 for the error function).</summary>
    public static double Cdf(double z)
    {
        double x = Math.Abs(z) / Math.Sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}

/// <summary>Whether two groups' bad rates differ: the pooled two-proportion z-test.</summary>
/// <param name="RateA">Group A's bad rate.</param>
/// <param name="RateB">Group B's bad rate.</param>
/// <param name="Z">(B − A) over its pooled standard error.</param>
/// <param name="PValue">Two-sided.</param>
public sealed record TwoProportionTest(double RateA, double RateB, double Z, double PValue)
{
    /// <summary>The test of <paramref name="badA"/> of <paramref name="countA"/> against <paramref name="badB"/> of <paramref name="countB"/>; null when either group is empty.</summary>
    public static TwoProportionTest? Of(long badA, long countA, long badB, long countB)
    {
        if (countA == 0 || countB == 0)
        {
            return null;
        }

        double a = badA / (double)countA, b = badB / (double)countB, pooled = (badA + badB) / (double)(countA + countB);
        double se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / countA + 1.0 / countB));
        double z = se == 0 ? 0 : (b - a) / se;
        return new TwoProportionTest(a, b, z, se == 0 ? 1 : 2 * (1 - Normal.Cdf(Math.Abs(z))));
    }
}
