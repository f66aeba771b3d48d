using JisuDai.App.Configuration;
using JisuDai.App.Monitoring;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Lending.Calendar;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Monitoring;

/// <summary>
/// Risk monitoring on its CRON (<c>%RiskMonitoringSchedule%</c>, Asia/Shanghai: through yesterday; see
/// <see cref="RiskMonitoring"/>); for staff <c>GET /api/monitoring/daily?from=&amp;to=</c> (each day's decision metrics
/// per model and rule-set version) and <c>GET /api/monitoring/portfolio?asOf=</c> (vintages, roll rates, matured labels,
/// model performance); for admins <c>POST /api/monitoring/runs</c> (run now, through yesterday). And the monthly
/// retraining and recalibration from platform data on <c>%RetrainingSchedule%</c> (<see cref="PlatformTraining"/>), which
/// an admin can run now with <c>POST /api/monitoring/retraining</c> and <c>POST /api/monitoring/recalibration</c>.
/// </summary>
public sealed class MonitoringFunctions(RiskMonitoring monitoring, MonitoringDesk desk, PlatformTraining training, CallerGate gate, TimeProvider clock)
{
    [Function("RetrainModel")]
    public async Task Retrain(
        [TimerTrigger("%" + AppSettings.RetrainingSchedule + "%")] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        await training.RetrainAsync(cancellationToken);
        await training.RecalibrateAsync(cancellationToken);
    }

    [Function("RunRecalibration")]
    [Answers(200, typeof(JisuDai.App.Monitoring.RecalibrationReport), Description = "The champion recalibrated now.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(409, Description = "The model registry refused: no champion to recalibrate.")]
    public Task<IActionResult> RecalibrateNow(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "monitoring/recalibration")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async _ => Answers.Ok(await desk.RecalibrateAsync(cancellationToken)));

    [Function("RunRetraining")]
    [Answers(200, typeof(JisuDai.App.Monitoring.RetrainingReport), Description = "Retrained from platform data now.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(409, Description = "The model registry refused: no champion to compare with.")]
    public Task<IActionResult> RetrainNow(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "monitoring/retraining")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async _ => Answers.Ok(await desk.RetrainAsync(cancellationToken)));

    [Function("MonitorRisk")]
    public Task Run(
        [TimerTrigger("%" + AppSettings.RiskMonitoringSchedule + "%")] TimerInfo timer,
        CancellationToken cancellationToken) => monitoring.RunAsync(LenderCalendar.Today(clock).AddDays(-1), cancellationToken);

    [Function("GetDailyRiskMetrics")]
    [Query("from", "The first day, yyyy-MM-dd (default: 30 days before to).")]
    [Query("to", "The last day, yyyy-MM-dd (default: yesterday).")]
    [Answers(200, typeof(IReadOnlyList<JisuDai.Risk.Monitoring.DailyRiskMetrics>), Description = "Each day's decision metrics per model and rule-set version.")]
    [Answers(400, Description = "from or to is not yyyy-MM-dd, or the span is reversed or longer than 366 days.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> Daily(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/daily")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(await desk.DaysAsync(request.Query["from"], request.Query["to"], cancellationToken)));

    [Function("GetPortfolioMetrics")]
    [Query("asOf", "The day, yyyy-MM-dd (default: the latest measured).")]
    [Answers(200, typeof(JisuDai.Risk.Monitoring.PortfolioMetrics), Description = "The book as of the day: vintages, roll rates, matured labels and model performance.")]
    [Answers(400, Description = "asOf is not yyyy-MM-dd.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "Monitoring had not run by then.")]
    public Task<IActionResult> Portfolio(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/portfolio")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], async _ => Answers.Ok(await desk.PortfolioAsync(request.Query["asOf"], cancellationToken)));

    [Function("RunRiskMonitoring")]
    [Answers(200, typeof(JisuDai.App.Monitoring.MonitoringRun), Description = "Monitoring run now, through yesterday.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> RunNow(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "monitoring/runs")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Admin], async _ => Answers.Ok(await desk.RunAsync(cancellationToken)));
}
