using JisuDai.App.Events;
using JisuDai.App.Staff;
using JisuDai.Lending;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Loans;

/// <summary>What became of one loan on an approved proposal.</summary>
/// <param name="LoanId">The loan.</param>
/// <param name="WrittenOff">What was written off; 0 when the loan was skipped.</param>
/// <param name="Skipped">Why it was not written off (repaid or cured since the proposal), or null.</param>
public sealed record WriteOffResult(string LoanId, decimal WrittenOff, string? Skipped);

/// <summary>A month's write-off proposal: the loans beyond their threshold on <see cref="On"/>, waiting for an admin.</summary>
/// <param name="Id">The month, yyyy-MM.</param>
/// <param name="On">The day the loans were assessed.</param>
/// <param name="Loans">The loans proposed.</param>
/// <param name="Status">proposed, then approved.</param>
/// <param name="ApprovedBy">The admin who approved it.</param>
/// <param name="ApprovedOn">The day it was approved: the write-off date.</param>
/// <param name="Results">What approval did to each loan.</param>
public sealed record WriteOffProposal(string Id, DateOnly On, IReadOnlyList<WriteOffCandidate> Loans, string Status = WriteOffProposal.Proposed,
    string? ApprovedBy = null, DateOnly? ApprovedOn = null, IReadOnlyList<WriteOffResult>? Results = null)
{
    public const string Proposed = "proposed";
    public const string Approved = "approved";

    /// <summary>Everything the proposal would write off.</summary>
    public decimal Total => Loans.Sum(l => l.Owed);
}

/// <summary>Where write-off proposals are kept, one per month, each changed only under its version.</summary>
public interface IWriteOffProposalStore
{
    /// <summary>The proposal of month <paramref name="id"/> (yyyy-MM), or null.</summary>
    Task<WriteOffProposal?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the month's proposal (null when there is none) and saves the result under the
    /// version it read, applying it again to a newer version; returning the same instance saves nothing.
    /// </summary>
    Task<WriteOffProposal> ChangeAsync(string id, Func<WriteOffProposal?, WriteOffProposal> change, CancellationToken cancellationToken);
}

/// <summary>
/// Monthly write-off proposals (kept by <see cref="IWriteOffProposalStore"/>): proposing walks every loan and lists
/// those beyond their product's threshold; nothing is written off until an admin approves. Approval writes each loan
/// off under its ETag (judged again that day, so a loan repaid since is skipped), copies its LoanWrittenOff event to
/// the outbox, and records the results on the proposal. Approving again, or after a crash halfway, writes nothing twice:
/// a loan already written off under the proposal counts as done.
/// </summary>
public sealed class WriteOffProposals(IWriteOffProposalStore store, IDocumentStore<Loan> loans, LoanChanges changes, ILoanEventOutbox outbox, ILogger<WriteOffProposals> logger)
{
    /// <summary>True for a month id, yyyy-MM.</summary>
    public static bool IsMonth(string id) => DateOnly.TryParseExact($"{id}-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _);

    /// <summary>The proposal of month <paramref name="id"/>, or null.</summary>
    public async Task<WriteOffProposal?> FindAsync(string id, CancellationToken cancellationToken)
    {
        return await store.FindAsync(id, cancellationToken);
    }

    /// <summary>Proposes the loans beyond their threshold on <paramref name="on"/> for its month; an approved month is left as it is.</summary>
    public async Task<WriteOffProposal> ProposeAsync(DateOnly on, CancellationToken cancellationToken)
    {
        var candidates = new List<WriteOffCandidate>();
        await foreach (Versioned<Loan> loan in loans.ScanAsync(cancellationToken))
        {
            if (WriteOffs.Assess(loan.Document, on) is { } candidate)
            {
                candidates.Add(candidate);
            }
        }

        string id = $"{on:yyyy-MM}";
        var proposal = new WriteOffProposal(id, on, candidates.OrderBy(c => c.LoanId, StringComparer.Ordinal).ToList());
        WriteOffProposal saved = await store.ChangeAsync(id, current => current is { Status: WriteOffProposal.Approved } ? current : proposal, cancellationToken);
        logger.LogInformation("Write-off proposal {Id}: {Count} loans, {Total:0.00} yuan, {Status}.", id, saved.Loans.Count, saved.Total, saved.Status);
        return saved;
    }

    /// <summary>Approves proposal <paramref name="id"/> on <paramref name="on"/>; an approved proposal is returned as it is.</summary>
    public async Task<Outcome<WriteOffProposal>> ApproveAsync(string id, string admin, DateOnly on, CancellationToken cancellationToken, IReadOnlySet<string>? excluded = null)
    {
        if (await FindAsync(id, cancellationToken) is not { } proposal)
        {
            return Outcome<WriteOffProposal>.Failure([new DomainError("id", "proposal-exists", $"There is no write-off proposal {id}.")]);
        }

        if (proposal.Status == WriteOffProposal.Approved)
        {
            return Outcome<WriteOffProposal>.Success(proposal);
        }

        if (on < proposal.On)
        {
            return Outcome<WriteOffProposal>.Failure([new DomainError("id", "proposal-not-future", $"Proposal {id} is dated {proposal.On:yyyy-MM-dd}, after today.")]);
        }

        var results = new List<WriteOffResult>();
        foreach (WriteOffCandidate candidate in proposal.Loans)
        {
            results.Add(excluded?.Contains(candidate.LoanId) == true
                ? new WriteOffResult(candidate.LoanId, 0m, "Left out by the approval.")
                : await WriteOffAsync(candidate, id, admin, on, cancellationToken));
        }

        WriteOffProposal approved = await store.ChangeAsync(id, current => current is { Status: WriteOffProposal.Approved } ? current : proposal with
        {
            Status = WriteOffProposal.Approved, ApprovedBy = admin, ApprovedOn = on, Results = results,
        }, cancellationToken);
        logger.LogInformation("Write-off proposal {Id} approved by {Admin}: {Written} loans written off ({Total:0.00} yuan), {Skipped} skipped.",
            id, admin, results.Count(r => r.Skipped is null), results.Sum(r => r.WrittenOff), results.Count(r => r.Skipped is not null));
        return Outcome<WriteOffProposal>.Success(approved);
    }

    async Task<WriteOffResult> WriteOffAsync(WriteOffCandidate candidate, string id, string admin, DateOnly on, CancellationToken cancellationToken)
    {
        while (true)
        {
            Versioned<Loan>? current = await loans.FindAsync(candidate.CustomerId, candidate.LoanId, cancellationToken);
            if (current is null)
            {
                return new WriteOffResult(candidate.LoanId, 0m, "The loan no longer exists.");
            }

            if (current.Document.WriteOff is { } done && done.ProposalId == id)
            {
                await outbox.AddAsync(current.Document.EventsNotInOutbox(), cancellationToken);
                return new WriteOffResult(candidate.LoanId, done.Amount, null);
            }

            Outcome<Loan> written = WriteOffs.Apply(current.Document, on, id, admin);
            if (!written.Succeeded)
            {
                return new WriteOffResult(candidate.LoanId, 0m, written.Errors[0].Message);
            }

            if (!await changes.TryWriteAsync(current, written.Value!, cancellationToken))
            {
                continue; // a repayment or the sweep got there first: judge the loan again as it is now
            }

            return new WriteOffResult(candidate.LoanId, written.Value!.WriteOff!.Amount, null);
        }
    }
}
