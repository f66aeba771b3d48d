using JisuDai.Lending.Documents;

namespace JisuDai.Risk.Decisions;

/// <summary>What a decision concluded.</summary>
public enum DecisionOutcome
{
    /// <summary>Approve automatically.</summary>
    Approve,
    /// <summary>Send to a reviewer.</summary>
    Review,
    /// <summary>Decline.</summary>
    Decline,
}

/// <summary>
/// The record of one credit decision, written once and never changed, so it can be audited and replayed
/// with the model and rule-set versions it names.
/// </summary>
/// <param name="Id">The decision id.</param>
/// <param name="CustomerId">The applicant.</param>
/// <param name="ApplicationId">The application decided.</param>
/// <param name="Outcome">The outcome.</param>
/// <param name="ModelVersion">The content hash of the scoring model used.</param>
/// <param name="RuleSetVersion">The rule-set version used.</param>
/// <param name="DecidedAt">When it was decided.</param>
public sealed record CreditDecision(
    string Id,
    string CustomerId,
    string ApplicationId,
    DecisionOutcome Outcome,
    string ModelVersion,
    string RuleSetVersion,
    DateTimeOffset DecidedAt) : ICustomerDocument;
