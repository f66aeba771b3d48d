using JisuDai.App.Configuration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace JisuDai.Functions.Maintenance;

/// <summary>
/// Keeps the task hub small: deletes the history of orchestrations that finished more than
/// <c>JisuDai:Durable:HistoryRetentionDays</c> days ago (default 90). Lending records (applications,
/// loans, decisions, the ledger) live in their own stores and are never touched by this.
/// </summary>
public sealed class PurgeHistoryFunction(TimeProvider clock, IConfiguration configuration, ILogger<PurgeHistoryFunction> logger)
{
    [Function("PurgeHistory")]
    public async Task Run(
        [TimerTrigger("%" + AppSettings.PurgeHistorySchedule + "%")] TimerInfo timer,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        int days = int.TryParse(configuration[AppSettings.HistoryRetentionDays], out int configured) && configured >= 0 ? configured : 90;
        DateTimeOffset cutoff = clock.GetUtcNow().AddDays(-days);
        PurgeResult result = await durable.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(
                CreatedFrom: null,
                CreatedTo: cutoff,
                Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]),
            cancellationToken);
        logger.LogInformation("Purged the history of {Count} orchestrations created before {Cutoff:u}", result.PurgedInstanceCount, cutoff);
    }
}
