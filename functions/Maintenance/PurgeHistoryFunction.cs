using JisuDai.App.Configuration;
using JisuDai.App.Privacy;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace JisuDai.Functions.Maintenance;

/// <summary>
/// The nightly retention run: purges the task hub's history of orchestrations that finished longer ago than
/// <c>JisuDai:Durable:HistoryRetentionDays</c> (default 90), then deletes every other class of data that has outlived
/// its period and shreds the customers whose erasure is due (<see cref="RetentionRun"/>; the table is in docs/security.md).
/// </summary>
public sealed class PurgeHistoryFunction(RetentionRun retention, RetentionPeriods periods, TimeProvider clock, ILogger<PurgeHistoryFunction> logger)
{
    [Function("PurgeHistory")]
    public async Task Run(
        [TimerTrigger("%" + AppSettings.PurgeHistorySchedule + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        DateTimeOffset cutoff = clock.GetUtcNow() - periods.History;
        PurgeResult result = await durable.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(
                CreatedFrom: null,
                CreatedTo: cutoff,
                Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]),
            cancellationToken);
        logger.LogInformation("Purged the history of {Count} orchestrations created before {Cutoff:u}", result.PurgedInstanceCount, cutoff);
        await retention.RunAsync(clock.GetUtcNow(), cancellationToken);
    }
}
