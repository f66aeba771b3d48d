namespace JisuDai.Risk.Rules;

/// <summary>A published version of a rule set.</summary>
/// <param name="Name">The rule set's name.</param>
/// <param name="Version">The content hash.</param>
/// <param name="EffectiveFrom">When it starts to decide.</param>
/// <param name="PublishedAt">When it was published.</param>
/// <param name="Description">What changed.</param>
public sealed record PublishedRuleSet(string Name, string Version, DateTimeOffset EffectiveFrom, DateTimeOffset PublishedAt, string? Description);

/// <summary>
/// Published rule sets: each version stored once by its content hash, and a publication history per name. The rule
/// set in force at a time is the most recently published one whose effective-from time has come; rollback withdraws
/// the most recent publication, so the one before it decides again.
/// </summary>
public interface IRuleSetStore
{
    /// <summary>Publishes a validated rule set (publishing the version already on top changes nothing).</summary>
    Task<PublishedRuleSet> PublishAsync(RuleSet ruleSet, CancellationToken cancellationToken);

    /// <summary>The publications of <paramref name="name"/>, newest first.</summary>
    Task<IReadOnlyList<PublishedRuleSet>> ListAsync(string name, CancellationToken cancellationToken);

    /// <summary>A version's JSON, or null.</summary>
    Task<byte[]?> GetAsync(string name, string version, CancellationToken cancellationToken);

    /// <summary>Stores a validated version without publishing it (a challenger's), once; storing it again changes nothing.</summary>
    Task StoreAsync(RuleSet ruleSet, CancellationToken cancellationToken);

    /// <summary>The challenger of <paramref name="name"/>: a stored version deciding a share of customers and in shadow on the rest; null: none.</summary>
    Task<Models.ChallengerArm?> GetChallengerAsync(string name, CancellationToken cancellationToken);

    /// <summary>Sets (null: ends) the challenger of <paramref name="name"/>; its version must be stored.</summary>
    Task SetChallengerAsync(string name, Models.ChallengerArm? challenger, CancellationToken cancellationToken);

    /// <summary>Withdraws the most recent publication; returns the one in force now.</summary>
    Task<PublishedRuleSet?> RollbackAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>A rule-set operation that cannot be done: nothing to roll back, an unknown version, an invalid name.</summary>
public sealed class RuleSetStoreException(string message) : Exception(message);

/// <summary>Which publication is in force.</summary>
public static class RuleSetsInForce
{
    /// <summary>The most recently published of <paramref name="published"/> (newest first) whose effective time is at or before <paramref name="now"/>.</summary>
    public static PublishedRuleSet? At(IReadOnlyList<PublishedRuleSet> published, DateTimeOffset now) =>
        published.FirstOrDefault(p => p.EffectiveFrom <= now);
}
