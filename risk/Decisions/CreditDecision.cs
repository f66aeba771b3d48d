using JisuDai.Lending.Documents;
using JisuDai.Risk.Behaviour;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Scoring;

namespace JisuDai.Risk.Decisions;

/// <summary>
/// The record of one credit decision, written once and never changed: what was decided on (the application's fields,
/// the fraud checks' findings, the customer's history, the product and the date), with which model and rule-set
/// versions, and what came out (score, tier, every rule that fired, limit, rate, reasons), with the time each stage took.
/// It holds everything a replay needs and no personal data: the applicant's identifiers appear only masked.
/// </summary>
/// <param name="Id">The decision id: a hash of the caller's idempotency key, a dot, and the customer id.</param>
/// <param name="CustomerId">The customer (the partition).</param>
/// <param name="ApplicationId">The application decided, when there is one.</param>
/// <param name="RequestHash">SHA-256 of the request, so a reused idempotency key with another request is refused.</param>
/// <param name="DecidedAt">When.</param>
/// <param name="On">The decision date in the lender's time zone (offers are priced from it).</param>
/// <param name="ProductCode">The product applied for.</param>
/// <param name="ModelName">The model's registry name.</param>
/// <param name="ModelVersion">The model bundle's version.</param>
/// <param name="RuleSetName">The rule set's name.</param>
/// <param name="RuleSetVersion">The rule set's version.</param>
/// <param name="Application">The application's fields as decided on.</param>
/// <param name="Applicant">The applicant's identifiers, masked, for the audit trail.</param>
/// <param name="Checks">The fraud checks' findings.</param>
/// <param name="Customer">The customer's history, for a returning customer.</param>
/// <param name="Score">The model's score.</param>
/// <param name="Result">The engine's decision and trace.</param>
/// <param name="TimingsMicroseconds">Time per stage (checks, score, rules).</param>
/// <param name="ProductVersion">The version of the product decided under (decisions recorded before versions were kept were all version 1).</param>
/// <param name="Behaviour">The customer's behaviour and device features as of the decision (null on decisions recorded before they were computed).</param>
/// <param name="Bureau">The credit bureau's findings used (null on decisions recorded before bureau inquiries).</param>
/// <param name="Inputs">
/// The model's inputs exactly as scored (input name to value, numbers invariant), the point-in-time record training on
/// platform data and monitoring read; null on decisions recorded before it was kept. It is drawn from
/// <paramref name="Application"/>, <paramref name="Behaviour"/> and <paramref name="Bureau"/>, already on this record,
/// so it adds no personal data: the applicant's identifiers travel in the request's applicant, not in its fields.
/// </param>
/// <param name="Arm">Which model acted: <see cref="Models.ModelArms.Champion"/> or <see cref="Models.ModelArms.Challenger"/> (null on decisions recorded before arms: the champion).</param>
/// <param name="Shadow">The other model's score, recorded and never acted on, while a challenger runs.</param>
/// <param name="RuleSetArm">Which rule set acted: champion (the one in force) or challenger (null on decisions recorded before rule-set arms).</param>
/// <param name="RuleSetShadow">What the other rule set would have decided on the same facts and score, while a rule-set challenger runs.</param>
public sealed record CreditDecision(
    string Id,
    string CustomerId,
    string? ApplicationId,
    string RequestHash,
    DateTimeOffset DecidedAt,
    DateOnly On,
    string ProductCode,
    string ModelName,
    string ModelVersion,
    string RuleSetName,
    string RuleSetVersion,
    IReadOnlyDictionary<string, string?> Application,
    IReadOnlyDictionary<string, string> Applicant,
    CheckResults Checks,
    CustomerHistory? Customer,
    ScoreResult Score,
    DecisionResult Result,
    IReadOnlyDictionary<string, double> TimingsMicroseconds,
    int ProductVersion = 1,
    BehaviourFeatures? Behaviour = null,
    Bureau.BureauFindings? Bureau = null,
    IReadOnlyDictionary<string, string?>? Inputs = null,
    string? Arm = null,
    ShadowScore? Shadow = null,
    string? RuleSetArm = null,
    RuleSetShadow? RuleSetShadow = null) : ICustomerDocument;

/// <summary>A rule set's decision on an application it did not decide: recorded beside the acting rule set's, never acted on.</summary>
/// <param name="RuleSetVersion">The shadow rule set's version.</param>
/// <param name="Result">What it would have decided.</param>
public sealed record RuleSetShadow(string RuleSetVersion, DecisionResult Result);

/// <summary>A model's score of an application it did not decide: the challenger's beside the champion's decision, or the champion's beside the challenger's.</summary>
/// <param name="ModelVersion">The shadow model's version.</param>
/// <param name="Score">Its score.</param>
/// <param name="Inputs">Its inputs as scored.</param>
public sealed record ShadowScore(string ModelVersion, ScoreResult Score, IReadOnlyDictionary<string, string?> Inputs);
