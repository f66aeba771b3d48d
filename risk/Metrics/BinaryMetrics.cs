namespace JisuDai.Risk.Metrics;

/// <summary>A point on the ROC curve: false-positive rate (goods flagged) against true-positive rate (bads caught).</summary>
public readonly record struct RocPoint(double FalsePositiveRate, double TruePositiveRate);

/// <summary>How well probabilities of default separate bads from goods.</summary>
/// <param name="Auc">Area under the ROC curve: the chance a random bad scores riskier than a random good.</param>
/// <param name="Ks">Kolmogorov–Smirnov: the widest gap between the cumulative shares of bads and goods.</param>
/// <param name="Gini">2 × AUC − 1.</param>
/// <param name="Brier">Mean squared error of the probability against the outcome (lower is better calibrated).</param>
public readonly record struct BinaryMetrics(double Auc, double Ks, double Gini, double Brier)
{
    /// <summary>Measures <paramref name="probabilityOfDefault"/> against the outcomes <paramref name="bad"/>.</summary>
    public static BinaryMetrics Of(IReadOnlyList<double> probabilityOfDefault, IReadOnlyList<bool> bad)
    {
        double auc = AreaUnderCurve(probabilityOfDefault, bad);
        double brier = 0;
        for (int i = 0; i < bad.Count; i++)
        {
            double e = probabilityOfDefault[i] - (bad[i] ? 1 : 0);
            brier += e * e;
        }

        double ks = Roc(probabilityOfDefault, bad).Max(p => p.TruePositiveRate - p.FalsePositiveRate);
        return new BinaryMetrics(auc, ks, 2 * auc - 1, brier / bad.Count);
    }

    /// <summary>AUC by ranks (Mann–Whitney U), ties counted as half.</summary>
    public static double AreaUnderCurve(IReadOnlyList<double> probabilityOfDefault, IReadOnlyList<bool> bad)
    {
        int[] order = Enumerable.Range(0, bad.Count).OrderBy(i => probabilityOfDefault[i]).ToArray();
        double rankSumBad = 0;
        long bads = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && probabilityOfDefault[order[j + 1]] == probabilityOfDefault[order[i]])
            {
                j++;
            }

            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++)
            {
                if (bad[order[k]])
                {
                    rankSumBad += averageRank;
                    bads++;
                }
            }

            i = j + 1;
        }

        long goods = order.Length - bads;
        if (bads == 0 || goods == 0)
        {
            return double.NaN;
        }

        return (rankSumBad - bads * (bads + 1) / 2.0) / (bads * (double)goods);
    }

    /// <summary>The ROC curve from the riskiest threshold down, one point per distinct probability, starting at (0, 0).</summary>
    public static IReadOnlyList<RocPoint> Roc(IReadOnlyList<double> probabilityOfDefault, IReadOnlyList<bool> bad)
    {
        int[] order = Enumerable.Range(0, bad.Count).OrderByDescending(i => probabilityOfDefault[i]).ToArray();
        int bads = bad.Count(b => b), goods = bad.Count - bads;
        var points = new List<RocPoint> { new(0, 0) };
        int tp = 0, fp = 0;
        for (int i = 0; i < order.Length; i++)
        {
            if (bad[order[i]])
            {
                tp++;
            }
            else
            {
                fp++;
            }

            if (i + 1 == order.Length || probabilityOfDefault[order[i + 1]] != probabilityOfDefault[order[i]])
            {
                points.Add(new RocPoint(goods == 0 ? 0 : fp / (double)goods, bads == 0 ? 0 : tp / (double)bads));
            }
        }

        return points;
    }
}
