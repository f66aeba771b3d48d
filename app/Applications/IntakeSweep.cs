using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Applications;

/// <summary>What a sweep of the intake log did.</summary>
/// <param name="Seen">Entries old enough to look at.</param>
/// <param name="Started">Applications left Submitted with no approval, whose approval it started.</param>
/// <param name="Kept">Entries kept for the next sweep because looking at them failed.</param>
public sealed record IntakeSweepResult(int Seen, int Started, int Kept);

/// <summary>
/// Sees every stored application through to a started approval. The intake logs an application before storing it
/// (<see cref="IIntakeLog"/>); past <see cref="Grace"/>, an entry whose approval has not started belongs to a host that
/// stopped between storing the application and starting its approval, with no resubmission since. Its approval is
/// started then without a decision, so the approval decides (returning the recorded decision if one was made). An
/// entry whose approval started, or whose application was never stored or has been erased, is forgotten.
/// </summary>
public sealed class IntakeSweep(IIntakeLog log, IDocumentStore<LoanApplication> applications, ApprovalTimeouts timeouts, TimeProvider clock, ILogger<IntakeSweep> logger)
{
    /// <summary>How long a submission has to start its approval itself: the decision budget, the receipt notice and the start take well under a second.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    const int Page = 500;

    /// <summary>Sweeps the entries older than <see cref="Grace"/>, a page at a time, until none is left or only ones that failed.</summary>
    public async Task<IntakeSweepResult> RunAsync(IApprovalWorkflow approvals, CancellationToken cancellationToken)
    {
        DateTimeOffset before = clock.GetUtcNow() - Grace;
        int seen = 0, started = 0;
        var kept = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            IReadOnlyList<IntakeEntry> page = await log.ListBeforeAsync(before, Page + kept.Count, cancellationToken);
            var fresh = page.Where(e => !kept.Contains(e.ApplicationId)).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            var done = new List<IntakeEntry>(fresh.Count);
            foreach (IntakeEntry entry in fresh)
            {
                seen++;
                try
                {
                    started += await SeeThroughAsync(entry, approvals, cancellationToken) ? 1 : 0;
                    done.Add(entry);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    kept.Add(entry.ApplicationId);
                    logger.LogError(e, "The intake sweep could not see application {ApplicationId} through; it stays for the next sweep.", entry.ApplicationId);
                }
            }

            await log.ForgetAsync(done, cancellationToken);
        }

        if (seen > 0)
        {
            logger.LogInformation("The intake sweep saw {Seen} applications: started {Started} approvals left unstarted, kept {Kept} for the next sweep.", seen, started, kept.Count);
        }

        return new IntakeSweepResult(seen, started, kept.Count);
    }

    async Task<bool> SeeThroughAsync(IntakeEntry entry, IApprovalWorkflow approvals, CancellationToken cancellationToken)
    {
        if (await approvals.FindAsync(entry.ApplicationId, cancellationToken) is not null)
        {
            return false;
        }

        if (await applications.FindAsync(entry.CustomerId, entry.ApplicationId, cancellationToken) is not { Document: { Status: ApplicationStatus.Submitted } application })
        {
            return false;
        }

        logger.LogWarning("Application {ApplicationId}, submitted at {SubmittedAt:u}, had no approval: starting it.", application.Id, application.SubmittedAt);
        await approvals.StartAsync(new ApprovalInput(application.CustomerId, application.Id, application.Amount, timeouts), cancellationToken);
        return true;
    }
}
