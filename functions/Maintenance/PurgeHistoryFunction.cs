using JisuDai.App.Behaviour;
using JisuDai.App.Configuration;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace JisuDai.Functions.Maintenance;

/// <summary>
/// The nightly retention run. It keeps the task hub small: deletes the history of orchestrations that finished more than
/// <c>JisuDai:Durable:HistoryRetentionDays</c> days ago (default 90). And it deletes customers' behaviour events older
/// than <c>JisuDai:Behaviour:RetentionDays</c> (default 180), and shreds the data of customers whose erasure is due
/// (<see cref="App.Privacy.CustomerErasure"/>). Lending records (applications, loans, decisions, the
/// ledger) live in their own stores and are never touched by this.
/// </summary>
public sealed class PurgeHistoryFunction(IBehaviourEvents behaviour, App.Privacy.CustomerErasure erasure, TimeProvider clock, IConfiguration configuration, ILogger<PurgeHistoryFunction> logger)
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

        int eventDays = int.TryParse(configuration[AppSettings.BehaviourRetentionDays], out int kept) && kept >= 1 ? kept : 180;
        DateTimeOffset eventCutoff = clock.GetUtcNow().AddDays(-eventDays);
        int events = await behaviour.PurgeAsync(eventCutoff, cancellationToken);
        logger.LogInformation("Deleted {Count} behaviour events from before {Cutoff:u}", events, eventCutoff);

        int shredded = await erasure.ShredDueAsync(clock.GetUtcNow(), cancellationToken);
        logger.LogInformation("Shredded the personal data of {Count} customers whose erasure was due", shredded);
    }
}
