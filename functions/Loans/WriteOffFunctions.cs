using JisuDai.App.Configuration;
using JisuDai.App.Loans;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Functions.Security;
using JisuDai.Lending;
using JisuDai.Lending.Calendar;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Risk.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace JisuDai.Functions.Loans;

/// <summary>
/// Write-offs: the monthly proposal on its CRON (<c>%WriteOffProposalSchedule%</c>, Asia/Shanghai), and for admins
/// <c>GET /api/write-offs/{month}</c> (the proposal) and <c>POST /api/write-offs/{month}/approval</c> (write the loans off).
/// </summary>
public sealed class WriteOffFunctions(Authentication auth, WriteOffProposals proposals, TimeProvider clock, ILogger<WriteOffFunctions> logger)
{
    [Function("ProposeWriteOffs")]
    public Task Propose(
        [TimerTrigger("%" + AppSettings.WriteOffProposalSchedule + "%")] TimerInfo timer,
        CancellationToken cancellationToken) => proposals.ProposeAsync(LenderCalendar.Today(clock), cancellationToken);

    [Function("GetWriteOffProposal")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "write-offs/{month}")] HttpRequest request,
        string month,
        CancellationToken cancellationToken)
    {
        (_, IActionResult? denied) = await auth.RequireAsync(request, Roles.Admin);
        if (denied is not null)
        {
            return denied;
        }

        return WriteOffProposals.IsMonth(month) && await proposals.FindAsync(month, cancellationToken) is { } proposal
            ? new OkObjectResult(proposal)
            : Problems.NotFound($"There is no write-off proposal {month}.");
    }

    [Function("ApproveWriteOffs")]
    public async Task<IActionResult> Approve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "write-offs/{month}/approval")] HttpRequest request,
        string month,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        (Caller? admin, IActionResult? denied) = await auth.RequireAsync(request, Roles.Admin);
        if (denied is not null)
        {
            return denied;
        }

        if (!WriteOffProposals.IsMonth(month))
        {
            return Problems.NotFound($"There is no write-off proposal {month}.");
        }

        Outcome<WriteOffProposal> approved = await proposals.ApproveAsync(month, admin!.Subject, LenderCalendar.Today(clock), cancellationToken);
        foreach (WriteOffResult written in approved.Value?.Results?.Where(r => r.Skipped is null) ?? [])
        {
            await RepaymentLifecycle.WakeAsync(durable, written.LoanId, logger, cancellationToken);
        }

        return approved.Succeeded ? new OkObjectResult(approved.Value)
            : approved.Errors[0].Rule == "proposal-exists" ? Problems.NotFound(approved.Errors[0].Message)
            : Problems.Conflict(approved.Errors[0].Message);
    }
}
