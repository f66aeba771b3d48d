using JisuDai.App.Configuration;
using JisuDai.App.Loans;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using JisuDai.Lending.Calendar;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace JisuDai.Functions.Loans;

/// <summary>
/// Write-offs: the monthly proposal on its CRON (<c>%WriteOffProposalSchedule%</c>, Asia/Shanghai), and for admins
/// <c>GET /api/write-offs/{month}</c> (the proposal) and <c>POST /api/write-offs/{month}/approval</c> (proposes writing the
/// loans off, optionally leaving some out: 202 with the staff request another admin approves at /api/staff-requests).
/// </summary>
public sealed class WriteOffFunctions(CallerGate gate, WriteOffProposals proposals, WriteOffDesk desk, FourEyes fourEyes, TimeProvider clock)
{
    [Function("ProposeWriteOffs")]
    public Task Propose(
        [TimerTrigger("%" + AppSettings.WriteOffProposalSchedule + "%")] TimerInfo timer,
        CancellationToken cancellationToken) => proposals.ProposeAsync(LenderCalendar.Today(clock), cancellationToken);

    [Function("GetWriteOffProposal")]
    [Answers(200, typeof(JisuDai.App.Loans.WriteOffProposal), Description = "The month's write-off proposal.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No write-off proposal for the month (yyyy-MM).")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "write-offs/{month}")] HttpRequest request,
        string month,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async _ => Answers.Ok(await desk.GetAsync(month, cancellationToken)));

    [Function("ApproveWriteOffs")]
    [Accepts(typeof(JisuDai.App.Loans.WriteOffApprovalBody))]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: another admin approves it at approveUrl.")]
    [Answers(400, Description = "exclude names a loan not on the proposal.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No write-off proposal for the month (yyyy-MM).")]
    [Answers(409, Description = "The proposal is approved already.")]
    [Answers(413)]
    public Task<IActionResult> Approve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "write-offs/{month}/approval")] HttpRequest request,
        string month,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], new WriteOffApprovalBody(null), async (admin, body) =>
            Answers.Proposed(await desk.ProposeApprovalAsync(admin, month, body, fourEyes, cancellationToken)), cancellationToken);
}
