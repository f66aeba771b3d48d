using System.Globalization;
using JisuDai.App.Configuration;
using JisuDai.App.Payments;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Functions.Http;
using JisuDai.Lending.Calendar;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Payments;

/// <summary>
/// The daily reconciliation on its CRON (<c>%ReconciliationSchedule%</c>, Asia/Shanghai: yesterday's statement), and
/// for staff <c>GET /api/reconciliation/{yyyy-MM-dd}</c> (the day's report) and, for admins, <c>POST</c> (reconcile the
/// day again now); <c>POST /api/reconciliation/{date}/findings/{reference}/resolution</c> <c>{loanId?}</c> (staff)
/// proposes recording a payment the statement shows and our books do not (202: a second person approves it). The rules
/// are in <see cref="ReconciliationDesk"/>.
/// </summary>
public sealed class ReconciliationFunctions(CallerGate gate, ReconciliationDesk desk, FourEyes fourEyes, TimeProvider clock)
{
    [Function("ReconcileYesterday")]
    public Task Run(
        [TimerTrigger("%" + AppSettings.ReconciliationSchedule + "%")] TimerInfo timer,
        CancellationToken cancellationToken) => desk.RunAsync(LenderCalendar.Today(clock).AddDays(-1), cancellationToken);

    [Function("GetReconciliation")]
    [Answers(200, typeof(JisuDai.App.Payments.ReconciliationReport), Description = "The day's reconciliation report.")]
    [Answers(400, Description = "date is not yyyy-MM-dd.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "The day has not been reconciled.")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reconciliation/{date}")] HttpRequest request,
        string date,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(Day(date) is { } day ? await desk.GetAsync(day, cancellationToken) : BadDate));

    [Function("RunReconciliation")]
    [Answers(200, typeof(JisuDai.App.Payments.ReconciliationReport), Description = "Reconciled now: the day's report, replacing any earlier one.")]
    [Answers(400, Description = "date is not yyyy-MM-dd, or not a day that has ended.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> Reconcile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reconciliation/{date}")] HttpRequest request,
        string date,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async _ => Answers.Ok(Day(date) is { } day ? await desk.RunAsync(day, cancellationToken) : BadDate));

    [Function("ProposeReconciliationResolution")]
    [Accepts(typeof(JisuDai.App.Payments.ResolutionBody))]
    [Answers(202, typeof(Answers.PendingStaffRequest), Description = "Proposed: an admin other than the proposer approves it at approveUrl.")]
    [Answers(400, Description = "date is not yyyy-MM-dd, or loanId names no loan while no payment of ours holds the order.")]
    [Answers(401)]
    [Answers(403, Description = "Not a reviewer, or the payment is on the caller's own loan.")]
    [Answers(404, Description = "The day was not reconciled, or found no such payment missing from our books.")]
    [Answers(409, Description = "The provider does not report the order paid.")]
    [Answers(413)]
    public Task<IActionResult> Resolve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reconciliation/{date}/findings/{reference}/resolution")] HttpRequest request,
        string date,
        string reference,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], new ResolutionBody(null), async (maker, body) =>
            Answers.Proposed(Day(date) is { } day ? await desk.ProposeResolutionAsync(maker, day, reference, body, fourEyes, cancellationToken) : BadDate.As<App.Staff.StaffRequest>()), cancellationToken);

    static readonly Result<ReconciliationReport> BadDate = Result<ReconciliationReport>.Invalid("date", "date must be yyyy-MM-dd.");

    static DateOnly? Day(string date) =>
        DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day) ? day : null;
}
