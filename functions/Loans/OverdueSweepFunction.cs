using JisuDai.App.Configuration;
using JisuDai.App.Loans;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Lending.Calendar;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Loans;

/// <summary>
/// The overdue sweep on its CRON (<c>%OverdueSweepSchedule%</c>, in WEBSITE_TIME_ZONE: Asia/Shanghai), through the day
/// that has just ended there, catching up any day missed while the host was down (a missed occurrence runs at start, as
/// past due); and <c>GET /api/sweeps/quarantine</c> for staff: the loans it had to set aside, with their errors.
/// </summary>
public sealed class OverdueSweepFunction(OverdueSweep sweep, ISweepQuarantine quarantine, CallerGate gate, TimeProvider clock)
{
    [Function("OverdueSweep")]
    public async Task Run(
        [TimerTrigger("%" + AppSettings.OverdueSweepSchedule + "%")] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        // Run after midnight: the day to bring loans up to is yesterday, the last full day.
        await sweep.CatchUpAsync(LenderCalendar.Today(clock).AddDays(-1), cancellationToken);
    }

    [Function("ListSweepQuarantine")]
    [Answers(200, typeof(IReadOnlyList<JisuDai.App.Loans.SweepFailure>), Description = "The loans the overdue sweep set aside, each with its latest failure.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> Quarantined(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "sweeps/quarantine")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => new OkObjectResult(await quarantine.ListAsync(cancellationToken)));
}
