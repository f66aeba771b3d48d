using JisuDai.Risk.Monitoring;

namespace JisuDai.App.Monitoring;

/// <summary>Where monitoring keeps what it measured: each day's decision metrics and each day's view of the book.</summary>
public interface IRiskMetrics
{
    /// <summary>Saves (again, replacing) a day's decision metrics: one per model and rule-set version, none on a day without decisions.</summary>
    Task SaveDayAsync(DateOnly day, IReadOnlyList<DailyRiskMetrics> metrics, CancellationToken cancellationToken);

    /// <summary>The decision metrics of the days from <paramref name="from"/> through <paramref name="to"/> that were measured, by day.</summary>
    Task<IReadOnlyList<DailyRiskMetrics>> DaysAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken);

    /// <summary>The last day measured, or null before the first run.</summary>
    Task<DateOnly?> LastDayAsync(CancellationToken cancellationToken);

    /// <summary>Saves (again, replacing) the book as of its day.</summary>
    Task SavePortfolioAsync(PortfolioMetrics portfolio, CancellationToken cancellationToken);

    /// <summary>Saves (replacing) the latest comparison of a model's champion and challenger, as the model's latest and as its challenger version's.</summary>
    Task SaveComparisonAsync(ChallengerComparison comparison, CancellationToken cancellationToken);

    /// <summary>The last comparison made of <paramref name="version"/> while it was <paramref name="modelName"/>'s challenger, or null if it never was.</summary>
    Task<ChallengerComparison?> ComparisonOfAsync(string modelName, string version, CancellationToken cancellationToken);

    /// <summary>The latest comparison of <paramref name="modelName"/>'s champion and challenger, or null if none was made.</summary>
    Task<ChallengerComparison?> ComparisonAsync(string modelName, CancellationToken cancellationToken);

    /// <summary>Saves (replacing) the latest comparison of a rule set in force and its challenger.</summary>
    Task SaveRuleSetComparisonAsync(RuleSetComparison comparison, CancellationToken cancellationToken);

    /// <summary>The latest comparison of rule set <paramref name="name"/> and its challenger, or null if none was made.</summary>
    Task<RuleSetComparison?> RuleSetComparisonAsync(string name, CancellationToken cancellationToken);

    /// <summary>The book as of the latest day measured on or before <paramref name="asOf"/> (null: the latest of all), or null if none.</summary>
    Task<PortfolioMetrics?> PortfolioAsync(DateOnly? asOf, CancellationToken cancellationToken);
}
