using JisuDai.App.Configuration;
using JisuDai.App.Loans;
using JisuDai.Lending.Calendar;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Loans;

/// <summary>The overdue sweep on its CRON (<c>%OverdueSweepSchedule%</c>, in WEBSITE_TIME_ZONE: Asia/Shanghai), for the day that has just ended there.</summary>
public sealed class OverdueSweepFunction(OverdueSweep sweep, TimeProvider clock)
{
    [Function("OverdueSweep")]
    public async Task Run(
        [TimerTrigger("%" + AppSettings.OverdueSweepSchedule + "%")] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        // Run after midnight: the day to bring loans up to is yesterday, the last full day.
        DateOnly today = LenderCalendar.Today(clock);
        await sweep.RunAsync(today.AddDays(-1), cancellationToken);
    }
}
