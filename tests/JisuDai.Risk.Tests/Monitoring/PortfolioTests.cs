using JisuDai.Risk.Monitoring;
using JisuDai.Risk.Outcomes;

namespace JisuDai.Risk.Tests.Monitoring;

/// <summary>Vintage curves, roll rates, label summaries and model performance on a hand-built book.</summary>
public sealed class PortfolioTests
{
    static readonly DateOnly January = new(2026, 1, 10);
    static readonly DateOnly February = new(2026, 2, 10);

    static LoanOutcome Loan(string id, DateOnly disbursed, int monthsOnBook, int? first30AfterDays, int[] monthEnds, Label fpd = Label.Good, Label ever30In3 = Label.Good) =>
        new(id, "c", "a", "d-" + id, disbursed, disbursed.AddMonths(monthsOnBook), monthsOnBook, ever30In3, Label.Immature, Label.Immature, Label.Immature, fpd,
            monthEnds.DefaultIfEmpty().Max(), first30AfterDays is { } d ? disbursed.AddDays(d) : null, monthEnds);

    [Fact]
    public void A_vintage_curve_counts_each_months_loans_ever_30_days_past_due_by_each_month_on_book()
    {
        LoanOutcome[] book =
        [
            // January: four loans on book three months; one went 30+ on day 40 (month 2), one on day 75 (month 3).
            Loan("j1", January, 3, null, [0, 0, 0]),
            Loan("j2", January, 3, 40, [0, 40, 70]),
            Loan("j3", January, 3, 75, [15, 45, 75]),
            Loan("j4", January, 3, null, [0, 0, 0]),
            // February: two loans on book two months, one of them 30+ on day 31; and one disbursed late in the month, one month on book.
            Loan("f1", February, 2, 31, [0, 31]),
            Loan("f2", February, 2, null, [0, 0]),
            Loan("f3", February.AddDays(15), 1, null, [0]),
            // Repaid in its first month, so its labels are final and its record stops there: it still counts in every month since.
            Loan("j5", January, 0, null, []),
        ];

        var curves = PortfolioMetrics.VintagesOf(book, January.AddMonths(3));
        Assert.Equal(["2026-01", "2026-02"], curves.Select(c => c.Month));
        Assert.Equal([0, 0.2, 0.4], curves[0].Ever30);
        Assert.Equal([5, 5, 5], curves[0].Observed);
        // Month 1 of February: day 31 is not within a month of the 10th of February (28 days), so 0 of 3; month 2: 1 of 2.
        Assert.Equal([0, 0.5], curves[1].Ever30);
        Assert.Equal([3, 2], curves[1].Observed);
        Assert.Equal(3, curves[1].Loans);
    }

    [Fact]
    public void Roll_rates_count_moves_between_buckets_from_one_month_end_to_the_next_starting_current()
    {
        RollRates rolls = PortfolioMetrics.RollRatesOf([
            Loan("a", January, 3, null, [0, 0, 0]),     // current → current three times
            Loan("b", January, 3, 40, [10, 40, 70]),    // current → 1-29 → 30-59 → 60-89
            Loan("c", January, 3, 50, [20, 50, 0]),     // current → 1-29 → 30-59 → current (cured)
        ]);

        Assert.Equal(["current", "1-29", "30-59", "60-89", "90+"], rolls.Buckets);
        Assert.Equal([3L, 2, 0, 0, 0], rolls.Counts[0]);
        Assert.Equal([0L, 0, 2, 0, 0], rolls.Counts[1]);
        Assert.Equal([1L, 0, 0, 1, 0], rolls.Counts[2]);
        Assert.Equal([0.6, 0.4, 0, 0, 0], rolls.Rates[0]);
        Assert.Equal([0.5, 0, 0, 0.5, 0], rolls.Rates[2]);
        Assert.All(rolls.Rates[4], r => Assert.Null(r));
    }

    [Fact]
    public void Performance_on_matured_labels_gives_the_AUC_and_KS_of_a_known_ranking_and_leaves_immature_loans_out()
    {
        // Bads all riskier than goods: AUC 1 and KS 1. An immature loan with the lowest probability would spoil that if counted.
        var loans = new List<ScoredOutcome>
        {
            new(Loan("g1", January, 3, null, [0, 0, 0]), 0.05, "m1"),
            new(Loan("g2", January, 3, null, [0, 0, 0]), 0.10, "m1"),
            new(Loan("b1", January, 3, 31, [0, 31, 61], Label.Bad, Label.Bad), 0.40, "m1"),
            new(Loan("b2", January, 3, 31, [0, 31, 61], Label.Bad, Label.Bad), 0.50, "m1"),
            new(Loan("young", February, 0, null, [], Label.Immature, Label.Immature) with { Ever30In3 = Label.Bad }, 0.01, "m1"),
        };
        // Three months and five days after January's loans went out: their fpd and ever30in3 windows have ended, February's ever30in3 has not.
        DateOnly asOf = January.AddMonths(3).AddDays(5);
        ModelPerformance perfect = PortfolioMetrics.PerformanceOf("m1", OutcomeWindows.FirstPaymentDefault, loans, asOf)!;
        Assert.Equal((4, 2, 1.0, 1.0), (perfect.Loans, perfect.Bad, perfect.Auc, perfect.Ks));
        Assert.Equal(0.2625, perfect.MeanPredicted, 12);
        Assert.Equal(0.5, perfect.Observed);

        // The same loans ranked backwards: AUC 0.
        var backwards = loans.Select(l => l with { ProbabilityOfDefault = 1 - l.ProbabilityOfDefault }).ToList();
        Assert.Equal(0.0, PortfolioMetrics.PerformanceOf("m1", OutcomeWindows.FirstPaymentDefault, backwards, asOf)!.Auc);

        // The young loan's ever30in3 is already Bad (a bad is final at once) but its window has not ended, so it is not
        // counted: counting it would count its bad and not the goods of its month, which are not known yet.
        ModelPerformance ever30 = PortfolioMetrics.PerformanceOf("m1", OutcomeWindows.Ever30In3, loans, asOf)!;
        Assert.Equal((4, 2, 1.0), (ever30.Loans, ever30.Bad, ever30.Auc));
        // Once it has ended, it counts: the only bad at p = 0.01, below both goods.
        Assert.Equal(4 / 6.0, PortfolioMetrics.PerformanceOf("m1", OutcomeWindows.Ever30In3, loans, February.AddMonths(3))!.Auc!.Value, 12);

        // Nothing matured: unavailable.
        Assert.Null(PortfolioMetrics.PerformanceOf("m1", OutcomeWindows.Ever90In12, loans, asOf));

        PortfolioMetrics book = PortfolioMetrics.Of(loans, asOf);
        LabelSummary fpd = book.Labels.Single(l => l.Window == OutcomeWindows.FirstPaymentDefault);
        Assert.Equal((4, 2, 1, 0.5), (fpd.Matured, fpd.Bad, fpd.Immature, fpd.BadRate));
        Assert.Null(book.Labels.Single(l => l.Window == OutcomeWindows.Ever90In12).BadRate);
    }

    [Fact]
    public void Calibration_bins_rank_by_predicted_probability_and_compare_the_mean_with_what_happened()
    {
        double[] pd = [0.9, 0.1, 0.2, 0.8];
        bool[] bad = [true, false, false, false];
        var bins = PortfolioMetrics.Calibration(pd, bad);
        Assert.Equal(4, bins.Count);
        Assert.Equal([0.1, 0.2, 0.8, 0.9], bins.Select(b => b.MeanPredicted));
        Assert.Equal([0.0, 0, 0, 1], bins.Select(b => b.Observed));
    }
}
