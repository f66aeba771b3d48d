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
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reconciliation/{date}")] HttpRequest request,
        string date,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(Day(date) is { } day ? await desk.GetAsync(day, cancellationToken) : BadDate));

    [Function("RunReconciliation")]
    public Task<IActionResult> Reconcile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reconciliation/{date}")] HttpRequest request,
        string date,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async _ => Answers.Ok(Day(date) is { } day ? await desk.RunAsync(day, cancellationToken) : BadDate));

    [Function("ProposeReconciliationResolution")]
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
