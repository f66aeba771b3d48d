using System.Text.Json.Serialization;
using JisuDai.Risk.Data;
using JisuDai.Risk.Scorecards;
using JisuDai.Risk.Trees;

namespace JisuDai.Risk.Models;

/// <summary>The model kinds training compares.</summary>
public static class ModelKinds
{
    /// <summary>The WoE points scorecard.</summary>
    public const string Scorecard = "scorecard";

    /// <summary>Gradient-boosted trees.</summary>
    public const string BoostedTrees = "boosted-trees";

    /// <summary>A weighted average of the two probabilities.</summary>
    public const string Blend = "blend";
}

/// <summary>A model input: a feature's name and kind, as training saw it.</summary>
/// <param name="Name">The feature's name in the training data.</param>
/// <param name="Kind">Numeric or categorical.</param>
public sealed record ModelInput(string Name, FeatureKind Kind);

/// <summary>
/// A trained credit-risk model: the scorecard (always there; its points give the reason codes), the tree model when the
/// champion uses it, and the weight that blends the two probabilities (1 = scorecard only, 0 = trees only).
/// </summary>
/// <param name="Champion">Which candidate won: <see cref="ModelKinds"/>.</param>
/// <param name="Inputs">Every feature the data had, in data order.</param>
/// <param name="Scorecard">The points scorecard.</param>
/// <param name="TreeLayout">How features become the tree model's vector; null when the champion does not use trees.</param>
/// <param name="TreeModel">The ML.NET tree model's bytes; null when the champion does not use trees.</param>
/// <param name="TreeParameters">The tree hyper-parameters chosen; null without trees.</param>
/// <param name="ScorecardWeight">The scorecard's share of the blended probability.</param>
/// <param name="DataHash">SHA-256 of the training data.</param>
/// <param name="Calibration">A recalibration on recent outcomes applied to the blended probability; null: none (not written, so bundles without one keep their version).</param>
public sealed record CreditModel(
    string Champion,
    IReadOnlyList<ModelInput> Inputs,
    Scorecard Scorecard,
    TreeLayout? TreeLayout,
    byte[]? TreeModel,
    TreeParameters? TreeParameters,
    double ScorecardWeight,
    string DataHash,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Calibration? Calibration = null)
{
    /// <summary>How probabilities become points.</summary>
    [JsonIgnore]
    public PointsScaling Scaling => Scorecard.Scaling;
}
