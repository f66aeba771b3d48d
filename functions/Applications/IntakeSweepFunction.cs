using JisuDai.App.Applications;
using JisuDai.App.Configuration;
using JisuDai.Orchestrations.Approval;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Applications;

/// <summary>The intake sweep on its CRON (<c>%IntakeSweepSchedule%</c>, every five minutes by default): starts the approval of any application stored without one.</summary>
public sealed class IntakeSweepFunction(IntakeSweep sweep, ApprovalWorkflows approvals)
{
    [Function("IntakeSweep")]
    public async Task Run(
        [TimerTrigger("%" + AppSettings.IntakeSweepSchedule + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        await sweep.RunAsync(approvals.Over(durable), cancellationToken);
}
