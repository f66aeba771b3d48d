using JisuDai.Risk.Binning;
using JisuDai.Risk.Data;
using JisuDai.Risk.Models;
using JisuDai.Risk.Scorecards;
using JisuDai.Risk.Scoring;
using JisuDai.Risk.Trees;

namespace JisuDai.Risk.Tests;

/// <summary>Scoring with a bundle: mapping application fields, reason codes and the bundle's round trip.</summary>
[Collection(DefaultModelCollection.Name)]
public sealed class ScoringTests(DefaultModelFixture fixture)
{
    CreditScorer Scorer => new(fixture.Bundle);

    static readonly Dictionary<string, string?> Applicant = new()
    {
        ["termMonths"] = "36", ["amount"] = "9000", ["age"] = "23", ["housing"] = "rent", ["purpose"] = "new-car",
        ["employmentYears"] = "0.5", ["checkingBalance"] = "-20", ["savingsBalance"] = "50", ["creditHistory"] = "current",
        ["otherParties"] = "none", ["property"] = "none", ["otherInstallmentPlans"] = "bank", ["installmentToIncomePercent"] = "40",
        ["existingLoans"] = "1", ["job"] = "skilled", ["dependents"] = "1", ["yearsAtAddress"] = "2", ["hasRegisteredPhone"] = "false",
    };

    [Fact]
    public void Application_fields_map_through_values_and_bands_onto_the_model_inputs()
    {
        CreditScorer scorer = Scorer;
        FeatureVector v = scorer.Features.Map(Applicant).Value!;
        string? Category(string input) => v.Categories[Index(scorer, input)];

        Assert.Equal("<1", Category("employment"));
        Assert.Equal("<0", Category("checking_status"));
        Assert.Equal("<100", Category("savings_status"));
        Assert.Equal("new car", Category("purpose"));
        Assert.Equal("none", Category("own_telephone"));
        Assert.Equal(4, v.Numbers[Index(scorer, "installment_commitment")]);
        Assert.Equal(36, v.Numbers[Index(scorer, "duration")]);
    }

    [Fact]
    public void Wrong_fields_are_each_named_and_absent_ones_are_left_missing()
    {
        var outcome = Scorer.Features.Map(new Dictionary<string, string?>
        {
            ["termMonths"] = "three years", ["housing"] = "castle", ["salary"] = "1000", ["age"] = null,
        });

        Assert.False(outcome.Succeeded);
        Assert.Equal(["housing", "salary", "termMonths"], outcome.Errors.Select(e => e.Field).Order());
        Assert.Contains("must be one of rent, own, free", outcome.Errors.Single(e => e.Field == "housing").Message);
        Assert.Contains("must be a number", outcome.Errors.Single(e => e.Field == "termMonths").Message);

        CreditScorer scorer = Scorer;
        FeatureVector empty = scorer.Features.Map(new Dictionary<string, string?>()).Value!;
        Assert.All(scorer.Inputs.Select((input, i) => (input, i)), x =>
            Assert.True(x.input.Kind == FeatureKind.Numeric ? double.IsNaN(empty.Numbers[x.i]) : empty.Categories[x.i] is null));
        ScoreResult result = scorer.Score(empty);
        Assert.InRange(result.ProbabilityOfDefault, 0.01, 0.99);
    }

    [Fact]
    public void Reason_codes_are_the_biggest_point_shortfalls_and_fixing_one_raises_the_score()
    {
        CreditScorer scorer = ScorecardOnly();
        FeatureVector input = scorer.Features.Map(Applicant).Value!;
        ScoreResult result = scorer.Score(input);

        Assert.Equal(4, result.Reasons.Count);
        Assert.Equal(result.Reasons.OrderByDescending(r => r.PointsLost).Select(r => r.Code), result.Reasons.Select(r => r.Code));
        Assert.Contains("checking_status", result.Reasons.Select(r => r.Code));
        Assert.Equal("Current-account balance", result.Reasons.Single(r => r.Code == "checking_status").Text.En);
        Assert.Equal("活期账户余额", result.Reasons.Single(r => r.Code == "checking_status").Text.ZhCn);

        foreach (ReasonCode reason in result.Reasons)
        {
            FeatureVector better = WithBestBin(scorer, input, reason.Code);
            ScoreResult improved = scorer.Score(better);
            Assert.True(improved.Score > result.Score, $"moving {reason.Code} to its best bin should raise {result.Score}, got {improved.Score}");
            Assert.Equal(result.Score + reason.PointsLost, improved.Score, 1.0);
            Assert.DoesNotContain(reason.Code, improved.Reasons.Select(r => r.Code));
        }
    }

    [Fact]
    public void With_the_blended_champion_fixing_the_top_reason_raises_the_score_too()
    {
        CreditScorer scorer = Scorer;
        Assert.Equal(ModelKinds.Blend, fixture.Bundle.Report.Champion);
        int raised = 0, checkedRows = 0;
        for (int row = 0; row < fixture.Data.Count; row += 10)
        {
            FeatureVector input = Row(scorer, row);
            ScoreResult result = scorer.Score(input);
            if (result.Reasons.Count == 0)
            {
                continue;
            }

            checkedRows++;
            raised += scorer.Score(WithBestBin(scorer, input, result.Reasons[0].Code)).Score > result.Score ? 1 : 0;
        }

        // The scorecard half always moves with the reason; the tree half may, rarely, pull the other way.
        Assert.True(raised >= checkedRows * 0.95, $"{raised} of {checkedRows}");
    }

