using JisuDai.Risk.Models;
using JisuDai.Risk.Scorecards;
using JisuDai.Risk.Trees;
namespace JisuDai.Risk.Training;

/// <summary>A metric's mean and standard deviation across the cross-validation folds.</summary>
public sealed record MetricSummary(double Mean, double Std)
{
    /// <summary>Summarises one value per fold (population standard deviation, as scikit-learn reports it).</summary>
    public static MetricSummary Of(IReadOnlyList<double> perFold)
    {
        double mean = perFold.Average();
        return new MetricSummary(mean, Math.Sqrt(perFold.Average(v => (v - mean) * (v - mean))));
    }
}

/// <summary>One candidate's cross-validated results.</summary>
/// <param name="Name">The candidate (a <see cref="Models.ModelKinds"/> name).</param>
/// <param name="Auc">Area under the ROC curve.</param>
/// <param name="Ks">Kolmogorov–Smirnov statistic.</param>
/// <param name="Gini">Gini coefficient.</param>
/// <param name="Brier">Brier score.</param>
/// <param name="Parameters">The hyper-parameters chosen, where the candidate has any.</param>
public sealed record CandidateReport(string Name, MetricSummary Auc, MetricSummary Ks, MetricSummary Gini, MetricSummary Brier, string? Parameters);

/// <summary>A feature's information value in the final fit and whether the scorecard uses it.</summary>
public sealed record FeatureReport(string Name, double Iv, bool Selected);

/// <summary>
/// What training found: the champion, every candidate, every feature, the warnings raised on the data, the
/// distributions monitoring compares live traffic with (null in bundles trained before baselines were kept), and the
/// candidates' nested cross-validated figures when training was asked for them (absent otherwise, so bundles trained
/// without them keep their bytes and versions).
/// </summary>
public sealed record TrainingReport(
    string Champion,
    IReadOnlyList<CandidateReport> Candidates,
    IReadOnlyList<FeatureReport> Features,
    int Rows,
    double BadRate,
    int Folds,
    int Seed,
    string DataHash,
    IReadOnlyList<string> Warnings,
    Monitoring.MonitoringBaseline? Baseline = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] NestedEstimate? Nested = null);

/// <summary>Out-of-fold probabilities of default of one candidate, for curves and distributions.</summary>
public sealed record OutOfFold(string Name, double[] ProbabilityOfDefault);

/// <summary>Training's outputs: the refit model, the report and the out-of-fold predictions behind it.</summary>
public sealed record TrainingResult(Models.CreditModel Model, TrainingReport Report, IReadOnlyList<OutOfFold> OutOfFold, bool[] Bad);

/// <summary>How far training has got.</summary>
/// <param name="Stage">What it is doing.</param>
/// <param name="Done">Steps done.</param>
/// <param name="Total">Steps in all.</param>
public sealed record TrainingProgress(string Stage, int Done, int Total);

/// <summary>How to train.</summary>
/// <param name="Folds">Cross-validation folds (ignored when the data names its folds).</param>
/// <param name="Seed">The seed for folds and models.</param>
/// <param name="Scaling">How probabilities become points; null for 600 at 50:1, PDO 20.</param>
/// <param name="TreeGrid">The tree hyper-parameters to search; null for <see cref="Trees.TreeParameters.Grid"/>.</param>
/// <param name="Parallelism">Fits run at once; null for one per core. It changes how fast, never what comes out.</param>
/// <param name="NestedFolds">Inner folds for a nested cross-validation of the candidates (<see cref="NestedCrossValidation"/>); null for none.</param>
public sealed record TrainingOptions(int Folds = 5, int Seed = 42, Scorecards.PointsScaling? Scaling = null, IReadOnlyList<Trees.TreeParameters>? TreeGrid = null, int? Parallelism = null,
    int? NestedFolds = null);
