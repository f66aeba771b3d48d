using JisuDai.Risk.Binning;
using JisuDai.Risk.Data;
using JisuDai.Risk.Metrics;

namespace JisuDai.Risk.Tests;

/// <summary>Binning and the separation metrics training reports.</summary>
public sealed class BinningTests
{
    [Fact]
    public void A_risk_that_falls_with_the_value_gets_monotonic_bins_and_missing_values_their_own_bin()
    {
        // Bad rate falls from about 60% to about 10% as income rises, with noise; every 25th income is missing.
        var random = new Random(7);
        int n = 2000;
        var income = new double[n];
        var bad = new bool[n];
        for (int i = 0; i < n; i++)
        {
            income[i] = i % 25 == 0 ? double.NaN : random.Next(1000, 20000);
            double p = i % 25 == 0 ? 0.5 : 0.6 - 0.5 * (income[i] - 1000) / 19000;
            bad[i] = random.NextDouble() < p;
        }

        FeatureBinning binning = Binner.Fit(new FeatureColumn("income", FeatureKind.Numeric, income, null), bad);

        Assert.True(binning.Monotonic);
        var valueBins = binning.Bins.Where(b => !b.Missing).ToList();
        Assert.InRange(valueBins.Count, 3, 10);
        for (int i = 1; i < valueBins.Count; i++)
        {
            Assert.True(valueBins[i].Woe > valueBins[i - 1].Woe, $"WoE should rise with income: {valueBins[i - 1].Label} {valueBins[i - 1].Woe} then {valueBins[i].Label} {valueBins[i].Woe}");
        }

        Assert.Equal(n / 25, binning.Bins.Single(b => b.Missing).Goods + binning.Bins.Single(b => b.Missing).Bads);
        Assert.Equal(binning.Bins.Count - 1, binning.BinOf(double.NaN));
        Assert.Equal(0, binning.BinOf(-1e9));
        Assert.Equal(valueBins.Count - 1, binning.BinOf(1e9));
        Assert.True(binning.InformationValue > 0.1);
    }

    [Fact]
    public void Rare_categories_share_an_other_bin_that_also_takes_unseen_ones_and_without_it_an_unseen_one_is_neutral()
    {
        string?[] housing = [.. Enumerable.Repeat("own", 500), .. Enumerable.Repeat("rent", 480), .. Enumerable.Repeat("boat", 10), .. Enumerable.Repeat("castle", 10)];
        bool[] bad = housing.Select((h, i) => h == "rent" ? i % 2 == 0 : i % 5 == 0).ToArray();

        FeatureBinning binning = Binner.Fit(new FeatureColumn("housing", FeatureKind.Categorical, null, housing), bad);

        Bin other = binning.Bins.Single(b => b.Other);
        Assert.Equal(["boat", "castle"], other.Categories!);
        Assert.Equal(binning.Bins.ToList().IndexOf(other), binning.BinOf("igloo"));
        Assert.True(binning.Bins.Single(b => b.Label == "'own'").Woe > 0);
        Assert.True(binning.Bins.Single(b => b.Label == "'rent'").Woe < 0);

        FeatureBinning common = Binner.Fit(new FeatureColumn("housing", FeatureKind.Categorical, null, housing[..980]), bad[..980]);
        Assert.Equal(-1, common.BinOf("igloo"));
        Assert.Equal(0, common.WoeOf(common.BinOf("igloo")));
        Assert.Equal(-1, common.BinOf((string?)null));
    }

    [Fact]
    public void AUC_KS_and_Brier_match_hand_computed_values()
    {
        double[] pd = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
        bool[] bad = [true, true, false, true, false, false];

        BinaryMetrics m = BinaryMetrics.Of(pd, bad);

        // Of the 9 bad–good pairs, 8 have the bad scored riskier.
        Assert.Equal(8.0 / 9, m.Auc, 12);
        Assert.Equal(2 * 8.0 / 9 - 1, m.Gini, 12);
        // Best cut after the 2nd row: 2/3 of bads against 0 goods; after the 4th: 3/3 against 1/3.
        Assert.Equal(2.0 / 3, m.Ks, 12);
        Assert.Equal((0.01 + 0.04 + 0.49 + 0.16 + 0.25 + 0.16) / 6, m.Brier, 12);
        Assert.Equal(0.5, BinaryMetrics.AreaUnderCurve([0.3, 0.3, 0.3, 0.3], [true, false, true, false]));
        Assert.Equal(0.0, BinaryMetrics.AreaUnderCurve([0.1, 0.9], [true, false]));
    }
}
