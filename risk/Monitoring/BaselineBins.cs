using JisuDai.Risk.Data;

namespace JisuDai.Risk.Monitoring;

/// <summary>
/// A variable's bins as fixed at training, and the share of training rows in each: the baseline that stability indices
/// compare live traffic against. A numeric variable has one bin below each edge, one from the last edge up, and one
/// for missing values; a categorical variable has one bin per category training saw, one for any other value and one
/// for missing values.
/// </summary>
/// <param name="Name">The model input's name, or <see cref="MonitoringBaseline.ScoreName"/>.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Edges">Numeric: ascending bin edges (a value below edge i, and not below edge i − 1, is in bin i).</param>
/// <param name="Categories">Categorical: the categories training saw, in order of their bins.</param>
/// <param name="Shares">The share of training rows in each bin, summing to 1.</param>
public sealed record BaselineBins(string Name, FeatureKind Kind, IReadOnlyList<double>? Edges, IReadOnlyList<string>? Categories, IReadOnlyList<double> Shares)
{
    /// <summary>The most bins a numeric variable gets from quantiles (deciles).</summary>
    public const int QuantileBins = 10;

    /// <summary>The most categories kept; rarer ones share the "other" bin.</summary>
    public const int MaxCategories = 30;

    /// <summary>How many bins there are, the missing (and other) bins included.</summary>
    public int Count => Shares.Count;

    /// <summary>The bin of a number (NaN is missing).</summary>
    public int BinOf(double value)
    {
        IReadOnlyList<double> edges = Edges ?? throw new InvalidOperationException($"{Name} is categorical.");
        if (double.IsNaN(value))
        {
            return edges.Count + 1;
        }

        // Binary search for the first edge above the value: its index is the bin.
        int lo = 0, hi = edges.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (value < edges[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    /// <summary>The bin of a category (null is missing; one training never saw is "other").</summary>
    public int BinOf(string? category)
    {
        IReadOnlyList<string> categories = Categories ?? throw new InvalidOperationException($"{Name} is numeric.");
        if (category is null)
        {
            return categories.Count + 1;
        }

        for (int i = 0; i < categories.Count; i++)
        {
            if (string.Equals(categories[i], category, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return categories.Count;
    }

    /// <summary>Counts in these bins added up over several days or segments (a missing or shorter list adds nothing where it has nothing).</summary>
    public long[] Sum(IEnumerable<IReadOnlyList<long>?> counts)
    {
        var total = new long[Count];
        foreach (IReadOnlyList<long>? day in counts)
        {
            for (int i = 0; day is not null && i < total.Length && i < day.Count; i++)
            {
                total[i] += day[i];
            }
        }

        return total;
    }

    /// <summary>Deciles of <paramref name="values"/> (fewer bins where values repeat) and the shares in them.</summary>
    public static BaselineBins Numeric(string name, IReadOnlyList<double> values)
    {
        double[] present = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        var edges = new List<double>();
        for (int q = 1; q < QuantileBins && present.Length > 0; q++)
        {
            double edge = present[(int)((long)q * present.Length / QuantileBins)];
            // An edge at the minimum would leave its lower bin empty; a repeated edge adds an empty bin.
            if (edge > present[0] && (edges.Count == 0 || edge > edges[^1]))
            {
                edges.Add(edge);
            }
        }

        var bins = new BaselineBins(name, FeatureKind.Numeric, edges, null, new double[edges.Count + 2]);
        return bins with { Shares = SharesOf(bins.Count, values.Select(bins.BinOf)) };
    }

    /// <summary>The categories of <paramref name="values"/> (the most frequent first, up to <see cref="MaxCategories"/>) and the shares in them.</summary>
    public static BaselineBins Categorical(string name, IReadOnlyList<string?> values)
    {
        var categories = values.Where(v => v is not null).GroupBy(v => v!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(MaxCategories).Select(g => g.Key).ToList();
        var bins = new BaselineBins(name, FeatureKind.Categorical, null, categories, new double[categories.Count + 2]);
        return bins with { Shares = SharesOf(bins.Count, values.Select(bins.BinOf)) };
    }

    static double[] SharesOf(int count, IEnumerable<int> bins)
    {
        var counts = new double[count];
        int total = 0;
        foreach (int bin in bins)
        {
            counts[bin]++;
            total++;
        }

        for (int i = 0; i < count && total > 0; i++)
        {
            counts[i] /= total;
        }

        return counts;
    }
}

/// <summary>
/// What monitoring compares a model's live traffic with: the bins and shares of its score and of each input, on the
/// rows it was trained on. Saved in the model bundle's training report; a bundle trained before baselines were kept
/// has none, and its stability indices read "unavailable".
/// </summary>
/// <param name="Score">The score points' bins.</param>
/// <param name="Inputs">Each model input's bins, in the model's input order.</param>
/// <param name="Rows">The training rows the shares come from.</param>
public sealed record MonitoringBaseline(BaselineBins Score, IReadOnlyList<BaselineBins> Inputs, int Rows)
{
    /// <summary>The name the score's bins go by.</summary>
    public const string ScoreName = "score";

    /// <summary>
    /// The baseline of the same model recalibrated by <paramref name="calibration"/> on <paramref name="scaling"/>: a
    /// recalibration moves every score one way (the slope is positive), so each score edge moves to where its training
    /// rows now score and the shares stay as they were. Inputs are unchanged.
    /// </summary>
    public MonitoringBaseline Recalibrated(Models.Calibration calibration, Scorecards.PointsScaling scaling) => this with
    {
        Score = Score with
        {
            Edges = Score.Edges!.Select(e => Math.Round(scaling.ScoreOf(calibration.Apply(scaling.ProbabilityOf(e))), MidpointRounding.AwayFromZero)).ToList(),
        },
    };

    /// <summary>
    /// The baseline of live traffic: <paramref name="rows"/> (the inputs of <paramref name="inputs"/>, as decisions
    /// recorded them) scored as <paramref name="scores"/>. A model trained on booked loans only measures against the
    /// applications it will see, declined ones included, this way.
    /// </summary>
    public static MonitoringBaseline OfTraffic(IReadOnlyList<Models.ModelInput> inputs, IReadOnlyList<Scoring.FeatureVector> rows, IReadOnlyList<int> scores) => new(
        BaselineBins.Numeric(ScoreName, scores.Select(s => (double)s).ToList()),
        inputs.Select((input, i) => input.Kind == FeatureKind.Numeric
            ? BaselineBins.Numeric(input.Name, rows.Select(r => r.Numbers[i]).ToList())
            : BaselineBins.Categorical(input.Name, rows.Select(r => r.Categories[i]).ToList())).ToList(),
        rows.Count);

    /// <summary>The baseline of <paramref name="data"/> scored as <paramref name="scores"/> (one per row).</summary>
    public static MonitoringBaseline Of(CreditDataset data, IReadOnlyList<int> scores) => new(
        BaselineBins.Numeric(ScoreName, scores.Select(s => (double)s).ToList()),
        data.Features.Select(f => f.Kind == FeatureKind.Numeric ? BaselineBins.Numeric(f.Name, f.Numbers!) : BaselineBins.Categorical(f.Name, f.Categories!)).ToList(),
        data.Count);
}
