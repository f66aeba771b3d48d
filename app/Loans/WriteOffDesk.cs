using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending;
using JisuDai.Lending.Calendar;
using JisuDai.Risk.Rules;

namespace JisuDai.App.Loans;

/// <summary>What admins do with a month's write-off proposal: read it, and approve it (today is the write-off date; each loan written off has its lifecycle told).</summary>
public sealed class WriteOffDesk(WriteOffProposals proposals, TimeProvider clock)
{
    public async Task<Result<WriteOffProposal>> GetAsync(string month, CancellationToken cancellationToken) =>
        WriteOffProposals.IsMonth(month) && await proposals.FindAsync(month, cancellationToken) is { } proposal
            ? Result<WriteOffProposal>.Ok(proposal)
            : Result<WriteOffProposal>.NotFound($"There is no write-off proposal {month}.");

    public async Task<Result<WriteOffProposal>> ApproveAsync(Caller admin, string month, IRepaymentLifecycle lifecycle, CancellationToken cancellationToken)
    {
        if (!WriteOffProposals.IsMonth(month))
        {
            return Result<WriteOffProposal>.NotFound($"There is no write-off proposal {month}.");
        }

        Outcome<WriteOffProposal> approved = await proposals.ApproveAsync(month, admin.Subject, LenderCalendar.Today(clock), cancellationToken);
        foreach (WriteOffResult written in approved.Value?.Results?.Where(r => r.Skipped is null) ?? [])
        {
            await lifecycle.LoanChangedAsync(written.LoanId, cancellationToken);
        }

        return approved.Succeeded ? Result<WriteOffProposal>.Ok(approved.Value!)
            : approved.Errors[0].Rule == "proposal-exists" ? Result<WriteOffProposal>.NotFound(approved.Errors[0].Message)
            : Result<WriteOffProposal>.Conflict(approved.Errors[0].Message);
    }
}
