using JisuDai.Lending.Applications;

namespace JisuDai.App.Applications;

/// <summary>
/// The approval orchestration of an application, as the use cases drive it: started once per application, told of the
/// borrower's answers and cancellations and the reviewer's decision. The orchestration is the one writer of the
/// application's status; these only ask it.
/// </summary>
public interface IApprovalWorkflow
{
    /// <summary>The application's approval as it was started, or null when it has not been.</summary>
    Task<ApprovalStarted?> FindAsync(string applicationId, CancellationToken cancellationToken);

    /// <summary>Starts the approval (once: starting it again is a no-op).</summary>
    Task StartAsync(ApprovalInput input, CancellationToken cancellationToken);

    /// <summary>Tells the approval the borrower accepted the offer.</summary>
    Task AcceptOfferAsync(string applicationId, CancellationToken cancellationToken);

    /// <summary>Asks the approval to cancel <paramref name="application"/> (submitted, in review or offered).</summary>
    Task CancelAsync(LoanApplication application, CancellationToken cancellationToken);

    /// <summary>Hands the reviewer's decision to the approval.</summary>
    Task DecideReviewAsync(string applicationId, ReviewDecision decision, CancellationToken cancellationToken);

    /// <summary>
    /// Wakes the approval whose payout is transfer <paramref name="transferId"/>: the provider notified that the transfer
    /// finished, so it asks the provider now instead of at its next question. Nothing happens when no approval waits on it.
    /// </summary>
    Task PayoutFinishedAsync(string transferId, CancellationToken cancellationToken);
}
