using JisuDai.App.Configuration;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using JisuDai.Lending.Calendar;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Staff;

/// <summary>
/// <c>GET /api/audit</c> (admin): whether the staff audit log's chain is intact, its latest entries (<c>?count=</c>,
/// default 100) and its daily anchors; and the timer (<c>%AuditAnchorSchedule%</c>, default 23:55 Asia/Shanghai) that
/// anchors the day's head.
/// </summary>
public sealed class AuditFunctions(CallerGate gate, IAuditLog audit, TimeProvider clock)
{
    [Function("AnchorAuditLog")]
    public Task Anchor(
        [TimerTrigger("%" + AppSettings.AuditAnchorSchedule + "%")] TimerInfo timer,
        CancellationToken cancellationToken) => audit.AnchorAsync(LenderCalendar.Today(clock), cancellationToken);

    [Function("ReadAuditLog")]
    [Query("count", "How many of the latest entries to show: 1 to 1000 (default 100).")]
    [Answers(200, typeof(Answers.AuditLogAnswer), Description = "Whether the chain is intact, the latest entries and the daily anchors.")]
    [Answers(400, Description = "count is not from 1 to 1000.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> Read(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "audit")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async _ =>
        {
            if (!int.TryParse(request.Query["count"].FirstOrDefault() ?? "100", out int count) || count is < 1 or > 1000)
            {
                return Problems.Invalid("count", "must be from 1 to 1000.");
            }

            IReadOnlyList<AuditAnchor> anchors = await audit.AnchorsAsync(cancellationToken);
            return new OkObjectResult(new Answers.AuditLogAnswer(
                await AuditChain.VerifyAsync(audit, anchors, cancellationToken),
                (await audit.ReadAsync(cancellationToken).ToListAsync(cancellationToken)).TakeLast(count),
                anchors));
        });
}
