using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Lending;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Loans;
using JisuDai.Risk.Rules;

namespace JisuDai.App.Loans;

/// <summary>What approving a month's write-offs asks: the loans on the proposal to leave out (written off another day, or not at all).</summary>
public sealed record WriteOffApprovalBody(IReadOnlyList<string>? Exclude);

/// <summary>
/// What admins do with a month's write-off proposal: read it; propose its approval (four eyes: another admin approves,
/// see <see cref="Staff.FourEyes"/>); and, once approved, carry it out (today is the write-off date; each loan written
/// off has its lifecycle told).
/// </summary>
public sealed class WriteOffDesk(WriteOffProposals proposals, ConflictOfInterest conflicts, TimeProvider clock)
{
    public async Task<Result<WriteOffProposal>> GetAsync(string month, CancellationToken cancellationToken) =>
        WriteOffProposals.IsMonth(month) && await proposals.FindAsync(month, cancellationToken) is { } proposal
            ? Result<WriteOffProposal>.Ok(proposal)
            : Result<WriteOffProposal>.NotFound($"There is no write-off proposal {month}.");

    /// <summary><paramref name="admin"/> proposes approving <paramref name="month"/>'s proposal, leaving out the loans <paramref name="body"/> names.</summary>
    public async Task<Result<Staff.StaffRequest>> ProposeApprovalAsync(Caller admin, string month, WriteOffApprovalBody body, Staff.FourEyes fourEyes, CancellationToken cancellationToken)
    {
        if (!WriteOffProposals.IsMonth(month) || await proposals.FindAsync(month, cancellationToken) is not { } proposal)
        {
            return Result<Staff.StaffRequest>.NotFound($"There is no write-off proposal {month}.");
        }

        if (proposal.Status == WriteOffProposal.Approved)
        {
            return Result<Staff.StaffRequest>.Conflict($"Write-off proposal {month} is approved already.");
        }

        if ((body.Exclude ?? []).FirstOrDefault(id => proposal.Loans.All(l => l.LoanId != id)) is { } stranger)
        {
            return Result<Staff.StaffRequest>.Invalid("exclude", $"{stranger} is not on the proposal for {month}.");
        }

        var exclude = (body.Exclude ?? []).Distinct().Order(StringComparer.Ordinal).ToList();
        return await fourEyes.ProposeAsync(admin, Staff.StaffPower.WriteOffApproval, month,
            System.Text.Json.JsonSerializer.Serialize(new WriteOffApprovalBody(exclude), StaffRequest.PayloadJson), cancellationToken);
    }

    /// <summary>
    /// Carries out an approved approval of <paramref name="month"/>'s proposal: the loans <paramref name="excluded"/>
    /// names are left out, and so are the proposer's and the approver's own (no one writes off their own loan).
    /// </summary>
    public async Task<Result<WriteOffProposal>> ApproveAsync(Caller admin, string proposedBy, string month, IReadOnlyList<string> excluded, IRepaymentLifecycle lifecycle, CancellationToken cancellationToken)
    {
        if (!WriteOffProposals.IsMonth(month))
        {
            return Result<WriteOffProposal>.NotFound($"There is no write-off proposal {month}.");
        }

        var leftOut = excluded.ToHashSet(StringComparer.Ordinal);
        foreach (WriteOffCandidate candidate in (await proposals.FindAsync(month, cancellationToken))?.Loans ?? [])
        {
            if (await conflicts.IsOwnByAnyAsync([proposedBy, admin.Subject], candidate.CustomerId, cancellationToken))
            {
                leftOut.Add(candidate.LoanId);
            }
        }

        Outcome<WriteOffProposal> approved = await proposals.ApproveAsync(month, admin.Subject, LenderCalendar.Today(clock), cancellationToken, leftOut);
        foreach (WriteOffResult written in approved.Value?.Results?.Where(r => r.Skipped is null) ?? [])
        {
            await lifecycle.LoanChangedAsync(written.LoanId, cancellationToken);
        }

        return approved.Succeeded ? Result<WriteOffProposal>.Ok(approved.Value!)
            : approved.Errors[0].Rule == "proposal-exists" ? Result<WriteOffProposal>.NotFound(approved.Errors[0].Message)
            : Result<WriteOffProposal>.Conflict(approved.Errors[0].Message);
    }
}
