namespace JisuDai.Lending.Applications;

/// <summary>
/// The application's state machine. A step moves an application to a status the current one allows; a step already
/// in the history changes nothing (so a retried activity records once); any other move is refused.
/// <code>
/// Submitted → InReview | Offered | Declined | Cancelled
/// InReview  → InReview (escalated) | Offered | Declined | Cancelled
/// Offered   → Accepted | Cancelled (cancelled or expired)
/// Accepted  → Disbursed | Offered (the terms priced again at the payout date moved beyond the tolerance: shown again)
///             | Cancelled (the payout failed: nothing was paid)
/// Declined, Cancelled, Disbursed: final
/// </code>
/// </summary>
public static class ApplicationLifecycle
{
    static readonly Dictionary<ApplicationStatus, ApplicationStatus[]> Allowed = new()
    {
        [ApplicationStatus.Submitted] = [ApplicationStatus.InReview, ApplicationStatus.Offered, ApplicationStatus.Declined, ApplicationStatus.Cancelled],
        [ApplicationStatus.InReview] = [ApplicationStatus.InReview, ApplicationStatus.Offered, ApplicationStatus.Declined, ApplicationStatus.Cancelled],
        [ApplicationStatus.Offered] = [ApplicationStatus.Accepted, ApplicationStatus.Cancelled],
        [ApplicationStatus.Accepted] = [ApplicationStatus.Disbursed, ApplicationStatus.Offered, ApplicationStatus.Cancelled],
        [ApplicationStatus.Declined] = [],
        [ApplicationStatus.Cancelled] = [],
        [ApplicationStatus.Disbursed] = [],
    };

    /// <summary>True when an application in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool CanMove(ApplicationStatus from, ApplicationStatus to) => Allowed[from].Contains(to);

    /// <summary>True when nothing can happen to the application any more.</summary>
    public static bool IsFinal(ApplicationStatus status) => Allowed[status].Length == 0;

    /// <summary>The application after <paramref name="step"/>, the same application when the step is already recorded, or an error.</summary>
    public static Outcome<LoanApplication> Record(LoanApplication application, ApplicationStep step, Func<LoanApplication, LoanApplication>? change = null)
    {
        IReadOnlyList<ApplicationStep> history = application.History ?? [];
        if (history.Any(s => s.Id == step.Id))
        {
            return Outcome<LoanApplication>.Success(application);
        }

        if (!CanMove(application.Status, step.Status))
        {
            return Outcome<LoanApplication>.Failure([new DomainError("status", "transition",
                $"Application {application.Id} is {application.Status}; it cannot become {step.Status}.")]);
        }

        LoanApplication moved = application with { Status = step.Status, History = [.. history, step] };
        return Outcome<LoanApplication>.Success(change is null ? moved : change(moved));
    }
}
