using JisuDai.Risk.Metrics;

namespace JisuDai.Risk.Tests.Metrics;

/// <summary>DeLong's AUC variance, the paired comparison and the two-proportion test on cases worked out by hand.</summary>
public sealed class IntervalTests
{
    // Bads at 0.9, 0.8, 0.4; goods at 0.7, 0.3, 0.2, 0.1. V10 = [1, 1, 3/4], V01 = [2/3, 1, 1, 1]: AUC 11/12,
    // var(V10) = 1/48, var(V01) = 1/36, so var(AUC) = 1/48/3 + 1/36/4 = 1/72.
    static readonly double[] Pd = [0.9, 0.8, 0.4, 0.7, 0.3, 0.2, 0.1];
    static readonly bool[] Bad = [true, true, true, false, false, false, false];

    [Fact]
    public void The_AUC_of_a_known_ranking_has_DeLongs_variance()
    {
        Interval auc = DeLong.Auc(Pd, Bad)!.Value;
        Assert.Equal(11 / 12.0, auc.Value, 12);
        Assert.Equal(BinaryMetrics.AreaUnderCurve(Pd, Bad), auc.Value, 12);
        double se = Math.Sqrt(1 / 72.0);
        Assert.Equal(11 / 12.0 - Interval.Z95 * se, auc.Lower, 9);
        Assert.Equal(1.0, auc.Upper); // 11/12 + 1.96 · 0.118 passes 1: kept at 1

        // Ties count a half: every case at one probability is an AUC of exactly 0.5.
        Assert.Equal(0.5, DeLong.Auc([0.2, 0.2, 0.2, 0.2], [true, false, true, false])!.Value.Value, 12);
        Assert.Null(DeLong.Auc([0.1, 0.2], [false, false]));
    }

    [Fact]
    public void A_model_compared_with_itself_differs_by_nothing_and_a_better_ranking_wins_with_a_small_p()
    {
        PairedAuc same = DeLong.Compare(Pd, Pd, Bad)!;
        Assert.Equal((0.0, 0.0, 0.0, 1.0), (same.Difference.Value, same.Difference.Lower, same.Difference.Upper, same.PValue));

        // On 2,000 cases, A is the truth plus much noise and B the truth plus little: B's AUC is higher, and significantly.
        var random = new Random(7);
        int n = 2000;
        var truth = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        bool[] bad = truth.Select(t => random.NextDouble() < t).ToArray();
        double[] a = truth.Select(t => t + 2 * (random.NextDouble() - 0.5)).ToArray();
        double[] b = truth.Select(t => t + 0.2 * (random.NextDouble() - 0.5)).ToArray();
        PairedAuc compared = DeLong.Compare(a, b, bad)!;
        Assert.Equal(BinaryMetrics.AreaUnderCurve(a, bad), compared.A.Value, 12);
        Assert.Equal(BinaryMetrics.AreaUnderCurve(b, bad), compared.B.Value, 12);
        Assert.True(compared.Difference.Lower > 0, $"{compared}");
        Assert.True(compared.PValue < 0.001, $"{compared}");
        Assert.True(compared.A.Upper - compared.A.Lower is > 0.02 and < 0.1, $"{compared.A}");
    }

    [Fact]
    public void The_two_proportion_test_of_30_in_100_against_45_in_100()
    {
        // Pooled 0.375; standard error √(0.375 · 0.625 · 0.02) = 0.068465; z = 0.15 / 0.068465 = 2.1909; p = 0.0285.
        TwoProportionTest test = TwoProportionTest.Of(30, 100, 45, 100)!;
        Assert.Equal((0.30, 0.45), (test.RateA, test.RateB));
        Assert.Equal(0.15 / Math.Sqrt(0.375 * 0.625 * 0.02), test.Z, 9);
        Assert.Equal(0.02846, test.PValue, 4);
        Assert.Null(TwoProportionTest.Of(1, 0, 2, 10));
        Assert.Equal(0.5, Normal.Cdf(0), 7);
        Assert.Equal(0.975, Normal.Cdf(Interval.Z95), 6);
    }
}