    [Fact]
    public void A_missing_value_with_no_bin_of_its_own_is_reported_as_not_provided()
    {
        CreditScorer scorer = ScorecardOnly();
        var applicant = new Dictionary<string, string?>(Applicant);
        applicant.Remove("checkingBalance");

        ScoreResult result = scorer.Score(scorer.Features.Map(applicant).Value!);

        ReasonCode checking = result.Reasons.Single(r => r.Code == "checking_status");
        Assert.Equal("Not provided: Current-account balance", checking.Text.En);
        Assert.Equal("未提供：活期账户余额", checking.Text.ZhCn);
    }

    [Fact]
    public void Score_points_and_band_follow_the_probability_on_the_600_at_50_to_1_PDO_20_scale()
    {
        CreditScorer scorer = Scorer;
        ScoreResult result = scorer.Score(scorer.Features.Map(Applicant).Value!);
        double odds = (1 - result.ProbabilityOfDefault) / result.ProbabilityOfDefault;

        Assert.Equal(600 + 20 / Math.Log(2) * Math.Log(odds / 50), result.Score, 0.5);
        Assert.Equal(ScoreResult.BandOf(result.ProbabilityOfDefault), result.Band);
        Assert.Equal(fixture.Bundle.Version, result.ModelVersion);
        Assert.Equal("A", ScoreResult.BandOf(0.01));
        Assert.Equal("E", ScoreResult.BandOf(0.5));
    }

    [Fact]
    public void A_bundle_read_back_from_its_files_scores_identically_and_a_changed_file_changes_the_version()
    {
        var files = fixture.Bundle.Files();
        ModelBundle loaded = ModelBundle.FromFiles(files);
        CreditScorer original = Scorer, reloaded = new(loaded);

        Assert.Equal(fixture.Bundle.Version, loaded.Version);
        for (int row = 0; row < 200; row++)
        {
            Assert.Equal(original.Score(Row(original, row)), reloaded.Score(Row(reloaded, row)), ScoreComparer.Instance);
        }

        var tampered = new Dictionary<string, byte[]>(files) { [ModelBundle.ReportFile] = [.. files[ModelBundle.ReportFile], (byte)' '] };
        Assert.NotEqual(fixture.Bundle.Version, ModelBundle.VersionOf(tampered));
        var noTrees = files.Where(f => f.Key != ModelBundle.TreesFile).ToDictionary();
        Assert.Contains("no trees.zip", Assert.Throws<InvalidDataException>(() => ModelBundle.FromFiles(noTrees)).Message);
    }

    [Fact]
    public void Scoring_from_many_threads_at_once_gives_the_same_answers_as_one_thread()
    {
        CreditScorer scorer = Scorer;
        var inputs = Enumerable.Range(0, fixture.Data.Count).Select(r => Row(scorer, r)).ToList();
        double[] serial = inputs.Select(i => scorer.Score(i).ProbabilityOfDefault).ToArray();

        var parallel = new double[inputs.Count];
        Parallel.For(0, inputs.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i % inputs.Count] = scorer.Score(inputs[i % inputs.Count]).ProbabilityOfDefault);

        Assert.Equal(serial, parallel);
        Assert.Equal(serial, scorer.ProbabilitiesOfDefault(inputs));
    }

    CreditScorer ScorecardOnly() => new(fixture.Bundle with
    {
        Model = fixture.Bundle.Model with { ScorecardWeight = 1, TreeModel = null, TreeLayout = null },
    });

    static int Index(CreditScorer scorer, string input) => scorer.Inputs.Select(i => i.Name).ToList().IndexOf(input);

    FeatureVector Row(CreditScorer scorer, int row) => FeatureVector.Of(fixture.Data, row, scorer.Inputs);

    static FeatureVector WithBestBin(CreditScorer scorer, FeatureVector input, string feature)
    {
        var sf = scorer.Bundle.Model.Scorecard.Features.Single(f => f.Binning.Feature == feature);
        int best = Enumerable.Range(0, sf.Points.Count).MaxBy(b => sf.Points[b]);
        Bin bin = sf.Binning.Bins[best];
        var copy = new FeatureVector(input.Numbers.Length);
        input.Numbers.CopyTo(copy.Numbers, 0);
        input.Categories.CopyTo(copy.Categories, 0);
        int index = Index(scorer, feature);
        if (bin.Missing)
        {
            copy.Numbers[index] = double.NaN;
            copy.Categories[index] = null;
        }
        else if (sf.Binning.Kind == FeatureKind.Categorical)
        {
            copy.Categories[index] = bin.Categories![0];
        }
        else
        {
            double? lower = best == 0 ? null : sf.Binning.Bins[best - 1].Upper;
            copy.Numbers[index] = (lower, bin.Upper) switch
            {
                (null, { } upper) => upper - 1,
                ({ } low, null) => low + 1,
                ({ } low, { } upper) => (low + upper) / 2,
                _ => 0,
            };
        }

        return copy;
    }

    sealed class ScoreComparer : IEqualityComparer<ScoreResult>
    {
        public static readonly ScoreComparer Instance = new();

        public bool Equals(ScoreResult? x, ScoreResult? y) =>
            x!.ProbabilityOfDefault == y!.ProbabilityOfDefault && x.Score == y.Score && x.Band == y.Band
            && x.Reasons.Select(r => (r.Code, r.PointsLost)).SequenceEqual(y.Reasons.Select(r => (r.Code, r.PointsLost)));

        public int GetHashCode(ScoreResult obj) => obj.Score;
    }
}
