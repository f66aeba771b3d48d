using JisuDai.App.Configuration;
using JisuDai.Lending.Applications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Applications;

/// <summary>
/// The credit decision made while the borrower waits for the submit response, within a budget. It is the same decision
/// the approval would make (<see cref="IApplicationDecider"/>, recorded once under the application's id), so deciding
/// here and, should this run out of time, again in the approval gives one decision record, never two. Out of time, or
/// failing (a store slow or down), it answers null and the approval decides, retrying as its activities do: the
/// decision in the response is a way to be fast, never the only way to be decided.
/// </summary>
public sealed class DecisionAtSubmission(IApplicationDecider decider, TimeSpan budget, ILogger<DecisionAtSubmission> logger)
{
    /// <summary>The default budget: a decision takes tens of milliseconds on the stores; past this, the borrower is better answered at once.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromMilliseconds(300);

    /// <summary>The budget from <see cref="AppSettings.DecisionBudget"/>; a negative or unreadable value stops the host at start.</summary>
    public static TimeSpan BudgetFrom(IConfiguration configuration) =>
        Durations.Read(configuration, AppSettings.DecisionBudget, DefaultBudget) is var budget && budget >= TimeSpan.Zero && budget <= TimeSpan.FromSeconds(30)
            ? budget
            : throw new ConfigurationException(AppSettings.DecisionBudget, "must be a duration from 00:00:00 to 00:00:30 (hh:mm:ss.fff).");

    /// <summary>The decision of <paramref name="application"/> (as stored, its applicant's <paramref name="identity"/> opened), or null when it could not be made within the budget.</summary>
    public async Task<ApprovalDecision?> TryDecideAsync(LoanApplication application, ApplicantIdentitySealed identity)
    {
        if (budget == TimeSpan.Zero)
        {
            return null;
        }

        // Never cancelled once begun, not even when the borrower hangs up: a decision stopped halfway could have asked
        // the credit bureau (paid for, and a mark on the borrower's file) without recording its answer, and the
        // approval would ask again. Past the budget it finishes in the background and records what the approval reads.
        Task<ApprovalDecision> deciding = decider.DecideAsync(application, identity, CancellationToken.None);
        try
        {
            return await deciding.WaitAsync(budget);
        }
        catch (Exception e)
        {
            _ = deciding.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            if (e is TimeoutException)
            {
                logger.LogWarning("Application {ApplicationId} was not decided within {Budget} ms at submission; its approval decides it.", application.Id, budget.TotalMilliseconds);
            }
            else
            {
                logger.LogWarning(e, "Application {ApplicationId} could not be decided at submission; its approval decides it.", application.Id);
            }

            return null;
        }
    }
}
