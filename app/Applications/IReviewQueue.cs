using JisuDai.Lending.Applications;

namespace JisuDai.App.Applications;

/// <summary>An application waiting in the manual-review queue.</summary>
/// <param name="ApplicationId">The application.</param>
/// <param name="CustomerId">Its customer.</param>
/// <param name="DecisionId">The decision that referred it.</param>
/// <param name="SubmittedAt">When it was submitted (the queue is oldest first).</param>
/// <param name="Escalated">True once the review SLA passed.</param>
/// <param name="ClaimedBy">The reviewer who decided it, until it moves on.</param>
/// <param name="ETag">The entry's version, so a claim never overwrites another reviewer's.</param>
/// <param name="HeldBy">The reviewer working it (claimed), if anyone claimed it.</param>
/// <param name="HeldUntil">When that reviewer's hold lapses.</param>
public sealed record ReviewEntry(string ApplicationId, string CustomerId, string? DecisionId, DateTimeOffset SubmittedAt, bool Escalated, string? ClaimedBy, string ETag,
    string? HeldBy = null, DateTimeOffset? HeldUntil = null);

/// <summary>The manual-review queue: one entry per referred application, oldest first; a reviewer claims an entry under its ETag, so two reviewers cannot both decide.</summary>
public interface IReviewQueue
{
    /// <summary>Puts the application in the queue (again, when an escalation marks it).</summary>
    Task EnterAsync(LoanApplication application, bool escalated, CancellationToken cancellationToken);

    /// <summary>Takes the application out of the queue; absent is fine.</summary>
    Task LeaveAsync(string applicationId, CancellationToken cancellationToken);

    /// <summary>The queue, oldest application first (decided ones that have not moved on yet included, marked by ClaimedBy).</summary>
    Task<IReadOnlyList<ReviewEntry>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The application's entry, or null.</summary>
    Task<ReviewEntry?> FindAsync(string applicationId, CancellationToken cancellationToken);

    /// <summary>Marks the entry decided by <paramref name="reviewer"/> if it is still as read; false when another reviewer got there first.</summary>
    Task<bool> ClaimAsync(ReviewEntry entry, string reviewer, CancellationToken cancellationToken);

    /// <summary>Holds the entry for <paramref name="reviewer"/> until <paramref name="until"/> if it is still as read; false when it changed meanwhile.</summary>
    Task<bool> HoldAsync(ReviewEntry entry, string reviewer, DateTimeOffset until, CancellationToken cancellationToken);
}
